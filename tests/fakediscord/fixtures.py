"""pytest fixtures: ``fake_discord`` (a started :class:`FakeDiscord`) and ``discord_errors``.

``fake_discord`` also fails the test at teardown when the bot sent a request body that breaks
Discord's OpenAPI description (see :mod:`tests.fakediscord.schema`).

Register them in a conftest (or test module) with ``pytest_plugins``, or import them::

    pytest_plugins = ["tests.fakediscord.fixtures"]
    from tests.fakediscord.fixtures import fake_discord, discord_errors  # noqa: F401

(``pytest_plugins`` avoids ruff's F811 on the fixture parameters, and pytest's "module already
imported" assert-rewrite warning when the module was imported first.)

discord.py only *logs* exceptions raised in event handlers, views and commands
("Ignoring exception in ..."), so a broken handler otherwise looks like a timeout.
``discord_errors`` collects every ERROR record (any logger, ``discord.*`` included) and fails
the test at teardown, listing the messages and tracebacks. Fixtures tear down in reverse
order, so list ``discord_errors`` first to also catch errors logged while later fixtures (a
bot, say) shut down; ``discord_errors.check()`` can also be called at any point of a test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from .logcheck import ErrorLogCollector
from .server import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started :class:`FakeDiscord` on a random port, stopped at teardown (one per test)."""
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    fake.check_schemas()  # a body real Discord would refuse with 400 fails the test


@pytest.fixture
def discord_errors() -> Iterator[ErrorLogCollector]:
    """Collects ERROR log records; fails the test at teardown if any were logged."""
    collector = ErrorLogCollector().install()
    try:
        yield collector
    finally:
        collector.uninstall()
    if collector.records:
        pytest.fail(
            f"{len(collector.records)} ERROR log record(s) during the test:\n\n"
            + "\n\n".join(collector.messages()),
            pytrace=False,
        )
