"""Posting approved membership news to watched channels: the announcements outbox, delivered by the bot.

An approval (a button here, `python -m retrieval registry approve`, or auto-approval on ingest) stores its
announcement and one delivery per watched channel in the catalog, in the same transaction as the decision
(retrieval/announcement_types.py). This task delivers what is waiting: right after an approval in this
process (`wake`), and every ANNOUNCE_POLL_SECONDS for approvals made elsewhere. Each delivery is:

- claimed first (a lease in the catalog), so two bot processes never post the same one; a process posts only
  to servers on its own shards;
- posted once, one after another (discord.py waits out Discord's rate limits, 429s included), with no
  pings (allowed_mentions none) and no link preview;
- marked sent only after Discord accepted the message, with the message's id. A restart sends nothing
  marked sent and delivers what is still waiting; a process that died between Discord's answer and the mark
  (a moment) would post that one again when its lease ends.

A channel that refuses the post (403: no access or permission; 404: deleted) fails at once: the watch is
marked broken (/watch list says why) and gets nothing more until an admin runs /watch on for it again. Any
other failure (Discord or the network down) is tried again later, up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.registry_cards import announcement_post
from retrieval.announcement_types import MAX_ATTEMPTS, WAITING, Delivery
from retrieval.errors import RetrievalError
from retrieval.registry_editor import utc_now

if TYPE_CHECKING:
    from bot.app import CoalitionBot

log = logging.getLogger(__name__)

LEASE_SECONDS = 120  # a claimed delivery is left to its process this long (a post takes a second or two)
FIRST_RETRY_SECONDS = 60  # then twice as long after each failure, up to an hour
LAST_RETRY_SECONDS = 3600


def later(seconds: float) -> str:
    """The time `seconds` from now, as the catalog stores times (ISO 8601, UTC, to the second)."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def retry_delay(attempts: int) -> float:
    """Seconds before trying a delivery again after its `attempts`-th failure."""
    return float(min(FIRST_RETRY_SECONDS * 2 ** max(attempts, 0), LAST_RETRY_SECONDS))


class Announcer:
    """Delivers waiting announcements to watched channels, one at a time."""

    def __init__(self, bot: CoalitionBot) -> None:
        self.bot = bot
        self._wake = asyncio.Event()
        self._pass = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start delivering once the bot is ready (its servers known)."""
        self._task = asyncio.create_task(self._run(), name="announcer")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def wake(self) -> None:
        """Look for waiting announcements now (an approval was just made in this process)."""
        self._wake.set()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            self._wake.clear()
            try:
                await self.deliver_pending()
            except RetrievalError as exc:  # the catalog is unreachable: try again at the next look
                log.warning("Announcements not delivered for now: %s", exc)
            except Exception:
                log.exception("Announcements not delivered for now")
            with contextlib.suppress(TimeoutError):  # woken by an approval, or time for the next look
                await asyncio.wait_for(self._wake.wait(), self.bot.settings.announce_poll_seconds)

    def _mine(self, guild_id: int) -> bool:
        """Whether the server is on one of this process's shards (another process posts there otherwise)."""
        count = self.bot.shard_count or 1
        shard = (guild_id >> 22) % count
        return self.bot.shard_ids is None or shard in self.bot.shard_ids

    async def deliver_pending(self) -> int:
        """Post every waiting announcement this process may post; returns how many Discord accepted."""
        async with self._pass:
            catalog = self.bot.services.catalog
            due = await asyncio.to_thread(catalog.deliveries, WAITING, due=utc_now())
            sent = 0
            for delivery in due:
                if self._mine(delivery.guild_id) and await self._deliver(delivery):
                    sent += 1
            return sent

    async def _deliver(self, delivery: Delivery) -> bool:
        catalog = self.bot.services.catalog
        if not await asyncio.to_thread(catalog.claim_delivery, delivery.id, later(LEASE_SECONDS), utc_now()):
            return False  # another process has it, or it was cancelled or sent meanwhile
        channel = self.bot.get_partial_messageable(delivery.channel_id, guild_id=delivery.guild_id)
        try:
            message = await channel.send(
                announcement_post(delivery),
                allowed_mentions=discord.AllowedMentions.none(),
                suppress_embeds=True,
            )
        except (discord.Forbidden, discord.NotFound) as exc:
            error = f"{exc.status} {exc.text or type(exc).__name__}"
            await asyncio.to_thread(
                catalog.delivery_failed,
                delivery.id,
                error,
                utc_now(),
                retry_at=None,
                max_attempts=MAX_ATTEMPTS,
            )
            log.warning(
                "Channel %d refused membership news (%s); its watch is marked broken",
                delivery.channel_id,
                error,
            )
            return False
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError) as exc:
            state = await asyncio.to_thread(
                catalog.delivery_failed,
                delivery.id,
                str(exc)[:300] or type(exc).__name__,
                utc_now(),
                retry_at=later(retry_delay(delivery.attempts)),
                max_attempts=MAX_ATTEMPTS,
            )
            log.warning("Membership news for channel %d not posted (%s): %s", delivery.channel_id, state, exc)
            return False
        await asyncio.to_thread(catalog.delivery_sent, delivery.id, message.id, utc_now())
        log.info(
            "Posted membership news (%s) in channel %d as message %d",
            delivery.event,
            delivery.channel_id,
            message.id,
        )
        return True
