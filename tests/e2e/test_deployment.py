"""A deployment that shares no folder: two bot processes (shards 0 and 1 of 2), each with its own data
folder, corpus folder and members registry, and nothing in common but a PostgreSQL server and a Chroma
server on loopback, both started here (and stopped and started again mid-run, as an outage).

One test, in the order an operator would meet things: both shards answer and count each other's votes,
an article ingested on shard 1 is answered on shard 0, a reindex on shard 0 (whose corpus folder never
had that article) keeps it while a reindex asked at the same moment on shard 1 is refused, and each
server's outage is met with "try again shortly" and recovered from without a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from retrieval.postgres_index_lock import PostgresIndexLock
from retrieval.postgres_pool import DatabasePool
from tests.conftest import REPO, ChromaServer
from tests.e2e.conftest import TOKEN
from tests.fakediscord import FakeDiscord
from tests.fakediscord.server import User
from tests.postgres_server import PostgresServer, find_binaries

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.chroma_server,
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]

WAIT = 90  # seconds for any one reply: generous, the machine's two cores are shared with other work
UNAVAILABLE = "Search is unavailable right now; try again shortly."
ATLANTIS = (
    b"# Atlantis joins the ILRS\n\nAtlantis joined the International Lunar Research Station on 2 February 2026 "
    b"with a memorandum signed by the Atlantis Space Office and CNSA in Beijing.\n"
)
ATLANTIS_TITLE = "Atlantis joins the ILRS"


@dataclass
class Shard:
    """One bot process's node: its guild (routed to its shard), an admin, an asker and its own folders."""

    number: int
    root: Path
    guild_id: str
    channel_id: str
    admin: User
    asker: User
    process: asyncio.subprocess.Process | None = None

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "bot.log"


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own (it is stopped and started mid-run)."""
    binaries = find_binaries()
    assert binaries is not None, "PostgreSQL is needed (initdb and pg_ctl)"
    server = PostgresServer(binaries).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    """A Chroma server of this test's own (it is stopped and started mid-run, same port and data)."""
    folder = tmp_path / "chroma"
    folder.mkdir()
    server = ChromaServer(folder).start(timeout=120)
    try:
        yield server
    finally:
        server.stop()


def _node(root: Path) -> Path:
    """A node's own copies of the corpus folder and the members registry, and an empty data folder."""
    shutil.copytree(REPO / "corpus" / "articles", root / "corpus")
    shutil.copy(REPO / "corpus" / "members.csv", root / "members.csv")
    (root / "data").mkdir()
    return root


def _text(message: dict[str, Any]) -> str:
    return (message.get("content") or "") + "".join(
        e.get("description", "") for e in message.get("embeds") or []
    )


def _sources(message: dict[str, Any]) -> str:
    fields = ((message.get("embeds") or [{}])[0].get("fields")) or []
    return "\n".join(f["value"] for f in fields if f["name"].startswith("Sources"))


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    """custom_id of 👍 ('up') and 👎 ('down') under an answer."""
    ids = [c["custom_id"] for row in message.get("components") or [] for c in row["components"]]
    return {"up": next(i for i in ids if ":up:" in i), "down": next(i for i in ids if ":down:" in i)}


