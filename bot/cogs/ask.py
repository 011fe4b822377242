"""Questions: /ask, mentions answered in a thread, follow-ups in that thread, and answer rendering."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import CooldownActive, friendly_message
from bot.rendering import render_answer
from bot.views import NO_PINGS, feedback_view
from retrieval.answer_types import Answer
from retrieval.errors import BadInput, RetrievalError
from retrieval.questions import validate_question

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
EMBED_COLOUR = 0x1F5FA8
_MENTION = re.compile(r"<@!?(\d+)>")


def clean_question(text: str, bot_id: int) -> str:
    """The question without the bot's mention; other mentions stay as harmless text."""
    text = re.sub(rf"<@!?{bot_id}>", " ", text)
    return " ".join(text.split())


def thread_name(question: str, limit: int = 90) -> str:
    """A thread title from the question without mentions, markup or greetings, cut at a word."""
    from retrieval.reading.markup import strip_markup

    text = strip_markup(_MENTION.sub(" ", question))
    text = re.sub(r"^(?:(?:hey|hi|hello|yo|ok|okay|so|um|quick q(?:uestion)?)\b[\s,:!.-]*)+", "", text, flags=re.I)
    text = " ".join(text.split()) or "Question"
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text[:1].upper() + text[1:]


def answer_payloads(answer: Answer, answer_id: str) -> list[dict]:
    """Keyword arguments for each message that carries the answer (an embed, or split plain text)."""
    rendered = render_answer(answer, note=answer.note)
    view = feedback_view(answer_id)
    if rendered.embed_description is not None:
        embed = discord.Embed(description=rendered.embed_description, colour=EMBED_COLOUR)
        if not answer.refused and answer.confidence:
            embed.set_footer(text=f"{answer.answerer} answer · confidence {answer.confidence:.2f}")
        return [{"embed": embed, "view": view}]
    parts = [{"content": part} for part in rendered.messages]
    parts[-1]["view"] = view
    return parts


class AskCog(commands.Cog):
    """Answers questions asked with /ask or by mentioning the bot."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot
        self.thread_context: dict[int, str] = {}  # thread id -> the last question asked in it

    def remember(self, thread_id: int, question: str) -> None:
        """Keep the conversation context of the most recent threads only."""
        self.thread_context.pop(thread_id, None)
        self.thread_context[thread_id] = question
        while len(self.thread_context) > 2000:
            self.thread_context.pop(next(iter(self.thread_context)))

    async def compute(self, question: str, context: str | None = None) -> tuple[Answer, str]:
        """Answer in a worker thread (the gateway heartbeat never waits on the model)."""
        answer = await asyncio.to_thread(self.bot.services.answerer.answer, question, context=context)
        answer_id = await asyncio.to_thread(self.bot.feedback.record_answer, question, answer.text, answer.refused)
        return answer, answer_id

    @app_commands.command(name="ask", description="Ask about the Artemis Accords or the ILRS; answers cite their sources")
    @app_commands.describe(question="Your question, e.g. when did Egypt join the ILRS?",
                           private="Only you see the answer")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 2000],
                  private: bool = False) -> None:
        validate_question(question)
        wait = self.bot.cooldown.try_acquire(interaction.user.id)
        if wait is not None:
            raise CooldownActive(wait)
        await interaction.response.defer(thinking=True, ephemeral=private)
        try:
            answer, answer_id = await self.compute(question)
        except RetrievalError as exc:
            await interaction.edit_original_response(content=friendly_message(exc), allowed_mentions=NO_PINGS)
            return
        payloads = answer_payloads(answer, answer_id)
        await interaction.edit_original_response(**payloads[0], allowed_mentions=NO_PINGS)
        for extra in payloads[1:]:
            await interaction.followup.send(**extra, ephemeral=private, allowed_mentions=NO_PINGS)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None or message.guild is None:
            return
        me = self.bot.user
        in_our_thread = isinstance(message.channel, discord.Thread) and message.channel.owner_id == me.id
        mentioned = any(u.id == me.id for u in message.mentions)  # a direct mention, not @everyone
        configured = message.channel.id in self.bot.settings.answer_channel_ids
        if not (mentioned or (in_our_thread and message.content) or (configured and message.content)):
            return
        question = clean_question(message.content, me.id)
        if not question:
            return
        try:
            validate_question(question)
        except BadInput as exc:
            await message.reply(friendly_message(exc) or str(exc), allowed_mentions=NO_PINGS, mention_author=False)
            return
        wait = self.bot.cooldown.try_acquire(message.author.id)
        if wait is not None:
            await message.add_reaction("⏳")
            return
        if in_our_thread:
            channel: discord.abc.Messageable = message.channel
            context = self.thread_context.get(message.channel.id)
        else:
            channel = await message.create_thread(name=thread_name(question), auto_archive_duration=1440)
            context = None
        async with channel.typing():
            try:
                answer, answer_id = await self.compute(question, context)
            except RetrievalError as exc:
                await channel.send(friendly_message(exc) or str(exc), allowed_mentions=NO_PINGS)
                return
        # the question as read (a follow-up made standalone) is the context of the next follow-up
        self.remember(channel.id, answer.resolved or question)
        for payload in answer_payloads(answer, answer_id):
            await channel.send(**payload, allowed_mentions=NO_PINGS)


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(AskCog(bot))
