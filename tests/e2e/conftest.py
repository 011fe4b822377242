"""End-to-end harness: the real bot (unmodified) against the local Discord-compatible server."""

from __future__ import annotations

import asyncio
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
    settings = services.settings.model_copy(update=values)
    services.settings = settings
    bot = await start_bot(settings, services, guild_ready_timeout=0.05)
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await fake.wait_ready(timeout=30)
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
    finally:
        await bot.close()
        bot.feedback.close()
        await asyncio.wait_for(task, 10)
