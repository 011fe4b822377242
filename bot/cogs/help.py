"""/help: the usage card (the same one a bare mention or "help" gets), privately."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.ask import usage_embed
from bot.views import NO_PINGS

if TYPE_CHECKING:
    from bot.app import CoalitionBot


class HelpCog(commands.Cog):
    """How to use the bot."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="help", description="How to use the bot: commands, examples, follow-ups, sources"
    )
    async def help(self, interaction: discord.Interaction) -> None:
        embed = await usage_embed(self.bot)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(HelpCog(bot))
