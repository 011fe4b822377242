"""Beyond one process: two bot processes (shards 0 and 1 of 2) and an indexer sharing a Chroma server.

The vectors live on the Chroma server; the catalog and keyword index live in one SQLite file in the
shared data folder (WAL mode: several readers, one writer), so a reindex by one process is seen by
every other process at its next question.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest

from retrieval.services import Services
from tests.conftest import REPO
from tests.e2e.conftest import TOKEN
from tests.fakediscord import FakeDiscord
from tests.helpers import make_settings, write_article

pytestmark = [
    pytest.mark.chroma_server,
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]


async def test_two_shard_processes_and_an_indexer_share_one_chroma_server(
    tmp_path: Path, chroma_server: tuple[str, int]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "articles", corpus)
    prefix = f"mp{uuid.uuid4().hex[:8]}"
    async with FakeDiscord(valid_token=TOKEN) as fake:
        guild_a = fake.add_guild("Shard zero", shard=(0, 2))
        guild_b = fake.add_guild("Shard one", shard=(1, 2))
        admin = fake.add_member(guild_a.id, "root", roles=["Admin"])
        asker = fake.add_member(guild_b.id, "bea")
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "EMBEDDING_MODEL": "fake-hash-embedder",
            "DATA_DIR": str(tmp_path / "data"),
            "CORPUS_DIR": str(corpus),
            "REGISTRY_PATH": str(REPO / "corpus" / "members.csv"),
            "CHROMA_HOST": chroma_server[0],
            "CHROMA_PORT": str(chroma_server[1]),
            "CHROMA_COLLECTION_PREFIX": prefix,
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "COOLDOWN_SECONDS": "0",
            "SHARD_COUNT": "2",
        }

        indexer = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "retrieval", "index", env=env, cwd=tmp_path
        )
        assert await indexer.wait() == 0
        bots = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                env={**env, "SHARD_IDS": str(i)},
                cwd=tmp_path,
                stderr=asyncio.subprocess.PIPE,
            )
            for i in (0, 1)
        ]
        try:
            await fake.wait_ready(n_connections=2, timeout=60)
            await fake.wait_until(
                lambda: fake.registered_commands() or None,
                timeout=60,
                description="global commands registered",
            )
            assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]

            # each process answers the guild of its own shard
            for guild, user in ((guild_a, admin), (guild_b, asker)):
                record = await fake.invoke_command(
                    "ask",
                    {"question": "When did Egypt join the ILRS?"},
                    user=user,
                    guild_id=guild.id,
                    channel_id=guild.channel_id,
                )
                message = await record.wait_original(lambda m: m.get("embeds"), timeout=30)
                assert "6 December 2023" in message["embeds"][0]["description"]

            # a reindex through shard 0 is seen by shard 1
            write_article(
                corpus,
                "atlantis-ilrs",
                "Atlantis joins the ILRS",
                "Atlantis joined the International Lunar Research Station on 2 February 2026 with a "
                "memorandum signed by the Atlantis Space Office and CNSA.",
                published="2026-02-02",
            )
            reindex = await fake.invoke_command(
                "reindex", user=admin, guild_id=guild_a.id, channel_id=guild_a.channel_id
            )
            done = await reindex.wait_original(
                lambda m: "Reindex finished" in (m.get("content") or ""), timeout=60
            )
            assert "1 added" in done["content"]
            record = await fake.invoke_command(
                "ask",
                {"question": "When did Atlantis join the ILRS?"},
                user=asker,
                guild_id=guild_b.id,
                channel_id=guild_b.channel_id,
            )
            message = await record.wait_original(lambda m: m.get("embeds"), timeout=30)
            assert "2 February 2026" in message["embeds"][0]["description"]
        finally:
            for bot in bots:
                bot.terminate()
            errors = [(await asyncio.wait_for(bot.communicate(), 30))[1].decode() for bot in bots]
        assert all(TOKEN not in e for e in errors)

    # the keyword index (shared SQLite) and the vectors (Chroma server) hold the same chunks
    settings = make_settings(
        tmp_path,
        corpus=corpus,
        data_dir=tmp_path / "data",
        chroma_host=chroma_server[0],
        chroma_port=chroma_server[1],
        chroma_collection_prefix=prefix,
        chunk_tokens=200,
        chunk_overlap_tokens=40,
    )
    shared = Services(settings)
    assert shared.store.all_ids() == shared.catalog.all_chunk_ids()
    fts = shared.catalog.keyword_index_ids()
    assert fts == shared.catalog.all_chunk_ids() and any(c.startswith("atlantis-ilrs:") for c in fts)
