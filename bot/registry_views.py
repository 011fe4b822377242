"""Approve / Edit date / Reject under a registry proposal: buttons that survive restarts, for admins only.

The proposal's number lives in every custom id, so the buttons (and an Edit date form opened before a
restart) keep working after one. Every press and every form is checked for an admin in code: the
message is ephemeral to the admin who ran /registry pending, but a button's permissions are not Discord's
to enforce, and an admin's role can be taken away while the message is still on screen.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.admins import admin_name, ensure_admin
from bot.errors import NotAdmin, friendly_message, reply_ephemeral
from bot.registry_cards import approved_card, proposal_card, rejected_card
from bot.views import NO_PINGS
from retrieval.errors import RetrievalError

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
DATE_PREFIX = "regdate:"  # the Edit date form's custom id: regdate:<proposal id>
DATE_INPUT = "proposal_date"


def admin_who(interaction: discord.Interaction) -> str | None:
    """Who is deciding, as the history records it; None when they are not an admin (checked on every press)."""
    bot_interaction = cast("discord.Interaction[CoalitionBot]", interaction)
    _bot_of(interaction)
    try:
        ensure_admin(bot_interaction)
    except NotAdmin:
        return None
    return admin_name(bot_interaction)


class ProposalButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"reg:(?P<action>approve|date|reject):(?P<id>[0-9]{1,18})",
):
    """Approve, Edit date or Reject one proposal; the proposal's number lives in the custom id."""

    STYLES = {
        "approve": (discord.ButtonStyle.success, "Approve"),
        "date": (discord.ButtonStyle.secondary, "Edit date"),
        "reject": (discord.ButtonStyle.danger, "Reject"),
    }

    def __init__(self, proposal_id: int, action: str) -> None:
        style, text = self.STYLES[action]
        super().__init__(discord.ui.Button(style=style, label=text, custom_id=f"reg:{action}:{proposal_id}"))
        self.proposal_id = proposal_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ProposalButton:
        return cls(int(match["id"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        who = admin_who(interaction)
        if who is None:
            await reply_ephemeral(interaction, friendly_message(NotAdmin("not an admin")) or "")
            return
        bot = _bot_of(interaction)
        editor = bot.services.registry_editor
        if self.action == "date":
            try:
                proposal = await asyncio.to_thread(editor.get, self.proposal_id)
            except RetrievalError as exc:
                await reply_ephemeral(interaction, str(exc))
                return
            await interaction.response.send_modal(date_form(self.proposal_id, proposal.date))
            return
        await interaction.response.defer()  # an update of this message follows
        try:
            if self.action == "approve":
                approval = await asyncio.to_thread(editor.approve, self.proposal_id, who)
                bot.announcer.wake()  # its news, if it is news, goes to watched channels now
                document = await asyncio.to_thread(bot.services.catalog.document, approval.proposal.article)
                card = approved_card(approval, document)
            else:
                decision = await asyncio.to_thread(editor.reject, self.proposal_id, who)
                card = rejected_card(await asyncio.to_thread(editor.get, self.proposal_id), decision)
        except RetrievalError as exc:
            log.info("Registry proposal #%d not %sd by %s: %s", self.proposal_id, self.action, who, exc)
            await interaction.followup.send(
                friendly_message(exc) or str(exc), ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await interaction.edit_original_response(
            embed=discord.Embed.from_dict(card.to_dict()), view=None, allowed_mentions=NO_PINGS
        )


def proposal_view(proposal_id: int) -> discord.ui.View:
    """Approve, Edit date and Reject for one proposal (persistent: no timeout)."""
    view = discord.ui.View(timeout=None)
    for action in ("approve", "date", "reject"):
        view.add_item(ProposalButton(proposal_id, action))
    return view


def date_form(proposal_id: int, current: str) -> discord.ui.Modal:
    """'Date of proposal #n' with one short field. Stopped before it is sent, so discord.py keeps no state
    for it: its submission is handled by `handle_date_submission`, even after a restart."""
    modal = discord.ui.Modal(
        title=f"Date of proposal #{proposal_id}", custom_id=f"{DATE_PREFIX}{proposal_id}"
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Date (YYYY-MM-DD, YYYY-MM or YYYY)",
            style=discord.TextStyle.short,
            custom_id=DATE_INPUT,
            default=current or None,
            required=True,
            min_length=4,
            max_length=10,
            placeholder="e.g. 2026-03-03",
        )
    )
    modal.stop()
    return modal


def _submitted_date(components: list[dict[str, Any]]) -> str:
    """The text typed into the form (action rows or labels, as Discord sends them)."""
    for component in components:
        if component.get("custom_id") == DATE_INPUT:
            return str(component.get("value") or "")
        inner = component.get("components") or ([component["component"]] if "component" in component else [])
        found = _submitted_date(inner)
        if found:
            return found
    return ""


async def handle_date_submission(interaction: discord.Interaction) -> bool:
    """Set a proposal's date from the Edit date form (checked for an admin again, and as a registry date);
    True when this interaction was that form."""
    data: dict[str, Any] = dict(interaction.data or {})
    match = re.fullmatch(rf"{DATE_PREFIX}(?P<id>[0-9]{{1,18}})", str(data.get("custom_id", "")))
    if interaction.type is not discord.InteractionType.modal_submit or match is None:
        return False
    who = admin_who(interaction)
    if who is None:
        await reply_ephemeral(interaction, friendly_message(NotAdmin("not an admin")) or "")
        return True
    bot = _bot_of(interaction)
    proposal_id = int(match["id"])
    try:
        proposal = await asyncio.to_thread(
            bot.services.registry_editor.edit_date,
            proposal_id,
            _submitted_date(data.get("components") or []),
            who,
        )
        pending = {p.proposal.id: p for p in await asyncio.to_thread(bot.services.registry_editor.pending)}
        document = await asyncio.to_thread(bot.services.catalog.document, proposal.article)
    except RetrievalError as exc:
        await reply_ephemeral(interaction, f"{exc}. The proposal is unchanged; press Edit date to try again.")
        return True
    current = pending[proposal_id].current if proposal_id in pending else None
    embed = discord.Embed.from_dict(proposal_card(proposal, current, document).to_dict())
    if interaction.message is not None:  # the form was opened from the proposal's card: update it in place
        await interaction.response.edit_message(
            embed=embed, view=proposal_view(proposal_id), allowed_mentions=NO_PINGS
        )
    else:
        await interaction.response.send_message(
            embed=embed, view=proposal_view(proposal_id), ephemeral=True, allowed_mentions=NO_PINGS
        )
    return True


def _bot_of(interaction: discord.Interaction) -> CoalitionBot:
    from bot.app import CoalitionBot  # imported here: bot.app imports this module

    if not isinstance(interaction.client, CoalitionBot):
        raise TypeError(f"registry buttons belong to CoalitionBot, not {type(interaction.client).__name__}")
    return interaction.client
