"""Index commands: /sources for everyone, /status privately, /reindex and /ingest for admins (checked in code).

Admin tools stay with the admin: their progress and results are ephemeral; `announce` posts a one-line
public summary when the admin wants the channel to know.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.admins import admin_only
from bot.cards import status_card
from bot.errors import friendly_message
from bot.facts import status_facts
from bot.lists import source_pages
from bot.pager import send_pages
from bot.progress import ReindexProgress
from bot.rendering import label, link, masked, short_date, skipped_line, split_message
from bot.views import NO_PINGS
from retrieval.errors import IndexBusy, RetrievalError
from retrieval.ingest import IngestError

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)


class AdminCog(commands.Cog):
    """What is indexed, and rebuilding it."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot

    @app_commands.command(name="sources", description="List the indexed articles, newest first")
    @app_commands.describe(query="Only articles whose title contains this")
    async def sources(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 100] | None = None
    ) -> None:
        await interaction.response.defer(thinking=True)
        docs = await asyncio.to_thread(self.bot.services.catalog.documents)
        if query:
            needle = query.lower()
            docs = [d for d in docs if needle in d.title.lower() or needle in d.doc_id]
        await send_pages(
            interaction, source_pages(docs, query or ""), command="sources", live=self.bot.live_pagers
        )

    @app_commands.command(
        name="status", description="How fresh the articles are and how the bot answers (private)"
    )
    async def status(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        facts = await asyncio.to_thread(status_facts, self.bot.services, self.bot.feedback)
        await interaction.edit_original_response(
            embed=discord.Embed.from_dict(status_card(facts).to_dict()), allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="reindex", description="Re-read the articles folder and update the index (admins)"
    )
    @app_commands.describe(
        full="Re-embed every article instead of only the changed ones",
        announce="Also post a one-line summary in the channel when it is done",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def reindex(
        self, interaction: discord.Interaction, full: bool = False, announce: bool = False
    ) -> None:
        if self.bot.reindex_running.locked():
            holder = self.bot.reindex_by or await asyncio.to_thread(self.bot.services.indexer.lock.holder)
            raise IndexBusy("a reindex is already running", holder)
        await interaction.response.defer(thinking=True, ephemeral=True)
        async with self.bot.reindex_running:
            self.bot.reindex_by = f"{interaction.user.display_name}"
            try:
                await self._run(interaction, full, announce)
            finally:
                self.bot.reindex_by = None

    async def _run(self, interaction: discord.Interaction, full: bool, announce: bool) -> None:
        started = time.perf_counter()
        progress = ReindexProgress(interaction)
        shower = asyncio.create_task(progress.run(), name="reindex-progress")
        who = f"{interaction.user.display_name} (/reindex)"
        try:
            report = await self.bot.run_index_job(
                self.bot.services.reindex, full=full, progress=progress.update, who=who
            )
        except IndexBusy as exc:  # another process (another machine, with PostgreSQL) is reindexing
            await _stop(shower)
            await interaction.edit_original_response(content=friendly_message(exc), allowed_mentions=NO_PINGS)
            return
        except RetrievalError as exc:
            log.warning("Reindex by %s failed: %s", interaction.user.id, exc)
            await _stop(shower)
            await interaction.edit_original_response(
                content=f"Reindex failed: {exc}. The previous index is still answering.",
                allowed_mentions=NO_PINGS,
            )
            return
        except BaseException:
            await _stop(shower)
            raise
        await _stop(shower)
        self.bot.services.offline_answerer.clear_caches()
        seconds = time.perf_counter() - started
        counts = (
            f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.deleted)} deleted"
        )
        lines = [
            f"Reindex finished in {seconds:.1f} s: {counts}, {report.chunks_embedded} passages embedded, "
            f"{len(report.skipped)} skipped."
        ]
        if report.chunks_restored:
            lines.append(f"Re-embedded {report.chunks_restored} passages missing from the vector store.")
        if report.stray_vectors_removed:
            lines.append(f"Removed {report.stray_vectors_removed} vectors the catalog does not list.")
        lines += [skipped_line(s.path, s.error) for s in report.skipped[:15]]
        if report.registry_error:
            lines.append(f"Members registry NOT reloaded (previous one kept): {report.registry_error}")
        if report.proposed:
            lines.append(proposals_line(report.proposed))
        if report.auto_approved:
            lines.append(auto_approved_line(report.auto_approved))
        parts = split_message("\n".join(lines))
        await interaction.edit_original_response(content=parts[0], allowed_mentions=NO_PINGS)
        for part in parts[1:]:
            await interaction.followup.send(part, ephemeral=True, allowed_mentions=NO_PINGS)
        if announce:
            await interaction.followup.send(
                f"📚 The article index was refreshed: {counts}.", allowed_mentions=NO_PINGS
            )

    @app_commands.command(name="ingest", description="Add an article by link or file, then index it (admins)")
    @app_commands.describe(
        url="A link to a news article (http or https); with a file, the link to cite for it",
        file="Or an article file: .md, .txt, .html or .pdf",
        published="The article's date (YYYY-MM-DD), when the page or file does not carry one",
        announce="Also post a one-line summary in the channel",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def ingest(
        self,
        interaction: discord.Interaction,
        url: app_commands.Range[str, 1, 2000] | None = None,
        file: discord.Attachment | None = None,
        published: app_commands.Range[str, 4, 10] | None = None,
        announce: bool = False,
    ) -> None:
        if not url and file is None:
            raise IngestError("give a link (url) or attach a file")
        if file is not None and file.size > self.bot.settings.ingest_max_bytes:
            raise IngestError(f"the file is over the {self.bot.settings.ingest_max_bytes / 1e6:.0f} MB limit")
        if self.bot.reindex_running.locked():
            raise IndexBusy("a reindex is already running", self.bot.reindex_by)
        await interaction.response.defer(thinking=True, ephemeral=True)
        async with self.bot.reindex_running:
            self.bot.reindex_by = f"{interaction.user.display_name} (/ingest)"
            try:
                job: dict[str, Any]
                if file is not None:
                    data = await file.read()
                    job = {"data": data, "filename": file.filename, "source_url": url or ""}
                else:
                    job = {"url": url}
                who = f"{interaction.user.display_name} (/ingest)"
                result = await self.bot.run_index_job(
                    self.bot.services.ingest, **job, published=published or "", who=who
                )
            except RetrievalError as exc:
                await interaction.edit_original_response(
                    content=f"Not ingested: {exc}", allowed_mentions=NO_PINGS
                )
                return
            finally:
                self.bot.reindex_by = None
        self.bot.services.offline_answerer.clear_caches()
        verb = "Updated" if result.updated else "Added"
        where = link(result.url) or " (no link: none was given with the file)"
        meta = ", ".join(x for x in (label(result.outlet), short_date(result.published)) if x)
        lines = [
            f"{verb} “{label(result.title)}” ({meta}): {result.chunks} passage{'s' if result.chunks != 1 else ''} "
            f"indexed as `{result.doc_id}`.{where}"
        ]
        if result.proposed:
            lines.append(proposals_line(result.proposed))
        if result.auto_approved:
            lines.append(auto_approved_line(result.auto_approved))
        lines += [skipped_line(s.path, s.error) for s in result.skipped[:15]]
        parts = split_message("\n".join(lines))
        await interaction.edit_original_response(content=parts[0], allowed_mentions=NO_PINGS)
        for part in parts[1:]:
            await interaction.followup.send(part, ephemeral=True, allowed_mentions=NO_PINGS)
        if announce:
            shown = masked(label(result.title), result.url)
            await interaction.followup.send(
                f"📰 {'Updated in' if result.updated else 'New in'} the articles: {shown} — {meta}",
                allowed_mentions=NO_PINGS,
                suppress_embeds=True,
            )


def proposals_line(count: int) -> str:
    """'1 new members registry proposal from the articles: review it with /registry pending.'"""
    plural = "s" if count != 1 else ""
    them = "them" if count != 1 else "it"
    return f"{count} new members registry proposal{plural} from the articles: review {them} with /registry pending."


def auto_approved_line(count: int) -> str:
    """'1 joining or signing read with enough confidence was approved automatically: …'."""
    what = "joinings or signings were" if count != 1 else "joining or signing was"
    return (
        f"{count} {what} read with enough confidence to be approved into the members registry automatically "
        "(/watch auto) and announced in watched channels; /registry undo takes the latest back."
    )


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(AdminCog(bot))
