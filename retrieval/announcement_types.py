"""Watched channels and the announcements outbox as plain records: what the catalog stores and returns.

A `Watch` is a Discord channel an admin subscribed to membership news (both coalitions or one). When an
approval writes news into the members registry, the catalog stores a `NewAnnouncement` in the same
transaction as the decision, and one delivery per watched channel whose filter matches it. The bot
delivers them (bot/announcer.py); a delivery is sent once, failed for good, or cancelled (an undo before
it was sent, or the channel no longer watched). No discord import: channel and guild ids are plain ints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

BOTH = "both"
WATCH_FILTERS = (BOTH, "artemis_accords", "ilrs")
# a delivery's states: waiting (or waiting to be retried), accepted by Discord, refused for good, taken back
WAITING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"
DELIVERY_STATES = (WAITING, SENT, FAILED, CANCELLED)
MAX_ATTEMPTS = 5  # a delivery that fails this often for a passing reason (a Discord outage) is given up


@dataclass(frozen=True)
class Watch:
    """A channel subscribed to membership news; `broken` says why posting there failed for good ('' if not)."""

    channel_id: int
    guild_id: int
    coalition: str  # both | artemis_accords | ilrs
    added_by: str
    added_at: str
    broken: str = ""
    broken_at: str = ""

    def wants(self, coalition: str) -> bool:
        """Whether news of this coalition goes to this channel."""
        return self.coalition in (BOTH, coalition)


@dataclass(frozen=True)
class NewAnnouncement:
    """One piece of membership news to post, written with the approval that made it news."""

    event: str  # what is announced once per channel: '<coalition>:<folded member>:<status>'
    coalition: str
    member: str
    text: str  # the sentence, citing its source as [1]
    title: str  # the source article's title, outlet, date and link
    outlet: str
    published: str
    url: str


@dataclass(frozen=True)
class Delivery:
    """One announcement to one channel, with what to post."""

    id: int
    announcement_id: int
    event: str
    channel_id: int
    guild_id: int
    state: str
    attempts: int
    error: str
    message_id: int | None
    coalition: str
    member: str
    text: str
    title: str
    outlet: str
    published: str
    url: str


WATCH_FIELDS = tuple(f.name for f in fields(Watch))
ANNOUNCEMENT_COLUMNS = tuple(f.name for f in fields(NewAnnouncement))
DELIVERY_FIELDS = tuple(f.name for f in fields(Delivery))


def watch_from_row(row: Mapping[str, Any]) -> Watch:
    """A Watch from a stored row with the same column names (either store)."""
    values = {name: row[name] for name in WATCH_FIELDS}
    values["channel_id"], values["guild_id"] = int(values["channel_id"]), int(values["guild_id"])
    return Watch(**values)


def delivery_from_row(row: Mapping[str, Any]) -> Delivery:
    """A Delivery from a stored row with the same column names (either store)."""
    values = {name: row[name] for name in DELIVERY_FIELDS}
    for name in ("id", "announcement_id", "channel_id", "guild_id", "attempts"):
        values[name] = int(values[name])
    if values["message_id"] is not None:
        values["message_id"] = int(values["message_id"])
    return Delivery(**values)


def announcement_values(announcement: NewAnnouncement) -> tuple[object, ...]:
    """The values of ANNOUNCEMENT_COLUMNS for one announcement."""
    return tuple(getattr(announcement, name) for name in ANNOUNCEMENT_COLUMNS)
