"""End-to-end harness: the real bot (unmodified) against the local Discord-compatible server."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import CoalitionBot, start_bot
from retrieval.services import Services
from tests.conftest import REPO
from tests.fakediscord import FakeDiscord, point_discord_at
from tests.fakediscord.fixtures import discord_errors, fake_discord  # noqa: F401 - fixtures for the e2e tests
from tests.helpers import make_settings

TEXTLESS = re.compile(r"/(threads|reactions)\b")  # a thread's name, an emoji: not a message
TOKEN = "MTAxMDEw.fake-bot-token.SECRET-do-not-log"


@pytest.fixture(scope="session")
def corpus_services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    """The shipped corpus and registry, indexed once with the fast fake embedder."""
    tmp = tmp_path_factory.mktemp("e2e-index")
    svc = Services(
        make_settings(
            tmp,
            corpus=REPO / "corpus" / "articles",
            registry_path=REPO / "corpus" / "members.csv",
            chunk_tokens=200,
            chunk_overlap_tokens=40,
        )
    )
    svc.reindex()
    return svc


@pytest.fixture
def own_corpus_services(tmp_path: Path) -> Services:
    """A private copy of the corpus for tests that change it (reindex)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "articles", corpus)
    shutil.copy(REPO / "corpus" / "members.csv", tmp_path / "members.csv")
    svc = Services(make_settings(tmp_path, corpus=corpus, chunk_tokens=200, chunk_overlap_tokens=40))
    svc.reindex()
    return svc


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord, services: Services, monkeypatch: pytest.MonkeyPatch, **overrides: object
) -> AsyncIterator[CoalitionBot]:
    """Start the bot against `fake` with settings pointing at it; close it afterwards."""
    point_discord_at(fake, monkeypatch)  # undone at teardown; the bot sets the same values from settings
    values: dict[str, object] = {
        "discord_api_base": fake.api_base,
        "discord_gateway_url": fake.gateway_url,
        "discord_token": SecretStr(TOKEN),
        "dev_guild_id": int(fake.guild_id),
        "cooldown_seconds": 0.0,
    }
    values.update(overrides)
    before = services.settings
    settings = before.model_copy(update=values)
    services.settings = settings  # restored below: the session's services are shared by many tests
    bot = await start_bot(settings, services, guild_ready_timeout=0.05)
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await fake.wait_ready(timeout=30)
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
    finally:
        await bot.close()
        bot.feedback.close()
        services.settings = before
        await asyncio.wait_for(task, 10)
    assert_never_pings(fake)


def message_bodies(fake: FakeDiscord) -> list[dict]:
    """Every body the bot sent that creates or edits a message: channel messages, interaction responses
    (a new message or an update in place), follow-ups and edits of them."""
    bodies = []
    for r in fake.requests:
        if r.method not in ("POST", "PATCH") or not isinstance(r.json, dict):
            continue
        if r.path.endswith("/callback"):
            if r.json.get("type") in (4, 7):  # a message, or an update of the clicked one
                bodies.append(r.json.get("data") or {})
        elif ("/messages" in r.path or r.path.startswith("/webhooks/")) and not TEXTLESS.search(r.path):
            bodies.append(r.json)
    return bodies


def assert_never_pings(fake: FakeDiscord) -> None:
    """Every message the bot sent or edited says no one is to be pinged, replies included."""
    loud = [
        b
        for b in message_bodies(fake)
        if (b.get("allowed_mentions") or {}).get("parse") != []
        or (b.get("allowed_mentions") or {}).get("replied_user")
        or any((b.get("allowed_mentions") or {}).get(k) for k in ("users", "roles"))
    ]
    assert not loud, f"{len(loud)} message bodies could ping: {loud[:2]}"
