"""One error handler for every slash command: a short ephemeral line per error class."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from retrieval.errors import (
    BadInput,
    IndexBusy,
    IndexEmpty,
    ModelMismatch,
    RegistryError,
    RetrievalError,
    SearchUnavailable,
    UnknownName,
)
from retrieval.failures import explain

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)


class CooldownActive(app_commands.CheckFailure):
    """The user asked too often."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"cooldown {retry_after:.1f}s")
        self.retry_after = retry_after


class NotAdmin(app_commands.CheckFailure):
    """The command is for admins (Manage Server or an admin role)."""


def friendly_message(error: BaseException) -> str | None:
    """The line shown to the user for an expected error; None for an unexpected one."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, CooldownActive):
        return f"Slow down a little: you can ask again in {max(1, round(error.retry_after))} s."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {max(1, round(error.retry_after))} s."
    if isinstance(error, NotAdmin | app_commands.MissingPermissions):
        return "Only admins can do that: it needs the Manage Server permission or an admin role."
    if isinstance(error, app_commands.TransformerError):  # e.g. a value that is not one of the choices
        return "That value isn't valid for this option; pick one of the offered choices."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, BadInput):
        return f"I can't use that question: {error}."
    if isinstance(error, UnknownName):
        return str(error)[:1_000]
    if isinstance(error, IndexEmpty):
        return "Nothing is indexed yet. An admin can run /reindex."
    if isinstance(error, IndexBusy):
        holder = f" (started by {error.holder})" if error.holder else ""
        return (
            f"A reindex is already running{holder}. Questions are answered from the current index meanwhile."
        )
    if isinstance(error, SearchUnavailable):
        return "Search is unavailable right now; try again shortly."
    if isinstance(error, ModelMismatch | RegistryError):
        return f"The index needs an admin's attention: {error}"[:1_000]
    if isinstance(error, RetrievalError):
        return str(error)[:1_000]
    return None


class CoalitionTree(app_commands.CommandTree["CoalitionBot"]):
    """The command tree with the one error handler."""

    async def on_error(
        self, interaction: discord.Interaction[CoalitionBot], error: app_commands.AppCommandError, /
    ) -> None:
        message = friendly_message(error)
        if message is None and interaction.client.is_closed():
            log.info("Interaction %s dropped while shutting down", interaction.id)
            return
        if message is None:
            original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
            failure = explain(original, interaction.client.settings.data_dir)
            if failure is not None:  # a broken data folder, disk, catalog or vector store
                log.error(
                    "/%s failed: %s",
                    interaction.command.qualified_name if interaction.command else "?",
                    failure,
                )
                message = f"The index needs an admin's attention: {failure}"[:1_000]
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("Unexpected error in /%s", command, exc_info=error)
            message = "Something went wrong on my side; it has been logged."
        await reply_ephemeral(interaction, message)


async def reply_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Answer privately, whether or not the interaction was already acknowledged."""
    none = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=none)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=none)
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)
