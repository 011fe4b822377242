"""The Discord bot: construction, start-up work in setup_hook, command sync, and `run_discord`."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypedDict, TypeVar, Unpack

import discord
import yarl
from discord.ext import commands

from bot.announcer import Announcer
from bot.errors import CoalitionTree
from bot.guards import Cooldown
from bot.pager import handle_stale_pager
from bot.registry_views import ProposalButton, handle_date_submission
from bot.views import FeedbackButton, handle_why_submission
from config.settings import Settings
from retrieval.errors import RegistryError, RetrievalError
from retrieval.failures import explain
from retrieval.feedback import FeedbackStore, open_feedback_store
from retrieval.services import Services

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSIONS = (
    "bot.cogs.ask",
    "bot.cogs.help",
    "bot.cogs.members",
    "bot.cogs.admin",
    "bot.cogs.registry",
    "bot.cogs.gaps",
    "bot.cogs.watch",
)
DISCORD_API = "https://discord.com/api/v10"


def intents_for(settings: Settings) -> discord.Intents:
    """The fewest intents that work: guilds and guild messages (mentions carry their content); the
    privileged Message Content intent only when MESSAGE_CONTENT_INTENT is on (follow-ups without a
    mention, ANSWER_CHANNEL_IDS)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = settings.message_content_intent
    return intents


def point_at_discord(settings: Settings) -> None:
    """Use the configured REST base and gateway (Discord's own by default; a local server in tests)."""
    discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class BotOptions(TypedDict, total=False):
    """The discord.py client options callers may add (tests shorten the wait for guilds)."""

    guild_ready_timeout: float


