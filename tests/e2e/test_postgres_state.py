"""With DATABASE_URL, a bot shares its votes, its /status counts and the reindex lock with the processes of
other machines (their own data folders) through PostgreSQL; and it says to try again shortly while the
database is down."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.feedback import open_feedback_store
from retrieval.index_lock import FileIndexLock
from retrieval.postgres_index_lock import PostgresIndexLock
from retrieval.postgres_pool import DatabasePool
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.fakediscord import FakeDiscord
from tests.helpers import make_settings, write_sample_corpus
from tests.postgres_server import PostgresServer, find_binaries

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]


def fields_of(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in ((message.get("embeds") or [{}])[0].get("fields") or [])}


def buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components") or [] for c in row["components"]]


def _answer_text(message: dict) -> str:
    return (message.get("content") or "") + "".join(
        e.get("description", "") for e in message.get("embeds") or []
    )


@pytest.fixture
def node_a(tmp_path: Path, postgres_server: PostgresServer) -> Iterator[tuple[Services, str]]:
    """This bot's services (its own data and corpus folders) on a new database; yields them and the URL."""
    url = postgres_server.create_database()
    corpus = write_sample_corpus(tmp_path / "a" / "corpus")
    services = Services(make_settings(tmp_path / "a", corpus=corpus, database_url=url))
    services.reindex()
    try:
        yield services, url
    finally:
        services.close()
        postgres_server.drop_database(url)


async def test_votes_status_and_the_reindex_lock_are_shared_with_another_nodes_processes(
    discord_errors, fake_discord: FakeDiscord, node_a: tuple[Services, str], tmp_path: Path, monkeypatch
) -> None:
    fake = fake_discord
    services, url = node_a
    node_b = make_settings(tmp_path / "b", database_url=url)  # another machine: its own data folder
    their_feedback = open_feedback_store(node_b)
    their_pool = DatabasePool(url, name="node-b", max_size=1)
    their_lock = PostgresIndexLock(their_pool)
    held, release = threading.Event(), threading.Event()

    def reindex_on_node_b() -> None:
        with their_lock.hold("carol (node b)"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=reindex_on_node_b)
    try:
        async with running_bot(fake, services, monkeypatch) as bot:
            record = await fake.invoke_command("ask", {"question": "When did Egypt join the ILRS?"})
            answer = await record.wait_original(lambda m: m.get("embeds"))
            up, down = (b["custom_id"] for b in buttons(answer))
            answer_id = down.split(":")[-1]
            plain, admin = int(fake.plain_user["id"]), int(fake.admin_user["id"])

            # a 👎 with what was wrong, given here, is seen by node B; node B's 👍 on this answer counts here
            change = await fake.click_button(answer, down, user=fake.plain_user)
            await change.wait_callback()
            said = await fake.submit_modal(change, {"what_was_wrong": "the year is wrong"})
            await said.wait_original(lambda m: "not helpful" in (m.get("content") or ""))
            assert their_feedback.current_vote(answer_id, plain) == (-1, "the year is wrong")
            assert their_feedback.vote(answer_id, admin, up=True)
            assert bot.feedback.current_vote(answer_id, admin) == (1, "")

            holder.start()
            assert await asyncio.to_thread(held.wait, 10)
            status = await (await fake.invoke_command("status")).wait_original(lambda m: m.get("embeds"))
            fields = fields_of(status)
            assert fields["Feedback"] == "1 answers · 1 👍 · 1 👎"
            since = rf"\(pid {os.getpid()} on {re.escape(socket.gethostname())}, since [\d\- :]+ UTC\)"
            assert re.search(
                rf"\nReindexing now: started by carol \(node b\) {since}$", fields["Last refresh"]
            )

            refused = await fake.invoke_command("reindex", user=fake.admin_user)
            line = await refused.wait_original(lambda m: "already running" in (m.get("content") or ""))
            assert re.fullmatch(
                rf"A reindex is already running \(started by carol \(node b\) {since}\)\. Questions are "
                r"answered from the current index meanwhile\.",
                line["content"],
            )
    finally:
        release.set()
        holder.join(10)
        their_feedback.close()
        their_pool.close()
    data = tmp_path / "a" / "data"
    assert not (data / "feedback.sqlite3").exists() and not (data / "index.lock").exists()
    assert not FileIndexLock(data / "index.lock").history_path.exists()


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, which it stops and starts."""
    binaries = find_binaries()
    assert binaries is not None, "PostgreSQL is needed (initdb and pg_ctl)"
    server = PostgresServer(binaries).start()
    try:
        yield server
    finally:
        server.stop()


async def test_the_bot_says_to_try_again_shortly_while_the_database_is_down_and_recovers(
    discord_errors, fake_discord: FakeDiscord, own_server: PostgresServer, tmp_path: Path, monkeypatch
) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    services = Services(make_settings(tmp_path, corpus=corpus, database_url=own_server.create_database()))
    services.reindex()
    try:
        async with running_bot(fake_discord, services, monkeypatch):

            async def ask() -> dict:
                record = await fake_discord.invoke_command(
                    "ask", {"question": "When did Egypt join the ILRS?"}
                )
                return await record.wait_original(lambda m: m.get("content") or m.get("embeds"), timeout=30)

            first = await ask()
            assert "6 December 2023" in _answer_text(first)
            await asyncio.to_thread(own_server.pause)
            try:
                assert _answer_text(await ask()) == "Search is unavailable right now; try again shortly."
                vote = await fake_discord.click_button(first, buttons(first)[0]["custom_id"])
                assert (await vote.wait_callback())["data"]["content"] == (
                    "Votes cannot be recorded right now; try again shortly."
                )
            finally:
                await asyncio.to_thread(own_server.resume)
            assert "6 December 2023" in _answer_text(await ask())  # recovered by itself, same process
    finally:
        services.close()
