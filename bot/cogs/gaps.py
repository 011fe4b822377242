"""/gaps [days]: the questions refused or voted 👎 lately, grouped by meaning, with the article closest to
each group (admins, privately). The report is retrieval/gaps.py's, the same as `python -m retrieval gaps`."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.admins import admin_only
from bot.gaps_cards import gap_pages
from bot.pager import send_pages
from bot.views import NO_PINGS
from retrieval.errors import BadInput
from retrieval.gaps import DEFAULT_DAYS, MAX_DAYS, GapReport, check_days, find_gaps, places_named

if TYPE_CHECKING:
    from bot.app import CoalitionBot


class GapsCog(commands.Cog):
    """What members asked that the articles did not answer."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="gaps",
        description="Questions refused or voted 👎 lately, grouped, with the closest article (admins)",
    )
    @app_commands.describe(days=f"How many days back, 1 to {MAX_DAYS} (default {DEFAULT_DAYS})")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def gaps(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, MAX_DAYS] = DEFAULT_DAYS
    ) -> None:
        try:  # Discord's client enforces the range; a request made without it is checked here
            check_days(days)
        except BadInput:
            await interaction.response.send_message(
                f"`days` must be a whole number from 1 to {MAX_DAYS}, for example `/gaps days:30`.",
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        await interaction.response.defer(thinking=True, ephemeral=True)
        report = await asyncio.to_thread(self.report, days)
        await send_pages(
            interaction, gap_pages(report), command="gaps", live=self.bot.live_pagers, ephemeral=True
        )

    def report(self, days: int) -> GapReport:
        """The gaps of the last `days` days (blocking: the store, the model and the search)."""
        services = self.bot.services
        return find_gaps(
            self.bot.feedback, services.embedder, services.searcher, days, places=places_named(services)
        )


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(GapsCog(bot))
