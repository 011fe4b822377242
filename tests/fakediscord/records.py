"""Records kept by the fake server (requests, files, interactions) and the waiting primitive."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import FakeDiscord

DEFAULT_TIMEOUT = 5.0


class FakeDiscordTimeout(AssertionError):
    """Raised by every ``wait_*`` helper on timeout; the message lists what *was* received."""


def _short(obj: Any, limit: int = 300) -> str:
    text = json.dumps(obj, default=str) if not isinstance(obj, str) else obj
    return text if len(text) <= limit else text[:limit] + "..."


class ChangeNotifier:
    """Lets coroutines wait until a condition over the fake's state becomes true.

    Every state change calls :meth:`bump`; :meth:`wait_until` re-evaluates its predicate after
    each bump, and at least every ``POLL_INTERVAL`` seconds (for predicates over state the fake
    does not own, e.g. the bot's or the log's). The predicate returns ``None`` for "not yet"
    and any other value as the result.
    """

    POLL_INTERVAL = 0.05

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def bump(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], Any], timeout: float, describe: Callable[[], str]
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise FakeDiscordTimeout(f"timed out after {timeout:.1f}s waiting for {describe()}")
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, self.POLL_INTERVAL))


@dataclass
class StoredFile:
    """One uploaded file from a multipart request (``files[n]`` part)."""

    field: str
    filename: str
    content_type: str | None  # as sent by the client (discord.py: application/octet-stream)
    data: bytes


@dataclass
class Request:
    """One REST request received by the fake.

    Unpacks as the 4-tuple ``(method, path, json, files)``; ``path`` has no ``/api/v10`` prefix
    and no query string; ``json`` is the JSON body or the multipart ``payload_json``.
    """

    method: str
    path: str
    json: Any
    files: list[StoredFile]
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    received_at: float = field(default_factory=time.monotonic)  # when it arrived (for rate checks)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.path, self.json, self.files))

    def __str__(self) -> str:
        query = "?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else ""
        files = f" files={[f.filename for f in self.files]}" if self.files else ""
        body = f" {_short(self.json, 200)}" if self.json is not None else ""
        return f"{self.method} {self.path}{query} -> {self.status}{body}{files}"


class InteractionRecord:
    """Everything that happened to one injected interaction.

    Attributes: ``id``, ``token``, ``type`` (2 command, 3 component, 4 autocomplete, 5 modal),
    ``payload`` (the INTERACTION_CREATE ``d``), ``callbacks`` (bodies POSTed to ``/callback``,
    in order), ``original`` (the current ``@original`` message or None), ``original_history``
    (a copy of ``@original`` after the callback and after each edit), ``followups`` (messages),
    ``original_deleted``.
    """

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any]) -> None:
        self._fake = fake
        self.payload = payload
        self.id: str = payload["id"]
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.channel_id: str = payload["channel_id"]
        self.guild_id: str | None = payload.get("guild_id")
        self.user: dict[str, Any] = (payload.get("member") or {}).get("user") or payload.get("user")
        self.callbacks: list[dict[str, Any]] = []
        self.original: dict[str, Any] | None = None
        self.original_history: list[dict[str, Any]] = []
        self.original_pending = False  # deferred (type 5/6) and not yet edited
        self.original_deleted = False
        self.followups: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<InteractionRecord id={self.id} type={self.type} callbacks={[c.get('type') for c in self.callbacks]}>"

    # -- convenience views -----------------------------------------------------------------
    @property
    def callback(self) -> dict[str, Any] | None:
        """The first callback body, or None."""
        return self.callbacks[0] if self.callbacks else None

    @property
    def callback_type(self) -> int | None:
        return self.callbacks[0]["type"] if self.callbacks else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """Autocomplete choices (callback type 8), or None."""
        for cb in self.callbacks:
            if cb.get("type") == 8:
                return (cb.get("data") or {}).get("choices", [])
        return None

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal ``data`` sent with callback type 9, or None."""
        for cb in self.callbacks:
            if cb.get("type") == 9:
                return cb.get("data")
        return None

    @property
    def ephemeral(self) -> bool:
        """Whether the response (callback data, or @original) carries flag 64."""
        cb = self.callback or {}
        flags = (cb.get("data") or {}).get("flags", 0) or 0
        if self.original is not None:
            flags |= self.original.get("flags", 0) or 0
        return bool(int(flags) & 64)

    def describe(self) -> str:
        return (
            f"interaction {self.id} (type {self.type}): callbacks={_short(self.callbacks)}, "
            f"original={_short(self.original)}, edits={len(self.original_history)}, "
            f"followups={_short([f.get('content') for f in self.followups])}"
        )

    # -- waiting ---------------------------------------------------------------------------
    async def wait_callback(self, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """Wait for the first interaction callback and return its body (``{"type": .., "data": ..}``)."""
        return await self._fake._notifier.wait_until(
            lambda: self.callback, timeout, lambda: f"a callback; got {self.describe()}"
        )

    async def wait_choices(self, timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
        """Wait for the autocomplete result (callback type 8) and return its choices."""
        return await self._fake._notifier.wait_until(
            lambda: self.choices, timeout, lambda: f"autocomplete choices; got {self.describe()}"
        )

    async def wait_original(
        self, predicate: Callable[[dict[str, Any]], Any] | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """Wait until the interaction was answered and ``@original`` exists, is not a pending
        deferral (type 5/6 not yet edited), and satisfies ``predicate``.

        The predicate gets the message dict (``content``, ``embeds``, ``attachments``, ...).
        Returns a copy of the message.
        """

        def check() -> dict[str, Any] | None:
            msg = self.original
            if not self.callbacks or msg is None or self.original_pending or self.original_deleted:
                return None
            if predicate is not None and not predicate(msg):
                return None
            return copy.deepcopy(msg)

        return await self._fake._notifier.wait_until(
            check, timeout, lambda: f"@original matching the predicate; got {self.describe()}"
        )

    async def wait_followups(self, n: int = 1, timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
        """Wait until at least ``n`` follow-up messages were sent; return them all."""
        return await self._fake._notifier.wait_until(
            lambda: list(self.followups) if len(self.followups) >= n else None,
            timeout,
            lambda: f"{n} follow-up(s); got {self.describe()}",
        )
