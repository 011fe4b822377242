"""Questions: /ask, mentions answered in a thread, follow-ups in that thread, and answer rendering.

Without the Message Content intent (the default) Discord only shows the bot messages that mention it,
so it answers mentions and replies to its own answers (a reply carries the message it replies to, and
with it what was asked), and its first answer in a thread says so. With the intent
(MESSAGE_CONTENT_INTENT=true) every message in its threads is a follow-up.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cards import usage_card
from bot.conversation import (
    GREETING,
    display_question,
    is_help_request,
    next_steps,
    same_question,
    tidy_resolved,
)
from bot.errors import CooldownActive, friendly_message
from bot.facts import freshness
from bot.rendering import AnswerCard, EmbedPage, cut_at_word, render_answer
from bot.views import NO_PINGS, feedback_view
from retrieval.answer_types import Answer
from retrieval.errors import BadInput, RegistryError, RetrievalError
from retrieval.questions import MAX_QUESTION_CHARS, validate_question
from retrieval.reading.places import places

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@!?(\d+)>")
REMEMBERED = 2000  # threads and answer messages whose question is kept for follow-ups


def clean_question(text: str, bot_id: int) -> str:
    """The question without the bot's mention; other mentions stay as harmless text."""
    text = re.sub(rf"<@!?{bot_id}>", " ", text)
    return " ".join(text.split())


def thread_name(question: str, limit: int = 90) -> str:
    """A thread title from the question without mentions, markup or greetings, cut at a word."""
    from retrieval.reading.markup import strip_markup

    text = GREETING.sub("", strip_markup(_MENTION.sub(" ", question)))
    text = cut_at_word(text, limit) or "Question"
    return text[:1].upper() + text[1:]


def follow_up_hint(message_content: bool, bot_name: str) -> str:
    """How to ask a follow-up, said in the bot's first answer in a thread."""
    if message_content:
        return "Ask follow-ups right here in this thread, e.g. “and when did they sign the Accords?”"
    return (
        f"Mention me (@{bot_name}) or reply to this answer to follow up, e.g. “@{bot_name} and when did "
        "they sign the Accords?” I don't see messages that don't mention me."
    )


def to_messages(pages: list[EmbedPage], view: discord.ui.View) -> list[dict]:
    """Keyword arguments for each message: one embed each, the feedback buttons on the last."""
    out: list[dict] = [{"embed": discord.Embed.from_dict(page.to_dict())} for page in pages]
    out[-1]["view"] = view
    return out


async def usage_embed(bot: CoalitionBot) -> discord.Embed:
    """The usage card (/help, a bare mention, "help"), with how fresh the sources are."""
    facts = await asyncio.to_thread(freshness, bot.services)
    card = usage_card(facts, message_content=bot.settings.message_content_intent)
    return discord.Embed.from_dict(card.to_dict())


class _Memory(OrderedDict[int, str]):
    """The most recent entries only."""

    def remember(self, key: int, value: str) -> None:
        self.pop(key, None)
        self[key] = value
        while len(self) > REMEMBERED:
            self.popitem(last=False)


