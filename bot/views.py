"""Discord UI pieces: 👍/👎 feedback buttons that survive restarts, and a pager for long lists."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.feedback import FeedbackStore

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:(?P<vote>up|down):(?P<id>[0-9a-f]{16})"):
    """A vote on one answer; the answer id lives in the custom id, so old buttons keep working."""

    def __init__(self, answer_id: str, up: bool) -> None:
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="👍" if up else "👎",
            custom_id=f"fb:{'up' if up else 'down'}:{answer_id}",
        ))
        self.answer_id = answer_id
        self.up = up

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> FeedbackButton:
        return cls(match["id"], match["vote"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        store: FeedbackStore = interaction.client.feedback  # type: ignore[attr-defined]
        ok = store.vote(self.answer_id, interaction.user.id, self.up)
        text = ("Thanks, your feedback was recorded." if ok else "That answer is no longer on record.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


def feedback_view(answer_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FeedbackButton(answer_id, True))
    view.add_item(FeedbackButton(answer_id, False))
    return view


class Pager(discord.ui.View):
    """◀ ▶ buttons over pre-rendered pages."""

    def __init__(self, pages: list[str], *, timeout: float = 600) -> None:
        super().__init__(timeout=timeout)
        self.pages = pages
        self.index = 0
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    @discord.ui.button(emoji="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.index = max(0, self.index - 1)
        self._sync_buttons()
        await interaction.response.edit_message(content=self.pages[self.index], view=self, allowed_mentions=NO_PINGS)

    @discord.ui.button(emoji="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.index = min(len(self.pages) - 1, self.index + 1)
        self._sync_buttons()
        await interaction.response.edit_message(content=self.pages[self.index], view=self, allowed_mentions=NO_PINGS)


async def send_pages(interaction: discord.Interaction, pages: list[str], *, ephemeral: bool = False) -> None:
    """Send the first page, with a pager when there is more than one (the interaction is already deferred)."""
    if len(pages) == 1:
        await interaction.followup.send(pages[0], ephemeral=ephemeral, allowed_mentions=NO_PINGS)
    else:
        await interaction.followup.send(pages[0], view=Pager(pages), ephemeral=ephemeral, allowed_mentions=NO_PINGS)


def bot_of(interaction: discord.Interaction) -> CoalitionBot:
    return interaction.client  # type: ignore[return-value]
