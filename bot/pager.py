"""◀ ▶ pages for long lists: only the person who ran the command turns them; they switch off when they
time out; after a restart a press gets a one-line "run the command again" instead of failing.

Custom ids are `pager:<token>:<command>:<action>`. The bot keeps the tokens of the pagers alive in this
process (`live`): a press on any other pager (timed out, or from before a restart) is answered by
`handle_stale_pager`.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Sequence
from typing import Any

import discord

from bot.rendering import EmbedPage
from bot.views import NO_PINGS

log = logging.getLogger(__name__)
PAGER_TIMEOUT = 600.0  # seconds without a press; under the 15 minutes an interaction token can edit
_CUSTOM_ID = re.compile(r"pager:(?P<token>[0-9a-f]+):(?P<command>[\w-]{1,32}):(?P<action>\w+)")


class TurnButton(discord.ui.Button["Pager"]):
    """◀ or ▶: turns the pager it is on by `step` pages."""

    def __init__(self, step: int, *, emoji: str, custom_id: str) -> None:
        super().__init__(style=discord.ButtonStyle.secondary, emoji=emoji, custom_id=custom_id)
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.view is not None:
            await self.view.turn(interaction, self.step)


class Pager(discord.ui.View):
    """◀ page ▶ over pre-rendered embed pages, for the person who ran the command."""

    def __init__(
        self,
        pages: Sequence[EmbedPage],
        *,
        owner_id: int,
        command: str,
        live: set[str],
        timeout: float | None = None,
    ) -> None:
        super().__init__(timeout=PAGER_TIMEOUT if timeout is None else timeout)
        self.pages = list(pages)
        self.owner_id = owner_id
        self.command = command
        self.index = 0
        self.token = secrets.token_hex(6)
        self.live = live
        live.add(self.token)
        self.message: discord.WebhookMessage | None = None
        self.previous = TurnButton(-1, emoji="◀", custom_id=self._custom_id("prev"))
        self.at: discord.ui.Button[Pager] = discord.ui.Button(
            style=discord.ButtonStyle.secondary,
            label=self._at(),
            disabled=True,
            custom_id=self._custom_id("at"),
        )
        self.next = TurnButton(1, emoji="▶", custom_id=self._custom_id("next"))
        for button in (self.previous, self.at, self.next):
            self.add_item(button)
        self._sync()

    def _custom_id(self, action: str) -> str:
        return f"pager:{self.token}:{self.command}:{action}"

    def _at(self) -> str:
        return f"{self.index + 1} / {len(self.pages)}"

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.at.label = self._at()

    def embed(self) -> discord.Embed:
        return discord.Embed.from_dict(self.pages[self.index].to_dict())

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            f"Only the person who ran `/{self.command}` can turn these pages; run `/{self.command}` for your own.",
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )
        return False

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Show the page `step` pages on (negative: back), within the first and the last."""
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._sync()
        await interaction.response.edit_message(embed=self.embed(), view=self, allowed_mentions=NO_PINGS)

    async def on_timeout(self) -> None:
        """Switch the buttons off where everyone can see it, and forget the token."""
        self.live.discard(self.token)
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self, allowed_mentions=NO_PINGS)
            except discord.HTTPException as exc:
                log.info("Could not switch off an expired pager: %s", exc)


async def send_pages(
    interaction: discord.Interaction,
    pages: Sequence[EmbedPage],
    *,
    command: str,
    live: set[str],
    ephemeral: bool = False,
) -> None:
    """Send the first page, with a pager when there is more than one (the interaction is already deferred)."""
    first = discord.Embed.from_dict(pages[0].to_dict())
    if len(pages) == 1:
        await interaction.followup.send(embed=first, ephemeral=ephemeral, allowed_mentions=NO_PINGS)
        return
    pager = Pager(pages, owner_id=interaction.user.id, command=command, live=live)
    pager.message = await interaction.followup.send(
        embed=first, view=pager, ephemeral=ephemeral, allowed_mentions=NO_PINGS, wait=True
    )


async def handle_stale_pager(interaction: discord.Interaction, live: set[str]) -> bool:
    """Answer a press on a pager this process no longer holds; True when it was one."""
    if interaction.type is not discord.InteractionType.component:
        return False
    data: dict[str, Any] = dict(interaction.data or {})
    match = _CUSTOM_ID.fullmatch(str(data.get("custom_id", "")))
    if match is None or match["token"] in live:
        return False
    await interaction.response.send_message(
        f"These pages are no longer active (they stop after {PAGER_TIMEOUT / 60:.0f} minutes, or when the bot "
        f"restarts): run `/{match['command']}` again.",
        ephemeral=True,
        allowed_mentions=NO_PINGS,
    )
    return True
