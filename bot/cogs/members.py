"""Member look-ups: /members, /member (with fuzzy autocomplete), /overlap, /timeline."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.lists import member_card, member_pages, not_member_card, overlap_page, unknown_name_text
from bot.pager import send_pages
from bot.rendering import LIST_COLOUR
from bot.views import NO_PINGS
from retrieval.members_registry import parse_as_of

if TYPE_CHECKING:
    from bot.app import CoalitionBot

COALITION_CHOICES = [
    app_commands.Choice(name="Artemis Accords", value="artemis_accords"),
    app_commands.Choice(name="ILRS (International Lunar Research Station)", value="ilrs"),
]
TYPE_CHOICES = [
    app_commands.Choice(name="countries", value="country"),
    app_commands.Choice(name="organisations", value="organisation"),
]


class MembersCog(commands.Cog):
    """Who is in which coalition, from the sourced members registry."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="members", description="List a coalition's members in joining order, with dates"
    )
    @app_commands.describe(
        coalition="Which coalition",
        type="Countries or organisations",
        as_of="Only members that had joined by this date (YYYY-MM-DD, YYYY-MM or YYYY)",
    )
    @app_commands.choices(coalition=COALITION_CHOICES, type=TYPE_CHOICES)
    async def members(
        self,
        interaction: discord.Interaction,
        coalition: app_commands.Choice[str],
        type: app_commands.Choice[str] | None = None,
        as_of: app_commands.Range[str, 1, 10] | None = None,
    ) -> None:
        if as_of:
            parse_as_of(as_of)  # a bad date is a short ephemeral error before anything else
        registry = self.bot.services.registry.get()
        listing = registry.members(coalition.value, member_type=type.value if type else None, as_of=as_of)
        await interaction.response.defer(thinking=True)
        pages = member_pages(listing, type.value if type else None)
        await send_pages(interaction, pages, command="members", live=self.bot.live_pagers)

    @app_commands.command(
        name="member", description="Which coalitions a country or organisation is in, and when"
    )
    @app_commands.describe(name="A country or organisation, e.g. Thailand (typos are fine)")
    async def member(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        finder = await asyncio.to_thread(self.bot.services.name_finder)
        lookup = await asyncio.to_thread(finder.look_up, name)
        if lookup.rows:
            card = member_card(lookup.rows, lookup.as_of)
        elif lookup.country:
            card = not_member_card(lookup)
        else:
            await interaction.response.send_message(
                unknown_name_text(lookup), ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await interaction.response.send_message(
            embed=discord.Embed.from_dict(card.to_dict()), allowed_mentions=NO_PINGS
        )

    @member.autocomplete("name")
    async def member_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        finder = await asyncio.to_thread(self.bot.services.name_finder)
        choices = await asyncio.to_thread(finder.choices, current[:100], 25)
        return [app_commands.Choice(name=c.label, value=c.value) for c in choices]

    @app_commands.command(name="overlap", description="Members of both the Artemis Accords and the ILRS")
    async def overlap(self, interaction: discord.Interaction) -> None:
        page = overlap_page(self.bot.services.registry.get().overlap())
        await interaction.response.send_message(
            embed=discord.Embed.from_dict(page.to_dict()), allowed_mentions=NO_PINGS
        )

    @app_commands.command(name="timeline", description="A chart of membership over time")
    @app_commands.describe(coalition="One coalition, or both when left out")
    @app_commands.choices(coalition=COALITION_CHOICES)
    async def timeline(
        self, interaction: discord.Interaction, coalition: app_commands.Choice[str] | None = None
    ) -> None:
        from retrieval.timeline import render_timeline, timeline_caption, timeline_title

        await interaction.response.defer(thinking=True)
        registry = self.bot.services.registry.get()
        key = coalition.value if coalition else None
        keys = [key] if key else ["artemis_accords", "ilrs"]
        png = await asyncio.to_thread(render_timeline, registry, key)
        embed = discord.Embed(
            title=timeline_title(keys), description=timeline_caption(registry, keys), colour=LIST_COLOUR
        )
        embed.set_image(url="attachment://timeline.png")
        await interaction.followup.send(
            embed=embed,
            file=discord.File(io.BytesIO(png), filename="timeline.png"),
            allowed_mentions=NO_PINGS,
        )


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(MembersCog(bot))
