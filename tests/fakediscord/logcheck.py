"""``ErrorLogCollector``: collect ERROR log records (any logger, ``discord.*`` included).

discord.py only *logs* exceptions raised in event handlers, views and commands
("Ignoring exception in ..."), and keeps running, so a broken handler otherwise looks like a
timeout. The ``discord_errors`` fixture installs one of these and fails the test at teardown.
"""

from __future__ import annotations

import logging
import re
from re import Pattern


class ErrorLogCollector(logging.Handler):
    """A logging handler keeping ERROR (and CRITICAL) records; see :meth:`check`."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self._ignored: list[Pattern[str]] = []
        self._installed: list[logging.Logger] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record in self.records:  # same record seen through two installed loggers
            return
        text = self._format(record)
        if not any(p.search(text) for p in self._ignored):
            self.records.append(record)

    @staticmethod
    def _format(record: logging.LogRecord) -> str:
        text = f"{record.name} {record.levelname}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        return text

    def ignore(self, pattern: str | Pattern[str]) -> None:
        """Ignore (from now on) errors whose message or traceback matches ``pattern``."""
        self._ignored.append(re.compile(pattern) if isinstance(pattern, str) else pattern)

    def messages(self) -> list[str]:
        """The collected errors, formatted with their tracebacks."""
        return [self._format(r) for r in self.records]

    def clear(self) -> None:
        self.records.clear()

    def check(self) -> None:
        """Raise AssertionError listing the collected errors, if any."""
        if self.records:
            raise AssertionError(
                f"{len(self.records)} ERROR log record(s) during the test:\n\n" + "\n\n".join(self.messages())
            )

    def install(self) -> ErrorLogCollector:
        """Attach to the root logger, and to ``discord`` too if it does not propagate."""
        self._installed = [logging.getLogger()]
        discord_logger = logging.getLogger("discord")
        if not discord_logger.propagate:
            self._installed.append(discord_logger)
        for logger in self._installed:
            logger.addHandler(self)
        return self

    def uninstall(self) -> None:
        for logger in self._installed:
            logger.removeHandler(self)
        self._installed = []
