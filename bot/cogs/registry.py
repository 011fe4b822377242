"""/registry pending and /registry undo: review the members registry's proposals (admins, privately).

Proposals are membership news the registry does not hold, read from articles as they are ingested or
reindexed (retrieval/registry_proposals.py). Nothing is written until an admin presses Approve under one
(bot/registry_views.py); /registry undo takes back the latest approval or rejection.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.admins import admin_name, admin_only
from bot.registry_cards import MAX_SHOWN, pending_header, proposal_card, undo_text
from bot.registry_views import proposal_view
from bot.views import NO_PINGS

if TYPE_CHECKING:
    from bot.app import CoalitionBot


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class RegistryCog(
    commands.GroupCog, group_name="registry", group_description="Members registry proposals (admins)"
):
    """Proposals read from the articles, approved or rejected by an admin."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="pending", description="Proposals read from new articles, to approve or reject (admins)"
    )
    @admin_only()
    async def pending(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        editor = self.bot.services.registry_editor
        pending = await asyncio.to_thread(editor.pending)
        shown = pending[:MAX_SHOWN]
        await interaction.edit_original_response(
            content=pending_header(len(shown), len(pending)), allowed_mentions=NO_PINGS
        )
        for item in shown:
            document = await asyncio.to_thread(self.bot.services.catalog.document, item.proposal.article)
            card = proposal_card(item.proposal, item.current, document)
            await interaction.followup.send(
                embed=discord.Embed.from_dict(card.to_dict()),
                view=proposal_view(item.proposal.id),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )

    @app_commands.command(name="undo", description="Take back the latest approval or rejection (admins)")
    @admin_only()
    async def undo(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        who = admin_name(interaction)
        undo = await asyncio.to_thread(self.bot.services.registry_editor.undo, who)
        proposal = await asyncio.to_thread(self.bot.services.registry_editor.get, undo.undone.proposal_id)
        pending = {
            p.proposal.id: p.current
            for p in await asyncio.to_thread(self.bot.services.registry_editor.pending)
        }
        document = await asyncio.to_thread(self.bot.services.catalog.document, proposal.article)
        card = proposal_card(proposal, pending.get(proposal.id), document)
        await interaction.edit_original_response(
            content=undo_text(undo),
            embed=discord.Embed.from_dict(card.to_dict()),
            view=proposal_view(proposal.id),
            allowed_mentions=NO_PINGS,
        )


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(RegistryCog(bot))
