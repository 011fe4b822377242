"""Feedback that feels like a control: 👍/👎 buttons that survive restarts, show your vote and let you change it.

The buttons on an answer are shared by everyone who sees it, so pressing one answers privately with
your own control: your current vote, highlighted, and buttons to change it (pressing the highlighted
one takes the vote back). 👎 opens a short form asking what was wrong (optional), stored with the vote.
The answer id lives in every custom id, so buttons and forms keep working after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from retrieval.errors import DatabaseUnavailable
from retrieval.feedback import MAX_REASON_CHARS, FeedbackStore

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
WHY_PREFIX = (
    "fbwhy:"  # the 👎 form's custom id: fbwhy:<answer id>:<p|e> (opened from a public or private message)
)
WHY_INPUT = "what_was_wrong"
VOTES_UNAVAILABLE = "Votes cannot be recorded right now; try again shortly."


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"fb:(?P<vote>up|down):(?P<id>[0-9a-f]{16})"
):
    """A vote on one answer; the answer id lives in the custom id, so old buttons keep working."""

    def __init__(self, answer_id: str, up: bool, current: int | None = None) -> None:
        chosen = current == (1 if up else -1)
        style = (
            (discord.ButtonStyle.success if up else discord.ButtonStyle.danger)
            if chosen
            else discord.ButtonStyle.secondary
        )
        text = None if current is None and not chosen else ("Helpful" if up else "Not helpful")
        super().__init__(
            discord.ui.Button(
                style=style,
                emoji="👍" if up else "👎",
                label=text,
                custom_id=f"fb:{'up' if up else 'down'}:{answer_id}",
            )
        )
        self.answer_id = answer_id
        self.up = up

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["id"], match["vote"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        store = _bot_of(interaction).feedback
        user = interaction.user.id
        private = _is_ephemeral(interaction.message)
        try:  # the store may be a database over the network: never on the event loop
            current = await asyncio.to_thread(store.current_vote, self.answer_id, user)
            wanted = 1 if self.up else -1
            if current is not None and current[0] == wanted:  # pressing your own vote again takes it back
                await asyncio.to_thread(store.clear_vote, self.answer_id, user)
                await show_vote(interaction, self.answer_id, None, private)
                return
            recorded = await asyncio.to_thread(store.vote, self.answer_id, user, self.up)
        except DatabaseUnavailable:
            await interaction.response.send_message(
                VOTES_UNAVAILABLE, ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        if not recorded:
            await interaction.response.send_message(
                "That answer is no longer on record.", ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        if self.up:
            await show_vote(interaction, self.answer_id, (1, ""), private)
        else:  # the 👎 counts already; the form only adds what was wrong
            await interaction.response.send_modal(why_form(self.answer_id, private))


def _bot_of(interaction: discord.Interaction) -> CoalitionBot:
    """The bot a button press came to: discord.py types an item's interaction with any client."""
    from bot.app import CoalitionBot  # imported here: bot.app imports this module

    if not isinstance(interaction.client, CoalitionBot):
        raise TypeError(f"feedback buttons belong to CoalitionBot, not {type(interaction.client).__name__}")
    return interaction.client


def _is_ephemeral(message: discord.Message | None) -> bool:
    return bool(message is not None and message.flags.ephemeral)


def feedback_view(answer_id: str, current: int | None = None) -> discord.ui.View:
    """👍 and 👎 for one answer; with `current`, the user's own vote highlighted and labelled."""
    view = discord.ui.View(timeout=None)
    view.add_item(FeedbackButton(answer_id, True, current))
    view.add_item(FeedbackButton(answer_id, False, current))
    return view


def vote_text(vote: tuple[int, str] | None) -> str:
    """The user's vote in words, and how to change it."""
    if vote is None:
        return "You have not voted on this answer. Was it helpful?"
    if vote[0] > 0:
        return "Your vote: 👍 helpful. Press 👎 to change it, or 👍 again to take it back."
    said = f" You said: “{discord.utils.escape_markdown(vote[1][:300])}”." if vote[1] else ""
    return f"Your vote: 👎 not helpful.{said} Press 👍 to change it, or 👎 again to take it back."


async def show_vote(
    interaction: discord.Interaction, answer_id: str, vote: tuple[int, str] | None, private: bool
) -> None:
    """Show the user their vote: in place on a private message, otherwise in a private reply."""
    view = feedback_view(answer_id, vote[0] if vote else None)
    text = vote_text(vote)
    if private:
        await interaction.response.edit_message(content=text, view=view, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(text, view=view, ephemeral=True, allowed_mentions=NO_PINGS)


def why_form(answer_id: str, private: bool) -> discord.ui.Modal:
    """'What was wrong?' with one optional paragraph. The form is stopped before it is sent, so discord.py
    keeps no state for it: its submission is handled by `handle_why_submission`, even after a restart."""
    modal = discord.ui.Modal(
        title="What was wrong with this answer?",
        custom_id=f"{WHY_PREFIX}{answer_id}:{'e' if private else 'p'}",
    )
    modal.add_item(
        discord.ui.TextInput(
            label="What was wrong? (optional)",
            style=discord.TextStyle.paragraph,
            custom_id=WHY_INPUT,
            required=False,
            max_length=MAX_REASON_CHARS,
            placeholder="e.g. the date is wrong, it answered another question, the source does not say that",
        )
    )
    modal.stop()
    return modal


def _submitted_text(components: list[dict[str, Any]]) -> str:
    """The text typed into the form (action rows or labels, as Discord sends them)."""
    for component in components:
        if component.get("custom_id") == WHY_INPUT:
            return str(component.get("value") or "")
        inner = component.get("components") or ([component["component"]] if "component" in component else [])
        found = _submitted_text(inner)
        if found:
            return found
    return ""


async def handle_why_submission(interaction: discord.Interaction, store: FeedbackStore) -> bool:
    """Store what was wrong with a 👎 in `store`; True when this interaction was the feedback form."""
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    match = re.fullmatch(rf"{WHY_PREFIX}(?P<id>[0-9a-f]{{16}}):(?P<where>[ep])", custom_id)
    if interaction.type is not discord.InteractionType.modal_submit or match is None:
        return False
    reason = _submitted_text(data.get("components") or [])
    try:
        known = await asyncio.to_thread(store.set_reason, match["id"], interaction.user.id, reason)
        vote = (
            await asyncio.to_thread(store.current_vote, match["id"], interaction.user.id) if known else None
        )
    except DatabaseUnavailable:
        await interaction.response.send_message(VOTES_UNAVAILABLE, ephemeral=True, allowed_mentions=NO_PINGS)
        return True
    if not known:
        await interaction.response.send_message(
            "That answer is no longer on record.", ephemeral=True, allowed_mentions=NO_PINGS
        )
        return True
    await show_vote(interaction, match["id"], vote, match["where"] == "e" and interaction.message is not None)
    return True
