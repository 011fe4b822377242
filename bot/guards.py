"""Who may do what, and how often: admin checks and the per-user question cooldown (no discord import)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3


def is_admin(permission_bits: int, role_ids: Iterable[int], admin_role_ids: Iterable[int]) -> bool:
    """Manage Server (or Administrator), or one of the configured admin roles."""
    if permission_bits & (MANAGE_GUILD | ADMINISTRATOR):
        return True
    return bool(set(role_ids) & set(admin_role_ids))


class Cooldown:
    """At most `rate` questions per `per` seconds for each user (a sliding window)."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self._clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def try_acquire(self, user_id: int) -> float | None:
        """None if the user may ask now (and counts it); otherwise the seconds to wait."""
        if self.per <= 0:
            return None
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(user_id, deque())
            while hits and now - hits[0] >= self.per:
                hits.popleft()
            if len(hits) >= self.rate:
                return max(0.1, self.per - (now - hits[0]))
            hits.append(now)
            return None
