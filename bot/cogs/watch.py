"""/watch on|off|list|auto: membership news posted in a channel of the server (admins, privately).

When an admin approves a registry proposal that is news (a new member, a later status), every channel
watching that coalition gets one short cited post (bot/announcer.py). /watch auto lets confident news be
approved without an admin. Every command is checked for an admin in code, as /registry is.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.admins import admin_name, admin_only
from bot.registry_cards import WATCH_NAMES, watch_line
from bot.views import NO_PINGS
from retrieval.announcement_types import Watch
from retrieval.registry_editor import utc_now

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
COALITIONS = [
    app_commands.Choice(name="both", value="both"),
    app_commands.Choice(name="ILRS", value="ilrs"),
    app_commands.Choice(name="Artemis Accords", value="artemis_accords"),
]


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class WatchCog(
    commands.GroupCog, group_name="watch", group_description="Membership news in a channel (admins)"
):
    """Channels subscribed to approved membership news, and auto-approval."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="on", description="Post approved membership news in a channel (admins)")
    @app_commands.describe(channel="Where to post", coalition="Whose news (default: both coalitions)")
    @app_commands.choices(coalition=COALITIONS)
    @admin_only()
    async def watch_on(
        self, interaction: discord.Interaction, channel: discord.TextChannel, coalition: str = "both"
    ) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        guild = interaction.guild
        me = guild.me if guild else None
        if me is not None:
            allowed = channel.permissions_for(me)
            if not (allowed.view_channel and allowed.send_messages):
                await interaction.edit_original_response(
                    content=(
                        f"I cannot post in {channel.mention}: give me View Channel and Send Messages there, "
                        "then run /watch on again."
                    ),
                    allowed_mentions=NO_PINGS,
                )
                return
        await asyncio.to_thread(
            self.bot.services.catalog.watch,
            channel.id,
            channel.guild.id,
            coalition,
            admin_name(interaction),
            utc_now(),
        )
        await interaction.edit_original_response(
            content=(
                f"{channel.mention} will get membership news of {WATCH_NAMES[coalition]}: one short post citing "
                "its article for each joining or signing approved from now on, pinging no one. "
                "`/watch off` stops it."
            ),
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="off", description="Stop posting membership news in a channel (admins)")
    @app_commands.describe(channel="The channel (default: this one)")
    @admin_only()
    async def watch_off(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        channel_id = channel.id if channel is not None else interaction.channel_id or 0
        watched = {w.channel_id for w in await self._watches(interaction)}
        stopped = None
        if channel_id in watched:
            stopped = await asyncio.to_thread(self.bot.services.catalog.unwatch, channel_id, utc_now())
        text = (
            f"<#{channel_id}> gets no more membership news; news not posted there yet is dropped."
            if stopped is not None
            else f"<#{channel_id}> was not watched. `/watch list` shows the channels that are."
        )
        await interaction.edit_original_response(content=text, allowed_mentions=NO_PINGS)

    @app_commands.command(name="list", description="The channels that get membership news (admins)")
    @admin_only()
    async def watch_list(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        watches = await self._watches(interaction)
        threshold = await asyncio.to_thread(self.bot.services.auto_approve_threshold)
        lines = [watch_line(w) for w in watches] or ["No channel of this server gets membership news."]
        lines.append(
            f"Auto-approval: news read with confidence {threshold:.2f} or more is approved without an admin."
            if threshold
            else "Auto-approval is off: an admin approves each piece of news (/registry pending)."
        )
        await interaction.edit_original_response(content="\n".join(lines)[:2000], allowed_mentions=NO_PINGS)

    @app_commands.command(
        name="auto", description="Approve news read with at least this confidence without an admin (0: off)"
    )
    @app_commands.describe(threshold="A confidence from 0 to 1 (0 turns auto-approval off; 0.85 is strict)")
    @admin_only()
    async def watch_auto(
        self, interaction: discord.Interaction, threshold: app_commands.Range[float, 0.0, 1.0]
    ) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        setting = await asyncio.to_thread(self.bot.services.set_auto_approve_threshold, threshold)
        if setting is None:
            text = "Auto-approval is off: an admin approves each piece of news (/registry pending)."
        else:
            text = (
                f"Auto-approval is on for every server of this bot: a new member or a later status read from a "
                f"new article with confidence {setting:.2f} or more, and a date the article gives, is written into "
                "the members registry without an admin, and announced. Corrections of a row always wait for "
                "an admin; `/registry undo` takes an approval back. `/watch auto threshold:0` turns it off."
            )
        await interaction.edit_original_response(content=text, allowed_mentions=NO_PINGS)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """A watched channel deleted in Discord is no longer watched (one deleted while the bot was offline is
        found by its first post: 404, and /watch list says so)."""
        stopped = await asyncio.to_thread(self.bot.services.catalog.unwatch, channel.id, utc_now())
        if stopped is not None:
            log.info("Channel %d was deleted: it no longer gets membership news", channel.id)

    async def _watches(self, interaction: discord.Interaction) -> list[Watch]:
        return await asyncio.to_thread(self.bot.services.catalog.watches, interaction.guild_id)


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(WatchCog(bot))