@contextlib.asynccontextmanager
async def _blocking_the_catalog(url: str) -> AsyncIterator[None]:
    """Hold the catalog's `embedding_model` row in an open transaction: a reindex that has taken the reindex
    lock stops at its first catalog write until this ends (questions, which only read, go on)."""
    conn = await psycopg.AsyncConnection.connect(url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT value FROM meta WHERE key = 'embedding_model' FOR UPDATE")
            yield
    finally:
        await conn.close()


async def _holder_once_held(lock: PostgresIndexLock, who: str) -> str:
    """The reindex lock's holder, as every process reads it, once `who` holds it."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while True:
        holder = await asyncio.to_thread(lock.holder)
        if holder and holder.startswith(who):
            return holder
        assert asyncio.get_running_loop().time() < deadline, f"{who} never held the reindex lock ({holder})"
        await asyncio.sleep(0.1)


async def test_two_shards_sharing_no_folder_serve_one_index_and_ride_out_server_restarts(
    tmp_path: Path, postgres: PostgresServer, chroma: ChromaServer
) -> None:
    url = postgres.create_database()
    async with FakeDiscord(valid_token=TOKEN) as fake:
        shards = []
        for number in (0, 1):
            guild = fake.add_guild(f"Shard {number}", shard=(number, 2))
            shards.append(
                Shard(
                    number,
                    _node(tmp_path / f"node{number}"),
                    guild.id,
                    guild.channel_id,
                    fake.add_member(guild.id, f"admin{number}", roles=["Admin"]),
                    fake.add_member(guild.id, f"asker{number}"),
                )
            )
        zero, one = shards

        def env(shard: Shard) -> dict[str, str]:
            return {
                **os.environ,
                "PYTHONPATH": str(REPO),
                "EMBEDDING_MODEL": "fake-hash-embedder",
                "DATA_DIR": str(shard.data),
                "CORPUS_DIR": str(shard.corpus),
                "REGISTRY_PATH": str(shard.root / "members.csv"),
                "DATABASE_URL": url,
                "CHROMA_HOST": "127.0.0.1",
                "CHROMA_PORT": str(chroma.port),
                "DISCORD_TOKEN": TOKEN,
                "DISCORD_API_BASE": fake.api_base,
                "DISCORD_GATEWAY_URL": fake.gateway_url,
                "COOLDOWN_SECONDS": "0",
                "SHARD_COUNT": "2",
                "SHARD_IDS": str(shard.number),
            }

        indexer = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "retrieval", "index", env=env(zero), cwd=zero.root
        )
        assert await asyncio.wait_for(indexer.wait(), 300) == 0
        for shard in shards:
            with open(shard.log, "wb") as log:  # a file, not a pipe: a full pipe would stall the bot
                shard.process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", env=env(shard), cwd=shard.root, stdout=log, stderr=log
                )

        async def ask(shard: Shard, question: str) -> dict[str, Any]:
            record = await fake.invoke_command(
                "ask",
                {"question": question},
                user=shard.asker,
                guild_id=shard.guild_id,
                channel_id=shard.channel_id,
            )
            return await record.wait_original(lambda m: m.get("content") or m.get("embeds"), timeout=WAIT)

        async def admin_command(shard: Shard, name: str, options: dict[str, Any] | None = None) -> Any:
            return await fake.invoke_command(
                name, options, user=shard.admin, guild_id=shard.guild_id, channel_id=shard.channel_id
            )

        async def status_feedback(shard: Shard) -> str:
            record = await fake.invoke_command(
                "status", user=shard.asker, guild_id=shard.guild_id, channel_id=shard.channel_id
            )
            status = await record.wait_original(lambda m: m.get("embeds"), timeout=WAIT)
            fields = {f["name"]: f["value"] for f in status["embeds"][0].get("fields") or []}
            return fields["Feedback"]

        lock_pool = DatabasePool(url, name="test-observer", max_size=1, min_size=0)
        try:
            await fake.wait_ready(n_connections=2, timeout=180)
            await fake.wait_until(
                lambda: fake.registered_commands() or None, timeout=WAIT, description="commands registered"
            )
            assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]

            # each process answers its own shard's guild; votes from both are counted once each, on both
            answers = {}
            for shard in shards:
                answers[shard.number] = await ask(shard, "When did Egypt join the ILRS?")
                assert "6 December 2023" in _text(answers[shard.number])
            up = await fake.click_button(answers[0], _buttons(answers[0])["up"], user=zero.asker)
            await up.wait_callback(timeout=WAIT)
            down = await fake.click_button(answers[1], _buttons(answers[1])["down"], user=one.asker)
            assert (await down.wait_callback(timeout=WAIT))[
                "type"
            ] == 9  # the 👎 counts; the form is optional
            assert [await status_feedback(s) for s in shards] == ["2 answers · 1 👍 · 1 👎"] * 2
            changed = await fake.click_button(answers[1], _buttons(answers[1])["up"], user=one.asker)
            await changed.wait_callback(timeout=WAIT)  # a changed vote replaces the first, never adds
            assert [await status_feedback(s) for s in shards] == ["2 answers · 2 👍 · 0 👎"] * 2

            # an article ingested on shard 1 is answered, with its citation, at shard 0's next question
            ingest = await admin_command(
                one, "ingest", {"file": ("atlantis.md", ATLANTIS), "published": "2026-02-02"}
            )
            done = await ingest.wait_original(
                lambda m: " indexed as `" in (m.get("content") or ""), timeout=WAIT
            )
            assert done["content"].startswith(f"Added “{ATLANTIS_TITLE}” (2 Feb 2026)")
            assert list(one.corpus.glob("ingested-*.md")) and not list(zero.corpus.glob("ingested-*.md"))
            question = "When did Atlantis join the ILRS?"
            answer = await ask(zero, question)
            assert "2 February 2026" in _text(answer) and ATLANTIS_TITLE in _sources(answer)

            # two reindexes at once: shard 0's runs (held mid-run here), shard 1's is refused naming it;
            # shard 0's corpus folder never had the ingested article, and its reindex keeps it
            async with _blocking_the_catalog(url):
                running = await admin_command(zero, "reindex")
                holder = await _holder_once_held(PostgresIndexLock(lock_pool), "admin0 (/reindex)")
                refused = await admin_command(one, "reindex")
                line = await refused.wait_original(
                    lambda m: "already running" in (m.get("content") or ""), timeout=WAIT
                )
                assert refused.ephemeral and line["content"] == (
                    f"A reindex is already running (started by {holder}). "
                    "Questions are answered from the current index meanwhile."
                )
                assert re.fullmatch(r"admin0 \(/reindex\) \(pid \d+ on .+, since [\d\- :]+ UTC\)", holder)
                meanwhile = await ask(one, question)
                assert "2 February 2026" in _text(meanwhile) and ATLANTIS_TITLE in _sources(meanwhile)
            finished = await running.wait_original(
                lambda m: "Reindex finished" in (m.get("content") or ""), timeout=WAIT
            )
            # the articles of its own corpus folder, and the one ingested on shard 1
            articles = len(list(zero.corpus.glob("*.md"))) + 1
            assert f"0 added, 0 updated, {articles} unchanged, 0 deleted" in finished["content"]
            for shard in shards:
                answer = await ask(shard, question)
                assert "2 February 2026" in _text(answer) and ATLANTIS_TITLE in _sources(answer)

            # PostgreSQL stopped: every question is told to try again shortly; started again, the same
            # processes answer again by themselves
            await asyncio.to_thread(postgres.pause)
            try:
                for shard in shards:
                    assert _text(await ask(shard, question)) == UNAVAILABLE
                    assert _text(await ask(shard, "When did Egypt join the ILRS?")) == UNAVAILABLE
            finally:
                await asyncio.to_thread(postgres.resume)
            for shard in shards:
                answer = await ask(shard, question)
                assert "2 February 2026" in _text(answer) and ATLANTIS_TITLE in _sources(answer)

            # the Chroma server stopped: a question that needs the passages' vectors is told to try again
            # shortly (one the members registry answers needs none, and is answered); started again (same
            # port, same data), the same processes answer again by themselves
            await asyncio.to_thread(chroma.stop)
            try:
                for shard in shards:
                    assert _text(await ask(shard, question)) == UNAVAILABLE
                    assert "6 December 2023" in _text(await ask(shard, "When did Egypt join the ILRS?"))
            finally:
                await asyncio.to_thread(chroma.start, 120)
            for shard in shards:
                answer = await ask(shard, question)
                assert "2 February 2026" in _text(answer) and ATLANTIS_TITLE in _sources(answer)
        finally:
            lock_pool.close()
            for shard in shards:
                if shard.process is not None and shard.process.returncode is None:
                    shard.process.terminate()
                    await asyncio.wait_for(shard.process.wait(), 30)

    for shard in shards:
        log = shard.log.read_text(errors="replace")
        assert TOKEN not in log and "Ignoring exception" not in log, log[-3000:]
        # nothing of the shared state was kept in the node's own folder
        kept = {p.name for p in shard.data.iterdir()}
        assert not kept & {
            "catalog.sqlite3",
            "feedback.sqlite3",
            "index.lock",
            "index_runs.sqlite3",
            "chroma",
        }
