"""Property-based bad input through the real bot: every argument gets an answer or a clear error.

Unicode, control characters, markdown, mentions and 10,000-character strings go to /ask, /members,
/member and /ingest. Never an unhandled exception (nothing logged at ERROR), never a ping.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.app import start_bot
from retrieval.services import Services
from tests.e2e.conftest import TOKEN
from tests.fakediscord import ErrorLogCollector, FakeDiscord

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]

nasty = st.one_of(
    st.text(min_size=0, max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80),
    st.sampled_from(
        [
            "@everyone",
            "@here",
            "<@123456789012345678>",
            "<@&123456789012345678>",
            "**bold** `code`",
            "```\nblock\n```",
            "\x00\x01\x1b[31m",
            "‮reversed",
            "ILRS" * 2500,
            " " * 50,
            "\n\n\n",
            "http://[::1",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://10.0.0.1/",
            "🚀" * 300,
        ]
    ),
)


class BotThread:
    """The fake server and the bot on an event loop in a background thread, driven from sync tests."""

    def __init__(self, services: Services) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake: FakeDiscord = self.run(self._start_fake())
        self.services = services
        self.bot = self.run(self._start_bot())

    def run(self, coro: Any, timeout: float = 60) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    async def _start_fake(self) -> FakeDiscord:
        return await FakeDiscord().start()

    async def _start_bot(self) -> Any:
        settings = self.services.settings.model_copy(
            update={
                "discord_api_base": self.fake.api_base,
                "discord_gateway_url": self.fake.gateway_url,
                "discord_token": SecretStr(TOKEN),
                "dev_guild_id": int(self.fake.guild_id),
                "cooldown_seconds": 0.0,
            }
        )
        bot = await start_bot(settings, self.services, guild_ready_timeout=0.05)
        self._task = asyncio.create_task(bot.start(TOKEN))
        await self.fake.wait_ready(timeout=30)
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        return bot

    async def _stop(self) -> None:
        await self.bot.close()
        self.bot.feedback.close()
        await self.fake.stop()
        leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]  # e.g. pager timeouts
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)

    def close(self) -> None:
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def driven(corpus_services: Services) -> Iterator[BotThread]:
    import discord.gateway
    import discord.http

    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    collector = ErrorLogCollector().install()
    harness = BotThread(corpus_services)
    try:
        yield harness
    finally:
        harness.close()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
        collector.uninstall()
    assert not collector.records, "\n\n".join(collector.messages())
    harness.fake.check_schemas()  # nothing the bot sent would Discord have refused
    bodies = [
        r.json
        for r in harness.fake.requests
        if r.method in ("POST", "PATCH")
        and isinstance(r.json, dict)
        and ("content" in r.json or "embeds" in r.json)
    ]
    assert bodies and all(b["allowed_mentions"]["parse"] == [] for b in bodies)
    assert not any(b["allowed_mentions"].get("replied_user") for b in bodies)


def shown_text(message: dict[str, Any]) -> str:
    """Everything a message shows: its text and its embeds' titles, descriptions and fields."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(p for p in parts if p)


def _outcome(driven: BotThread, name: str, options: dict[str, Any], user: Any = None) -> str:
    """Invoke a command and return what the user finally sees (an error line or the answer)."""
    fake = driven.fake

    async def go() -> str:
        record = await fake.invoke_command(name, options, user=user)
        callback = await record.wait_callback(timeout=30)
        if callback["type"] == 4:
            return shown_text(callback["data"])
        if name in ("members",):
            followup = (await record.wait_followups(1, timeout=30))[0]
            return shown_text(followup)
        final = await record.wait_original(lambda m: m.get("content") or m.get("embeds"), timeout=30)
        return shown_text(final)

    return driven.run(go())


common = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@common
@given(question=nasty)
@example(question="@everyone <@&123456789012345678> when did egypt join?")
@example(question="x" * 10_000)
def test_ask_never_crashes(driven: BotThread, question: str) -> None:
    shown = _outcome(driven, "ask", {"question": question})
    assert shown.strip()


@common
@given(
    coalition=st.one_of(st.sampled_from(["artemis_accords", "ilrs"]), nasty),
    as_of=st.one_of(st.none(), nasty),
)
@example(coalition="ilrs", as_of="2024-02-30")
@example(coalition="gateway", as_of=None)
def test_members_never_crashes(driven: BotThread, coalition: str, as_of: str | None) -> None:
    options = {"coalition": coalition} | ({"as_of": as_of} if as_of is not None else {})
    assert _outcome(driven, "members", options).strip()


@common
@given(name=nasty)
@example(name="\x00")
@example(name="Thai" + "\u0301" * 50)
def test_member_never_crashes(driven: BotThread, name: str) -> None:
    assert _outcome(driven, "member", {"name": name}).strip()


@common
@given(url=nasty)
@example(url="http://[::1")
@example(url="http://[::1]/")
@example(url="https://" + "a" * 300 + ".example/")
@example(url="  http://10.0.0.1/  ")
def test_ingest_never_crashes(driven: BotThread, url: str) -> None:
    assert _outcome(driven, "ingest", {"url": url}, user=driven.fake.admin_user).strip()
