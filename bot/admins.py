"""Admin checks for commands and components: Manage Server (or Administrator) or an ADMIN_ROLE_IDS role.

Checked in code as well as by Discord's default command permissions, because server admins can change
those (and a client can bypass them), and a button has none of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.errors import NotAdmin
from bot.guards import is_admin

if TYPE_CHECKING:
    from bot.app import CoalitionBot

T = TypeVar("T")


def ensure_admin(interaction: discord.Interaction[CoalitionBot]) -> None:
    """Raise NotAdmin unless the interaction's user is an admin of the server it came from."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        raise NotAdmin("admin commands only work in a server")
    settings = interaction.client.settings
    if not is_admin(interaction.permissions.value, [r.id for r in member.roles], settings.admin_role_ids):
        raise NotAdmin("not an admin")


def admin_only() -> Callable[[T], T]:
    """A command check: admins only (see ensure_admin)."""

    def predicate(interaction: discord.Interaction[CoalitionBot]) -> bool:
        ensure_admin(interaction)
        return True

    return app_commands.check(predicate)


def admin_name(interaction: discord.Interaction[Any]) -> str:
    """Who an admin's decision is recorded as: their user name and id."""
    return f"{interaction.user.name} (Discord user {interaction.user.id})"