class AskCog(commands.Cog):
    """Answers questions asked with /ask or by mentioning the bot."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot
        self.thread_context = _Memory()  # thread id -> the question (as read) last answered in it
        self.answered = _Memory()  # answer message id -> the question (as read) it answers
        self.hinted = _Memory()  # threads told that replies need the @mention
        self.thread_answer = _Memory()  # thread id -> the text of the last answer given in it
        self.answer_texts = _Memory()  # answer message id -> the text of that answer

    async def compute(self, question: str, context: str | None = None) -> Answer:
        """Answer in a worker thread (the gateway heartbeat never waits on the model)."""
        return await asyncio.to_thread(self.bot.services.answerer.answer, question, context=context)

    def card_for(self, answer: Answer, question: str, context: str | None, hint: str = "") -> AnswerCard:
        """The question as title, 'Read as' for a follow-up, summaries named, next steps for a refusal."""
        services = self.bot.services
        summaries: dict[str, str] = {}
        for doc_id in {c.doc_id for c in answer.citations}:
            stored = services.catalog.document(doc_id)
            if stored is not None and stored.is_summary:
                summaries[doc_id] = stored.summary_of
        read_as = ""
        resolved = answer.resolved or question
        if context and not same_question(resolved, question):
            read_as = tidy_resolved(resolved)
        steps: list[str] = []
        if answer.refused:
            try:
                phrases = services.offline_answerer.reading.reader(services.registry.get()).names.phrases
            except RegistryError:
                phrases = {}
            world = {iso3: c.name for iso3, c in places().countries.items()}
            steps = next_steps(question, phrases, world)
        return AnswerCard(display_question(question), read_as, summaries, steps, hint)

    async def render(
        self, answer: Answer, question: str, context: str | None = None, hint: str = ""
    ) -> list[dict]:
        """Record the answer (for its 👍/👎) and render it (in a worker thread: the catalog is blocking)."""
        answer_id = await asyncio.to_thread(
            self.bot.feedback.record_answer, question, answer.text, answer.refused
        )
        card = await asyncio.to_thread(self.card_for, answer, question, context, hint)
        return to_messages(render_answer(answer, card), feedback_view(answer_id))

    @app_commands.command(
        name="ask", description="Ask about the Artemis Accords or the ILRS; answers cite their sources"
    )
    @app_commands.describe(
        question="Your question, e.g. when did Egypt join the ILRS?", private="Only you see the answer"
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        private: bool = False,
    ) -> None:
        validate_question(question)
        wait = self.bot.cooldown.try_acquire(interaction.user.id)
        if wait is not None:
            raise CooldownActive(wait)
        await interaction.response.defer(thinking=True, ephemeral=private)
        try:
            messages = await self.render(await self.compute(question), question)
        except RetrievalError as exc:
            await interaction.edit_original_response(content=friendly_message(exc), allowed_mentions=NO_PINGS)
            return
        await interaction.edit_original_response(**messages[0], allowed_mentions=NO_PINGS)
        for extra in messages[1:]:
            await interaction.followup.send(**extra, ephemeral=private, allowed_mentions=NO_PINGS)

    async def _usage_card(self, message: discord.Message) -> None:
        """Reply with the usage card (within the person's question allowance, so it cannot be spammed)."""
        if self.bot.cooldown.try_acquire(message.author.id) is not None:
            await message.add_reaction("⏳")
            return
        await message.reply(
            embed=await usage_embed(self.bot), allowed_mentions=NO_PINGS, mention_author=False
        )

    def _context_of_reply(self, message: discord.Message) -> str | None:
        """What the answer being replied to was about: remembered, or read from the answer itself."""
        ref = message.reference
        if ref is None or ref.message_id is None:
            return None
        known = self.answered.get(ref.message_id)
        if known:
            return known
        replied = ref.resolved if isinstance(ref.resolved, discord.Message) else None
        if replied is None or not replied.embeds:
            return None
        embed = replied.embeds[0]
        read = re.match(r"\*Read as: (.+?)\*\n", embed.description or "")
        if read:
            return read.group(1).replace("\\", "")
        title = embed.title or ""
        return title if title and not title.endswith("…") else None

    def _replies_to_me(self, message: discord.Message, me: discord.ClientUser) -> bool:
        ref = message.reference
        if ref is None or ref.message_id is None:
            return False
        if ref.message_id in self.answered:
            return True
        return isinstance(ref.resolved, discord.Message) and ref.resolved.author.id == me.id

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None or message.guild is None:
            return
        me = self.bot.user
        settings = self.bot.settings
        intent = settings.message_content_intent
        channel = message.channel
        in_our_thread = isinstance(channel, discord.Thread) and channel.owner_id == me.id
        mentioned = any(u.id == me.id for u in message.mentions)  # a direct mention, not @everyone
        reply = self._replies_to_me(message, me)
        configured = intent and channel.id in settings.answer_channel_ids
        if not (mentioned or reply or (intent and in_our_thread) or configured):
            return
        question = clean_question(message.content, me.id)
        if not question:
            if mentioned:  # a bare mention: how to use the bot
                await self._usage_card(message)
            elif reply and not intent and channel.id not in self.hinted:
                # Discord hid the text: a reply without the @mention, and no Message Content intent
                self.hinted.remember(channel.id, "")  # said once per thread is enough
                await message.reply(
                    f"I can only read replies that mention me: keep the reply's @mention on, or write "
                    f"@{me.name} before your follow-up.",
                    allowed_mentions=NO_PINGS,
                    mention_author=False,
                )
            return
        if is_help_request(question):
            await self._usage_card(message)
            return
        try:
            validate_question(question)
        except BadInput as exc:
            await message.reply(
                friendly_message(exc) or str(exc), allowed_mentions=NO_PINGS, mention_author=False
            )
            return
        wait = self.bot.cooldown.try_acquire(message.author.id)
        if wait is not None:
            await message.add_reaction("⏳")
            return
        await self._answer_in_thread(message, question, reply)

    async def _answer_in_thread(self, message: discord.Message, question: str, reply: bool) -> None:
        """Answer in the thread the message is in, or in a new thread started from it."""
        me = self.bot.user
        assert me is not None
        hint = ""
        if isinstance(message.channel, discord.Thread):
            where: discord.abc.Messageable = message.channel
            context = (self._context_of_reply(message) if reply else None) or self.thread_context.get(
                message.channel.id
            )
            reference: discord.Message | None = message
        else:
            where = await message.create_thread(name=thread_name(question), auto_archive_duration=1440)
            context = self._context_of_reply(message) if reply else None
            reference = None  # the question stays in the channel; the answer opens the thread
            hint = follow_up_hint(self.bot.settings.message_content_intent, me.name)
        thread_id = getattr(where, "id", 0)
        ref = message.reference.message_id if reply and message.reference else None
        before = (self.answer_texts.get(ref) if ref else None) or self.thread_answer.get(thread_id)
        replying: dict[str, Any] = {"reference": reference} if reference is not None else {}
        async with where.typing():
            try:
                answer = await self.compute(question, context)
                resolved = answer.resolved or question
                # the same question as read, or one worded differently that gets the very same answer
                if context and (same_question(resolved, context) or answer.text.strip() == before):
                    await where.send(
                        f"That reads as the same question as before (“{cut_at_word(tidy_resolved(context), 200)}”), "
                        "so the answer above still stands. To ask something else, name what is different: "
                        "another country, the other coalition, a date.",
                        **replying,
                        allowed_mentions=NO_PINGS,
                        mention_author=False,
                    )
                    return
                messages = await self.render(answer, question, context, hint)
            except RetrievalError as exc:
                await where.send(friendly_message(exc) or str(exc), allowed_mentions=NO_PINGS)
                return
        self.thread_context.remember(thread_id, resolved)
        self.thread_answer.remember(thread_id, answer.text.strip())
        for i, payload in enumerate(messages):
            sent = await where.send(
                **payload,
                **(replying if i == 0 else {}),
                allowed_mentions=NO_PINGS,
                mention_author=False,
            )
            self.answered.remember(sent.id, resolved)
            self.answer_texts.remember(sent.id, answer.text.strip())


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(AskCog(bot))