class CoalitionBot(commands.AutoShardedBot):
    """The bot; owns no resources itself: the services and feedback store are passed in by `main`."""

    def __init__(
        self, settings: Settings, services: Services, feedback: FeedbackStore, **options: Unpack[BotOptions]
    ) -> None:
        shard_count = settings.shard_count or 1
        # SHARD_IDS picks some of SHARD_COUNT's shards; without SHARD_COUNT it is not used
        chosen = settings.shard_ids if settings.shard_count else []
        shard_ids = chosen or list(range(shard_count))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=CoalitionTree,
            help_command=None,
            shard_count=shard_count,
            shard_ids=shard_ids,
            **options,
        )
        self.settings = settings
        self.services = services
        self.feedback = feedback
        self.cooldown = Cooldown(settings.cooldown_questions, settings.cooldown_seconds)
        self.reindex_running = asyncio.Lock()
        self.live_pagers: set[str] = set()  # tokens of the pagers this process can still turn
        self.reindex_by: str | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        # Ingest, refresh and reindex get a worker of their own (they run one at a time anyway): on the
        # default pool that answers use (asyncio.to_thread), a few slow fetches could stall answering.
        self.index_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-worker")
        # membership news for watched channels, delivered from the catalog's outbox (bot/announcer.py)
        self.announcer = Announcer(self)

    async def run_index_job(self, job: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run an ingest, refresh or reindex on the bot's own worker, never on the pool answers use; a
        broken data folder, disk, catalog or vector store comes back as a StorageError saying so. News it
        auto-approved is posted to watched channels right after."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.index_worker, functools.partial(job, *args, **kwargs))
        except RetrievalError:
            raise
        except Exception as exc:
            failure = explain(exc, self.settings.data_dir)
            if failure is None:
                raise
            raise failure from exc
        finally:
            self.announcer.wake()  # an ingest may have auto-approved news

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py waits 5 s between shards by default; Discord's identify rate limit for
        # small bots is one per 5 s, which the gateway enforces for us, so only pace real logins.
        if self.settings.discord_api_base == DISCORD_API:
            await super().before_identify_hook(shard_id, initial=initial)

    async def setup_hook(self) -> None:
        """Load the model and index before connecting, add the cogs, sync commands if they changed."""
        await asyncio.to_thread(self._warm_up)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(FeedbackButton, ProposalButton)
        await self.sync_commands()
        self.announcer.start()
        if self.settings.refresh_urls and self.settings.refresh_hours > 0:
            self._refresh_task = asyncio.create_task(self._refresh_forever(), name="scheduled-refresh")

    async def _refresh_forever(self) -> None:
        """Re-fetch REFRESH_URLS every REFRESH_HOURS; a busy index skips a round rather than waiting."""
        while not self.is_closed():
            await asyncio.sleep(self.settings.refresh_hours * 3600)
            if self.reindex_running.locked():
                log.info("Scheduled refresh skipped: a reindex is running")
                continue
            async with self.reindex_running:
                self.reindex_by = "scheduled refresh"
                try:
                    report, errors = await self.run_index_job(
                        self.services.refresh, list(self.settings.refresh_urls)
                    )
                except RetrievalError as exc:
                    log.warning("Scheduled refresh failed: %s", exc)
                    continue
                finally:
                    self.reindex_by = None
            self.services.offline_answerer.clear_caches()
            log.info("Scheduled refresh: %s; %d page(s) failed", report.summary(), len(errors))
            for url, error in errors.items():
                log.warning("Scheduled refresh of %s failed: %s", url, error)

    async def close(self) -> None:
        if self._refresh_task is not None:
            self._refresh_task.cancel()
        self.announcer.stop()
        self.index_worker.shutdown(wait=False, cancel_futures=True)
        await super().close()

    def _warm_up(self) -> None:
        self.services.check_ready()
        warm = getattr(self.services.embedder, "warm_up", None)
        if warm:
            warm()
        try:
            self.services.registry.get()
        except RegistryError as exc:  # member commands will say so; questions are still answered
            log.warning("Members registry unavailable: %s", exc)
        # the question reader's tables (names, speller, date parser): built now, not on the first question
        self.services.offline_answerer.warm_up()
        articles, chunks = self.services.catalog.counts()
        log.info("Index ready: %d articles, %d chunks", articles, chunks)

    async def sync_commands(self) -> None:
        """Sync to the dev guild (instant) or globally, only when the command set changed."""
        guild = discord.Object(id=self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        marker = (
            Path(self.settings.data_dir)
            / f"commands-{guild.id if guild else 'global'}-{self.application_id}.sha256"
        )
        if marker.exists() and marker.read_text().strip() == digest:
            log.info("Slash commands unchanged; not syncing")
            return
        synced = await self.tree.sync(guild=guild)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(digest)
        log.info("Synced %d slash commands %s", len(synced), f"to guild {guild.id}" if guild else "globally")

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by the ask cog's listener only."""
        return None

    async def on_interaction(self, interaction: discord.Interaction, /) -> None:
        """Interactions no view of this process holds: the 👎 form and a registry proposal's Edit date form
        (handled here so they also work after a restart) and pages from before a restart or a timeout (one
        line: run the command again)."""
        if await handle_why_submission(interaction, self.feedback):
            return
        if await handle_date_submission(interaction):
            return
        await handle_stale_pager(interaction, self.live_pagers)

    async def on_ready(self) -> None:
        log.info(
            "Connected as %s (%s) to %d guilds", self.user, getattr(self.user, "id", "?"), len(self.guilds)
        )


async def start_bot(settings: Settings, services: Services, **options: Unpack[BotOptions]) -> CoalitionBot:
    """Create the bot (the caller starts it with `await bot.start(token)` and closes it)."""
    point_at_discord(settings)
    return CoalitionBot(settings, services, open_feedback_store(settings), **options)


def run_discord(settings: Settings, services: Services) -> int:
    """Connect to Discord until interrupted; a missing or rejected token is one readable line."""
    if settings.discord_token is None:
        print("error: DISCORD_TOKEN is not set", file=sys.stderr)
        return 2
    token = settings.discord_token.get_secret_value()

    async def main() -> int:
        bot = await start_bot(settings, services)
        async with bot:
            try:
                await bot.start(token)
            except discord.LoginFailure:
                print("error: Discord rejected the token; check DISCORD_TOKEN", file=sys.stderr, flush=True)
                return 1
            except discord.PrivilegedIntentsRequired:
                print(
                    "error: MESSAGE_CONTENT_INTENT is on but the Message Content intent is not enabled for this bot: "
                    "enable it in the Developer Portal (your application > Bot > Privileged Gateway Intents), "
                    "or set MESSAGE_CONTENT_INTENT=false",
                    file=sys.stderr,
                    flush=True,
                )
                return 1
            finally:
                bot.feedback.close()
        return 0

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 130
