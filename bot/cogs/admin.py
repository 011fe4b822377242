"""Index commands: /sources and /status for everyone, /reindex for admins (checked in code)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotAdmin
from bot.guards import is_admin
from bot.rendering import label, link, skipped_line, source_pages, split_message
from bot.views import NO_PINGS, send_pages
from retrieval.errors import IndexBusy, RetrievalError
from retrieval.ingest import IngestError

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1.5  # seconds between progress edits
T = TypeVar("T")


def admin_only() -> Callable[[T], T]:
    """Allow Manage Server or a configured admin role. Checked here because server admins can change
    (or a client can bypass) Discord's default command permissions."""

    def predicate(interaction: discord.Interaction) -> bool:
        member = interaction.user
        if not isinstance(member, discord.Member):
            raise NotAdmin("admin commands only work in a server")
        settings = interaction.client.settings  # type: ignore[attr-defined]
        if not is_admin(interaction.permissions.value, [r.id for r in member.roles], settings.admin_role_ids):
            raise NotAdmin("not an admin")
        return True

    return app_commands.check(predicate)


class AdminCog(commands.Cog):
    """What is indexed, and rebuilding it."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot

    @app_commands.command(name="sources", description="List the indexed articles, newest first")
    @app_commands.describe(query="Only articles whose title contains this")
    async def sources(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 0, 100] | None = None
    ) -> None:
        await interaction.response.defer(thinking=True)
        docs = await asyncio.to_thread(self.bot.services.catalog.documents)
        if query:
            needle = query.lower()
            docs = [d for d in docs if needle in d.title.lower() or needle in d.doc_id]
        await send_pages(interaction, source_pages(docs, query or ""))

    @app_commands.command(name="status", description="What is indexed and how the bot answers")
    async def status(self, interaction: discord.Interaction) -> None:
        services = self.bot.services
        stats = await asyncio.to_thread(services.stats)
        last = await asyncio.to_thread(services.catalog.get_meta, "last_index_report")
        counts = json.loads(last) if last else {}
        feedback = await asyncio.to_thread(self.bot.feedback.counts)
        lines = [
            "**coalition-bot status**",
            f"Articles: {stats.articles} · chunks: {stats.chunks}",
            f"Embedding model: {stats.model} · vector store: {'Chroma server' if services.settings.chroma_host else 'embedded Chroma'}",
            f"Answerer: {services.answerer.name}",
            f"Last reindex: {stats.last_index_at or 'never'}"
            + (
                f" ({counts.get('added', 0)} added, {counts.get('updated', 0)} updated, "
                f"{counts.get('unchanged', 0)} unchanged, {counts.get('deleted', 0)} deleted, "
                f"{len(counts.get('skipped', []))} skipped)"
                if counts
                else ""
            ),
            f"Feedback: {feedback['answers']} answers, {feedback['up']} 👍, {feedback['down']} 👎",
        ]
        if stats.vectors_problem:
            lines.insert(
                2, f"⚠️ Vector store out of step: {stats.vectors_problem} (an admin can run /reindex)."
            )
        await interaction.response.send_message("\n".join(lines), allowed_mentions=NO_PINGS)

    @app_commands.command(
        name="reindex", description="Re-read the articles folder and update the index (admins)"
    )
    @app_commands.describe(full="Re-embed every article instead of only the changed ones")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def reindex(self, interaction: discord.Interaction, full: bool = False) -> None:
        holder = self.bot.services.indexer.lock.holder()
        if self.bot.reindex_running.locked():
            raise IndexBusy("a reindex is already running", self.bot.reindex_by or holder)
        await interaction.response.defer(thinking=True)
        async with self.bot.reindex_running:
            self.bot.reindex_by = f"{interaction.user.display_name}"
            try:
                await self._run(interaction, full)
            finally:
                self.bot.reindex_by = None

    async def _run(self, interaction: discord.Interaction, full: bool) -> None:
        loop = asyncio.get_running_loop()
        last_edit = 0.0
        started = time.perf_counter()

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal last_edit
            now = time.monotonic()
            if now - last_edit < PROGRESS_EVERY and done < total:
                return
            last_edit = now
            text = f"Reindexing… {stage} {done}/{total}"
            asyncio.run_coroutine_threadsafe(
                interaction.edit_original_response(content=text, allowed_mentions=NO_PINGS), loop
            )

        await interaction.edit_original_response(
            content="Reindexing… reading the articles folder", allowed_mentions=NO_PINGS
        )
        who = f"{interaction.user.display_name} (/reindex)"
        try:
            report = await self.bot.run_index_job(
                self.bot.services.reindex, full=full, progress=progress, who=who
            )
        except RetrievalError as exc:
            log.warning("Reindex by %s failed: %s", interaction.user.id, exc)
            await interaction.edit_original_response(
                content=f"Reindex failed: {exc}. The previous index is still answering.",
                allowed_mentions=NO_PINGS,
            )
            return
        self.bot.services.offline_answerer.clear_caches()
        seconds = time.perf_counter() - started
        lines = [
            f"Reindex finished in {seconds:.1f} s: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted, "
            f"{report.chunks_embedded} chunks embedded, {len(report.skipped)} skipped."
        ]
        if report.chunks_restored:
            lines.append(f"Re-embedded {report.chunks_restored} chunks missing from the vector store.")
        if report.stray_vectors_removed:
            lines.append(f"Removed {report.stray_vectors_removed} vectors the catalog does not list.")
        lines += [skipped_line(s.path, s.error) for s in report.skipped[:15]]
        if report.registry_error:
            lines.append(f"Members registry NOT reloaded (previous one kept): {report.registry_error}")
        parts = split_message("\n".join(lines))
        await interaction.edit_original_response(content=parts[0], allowed_mentions=NO_PINGS)
        for part in parts[1:]:
            await interaction.followup.send(part, allowed_mentions=NO_PINGS)

    @app_commands.command(name="ingest", description="Add an article by link or file, then index it (admins)")
    @app_commands.describe(
        url="A link to a news article (http or https)", file="Or an article file: .md, .txt, .html or .pdf"
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def ingest(
        self,
        interaction: discord.Interaction,
        url: app_commands.Range[str, 1, 2000] | None = None,
        file: discord.Attachment | None = None,
    ) -> None:
        if not url and file is None:
            raise IngestError("give a link (url) or attach a file")
        if file is not None and file.size > self.bot.settings.ingest_max_bytes:
            raise IngestError(f"the file is over the {self.bot.settings.ingest_max_bytes / 1e6:.0f} MB limit")
        if self.bot.reindex_running.locked():
            raise IndexBusy("a reindex is already running", self.bot.reindex_by)
        await interaction.response.defer(thinking=True)
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
                result = await self.bot.run_index_job(self.bot.services.ingest, **job, who=who)
            except RetrievalError as exc:
                await interaction.edit_original_response(
                    content=f"Not ingested: {exc}", allowed_mentions=NO_PINGS
                )
                return
            finally:
                self.bot.reindex_by = None
        self.bot.services.offline_answerer.clear_caches()
        verb = "Updated" if result.updated else "Added"
        lines = [
            f"{verb} “{label(result.title)}” ({result.published}, {label(result.outlet)}): {result.chunks} "
            f"chunks indexed as `{result.doc_id}`.{link(result.url)}"
        ]
        lines += [skipped_line(s.path, s.error) for s in result.skipped[:15]]
        parts = split_message("\n".join(lines))
        await interaction.edit_original_response(content=parts[0], allowed_mentions=NO_PINGS)
        for part in parts[1:]:
            await interaction.followup.send(part, allowed_mentions=NO_PINGS)


async def setup(bot: CoalitionBot) -> None:
    await bot.add_cog(AdminCog(bot))
