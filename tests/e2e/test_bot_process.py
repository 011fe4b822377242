"""`python -m bot` as a real process against the local Discord-compatible server."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from retrieval.services import Services
from tests.conftest import REPO
from tests.e2e.conftest import TOKEN, running_bot
from tests.fakediscord import FakeDiscord
from tests.helpers import (
    make_settings,
    obey_file_permissions,
    serve_http,
    serve_trickle,
    write_sample_corpus,
)
from tests.integration.test_failures import FAULTS

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]


def _env(tmp: Path, fake: FakeDiscord, token: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EMBEDDING_MODEL": "fake-hash-embedder",
        "DATA_DIR": str(tmp / "data"),
        "CORPUS_DIR": str(REPO / "corpus" / "articles"),
        "REGISTRY_PATH": str(REPO / "corpus" / "members.csv"),
        "DISCORD_TOKEN": token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DEV_GUILD_ID": fake.guild_id,
        "COOLDOWN_SECONDS": "0",
    }


async def _run(
    *args: str, env: dict[str, str], cwd: Path, preexec_fn: Callable[[], None] | None = None
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        preexec_fn=preexec_fn,
    )


async def test_python_m_bot_answers_an_ask_with_citations(tmp_path: Path) -> None:
    async with FakeDiscord(valid_token=TOKEN) as fake:
        env = _env(tmp_path, fake, TOKEN)
        index = await _run("-m", "retrieval", "index", env=env, cwd=tmp_path)
        assert await index.wait() == 0
        bot = await _run("-m", "bot", "--verbose", env=env, cwd=tmp_path)
        try:
            await fake.wait_for_request(
                "PUT", rf"/applications/\d+/guilds/{fake.guild_id}/commands", timeout=60
            )
            await fake.wait_ready(timeout=30)
            record = await fake.invoke_command("ask", {"question": "When did Pakistan join the ILRS?"})
            original = await record.wait_original(lambda m: m.get("embeds"), timeout=30)
            embed = original["embeds"][0]
            assert "18 October 2023" in embed["description"] and "[1]" in embed["description"]
            assert embed["fields"][0]["name"] == "Sources" and embed["fields"][0]["value"].startswith("[1] [")
        finally:
            bot.terminate()
            _, stderr = await asyncio.wait_for(bot.communicate(), 30)
        assert TOKEN not in stderr.decode()  # not even at INFO level


async def test_a_rejected_token_is_one_readable_line_and_never_logged(tmp_path: Path) -> None:
    secret = "MTk5OTk5.wrong-token.SHOULD-NEVER-APPEAR"
    async with FakeDiscord(valid_token=TOKEN) as fake:
        env = _env(tmp_path, fake, secret)
        bot = await _run("-m", "bot", "-vv", env=env, cwd=tmp_path)  # DEBUG: every log line discord.py writes
        stdout, stderr = await asyncio.wait_for(bot.communicate(), 120)
    assert bot.returncode == 1
    err = stderr.decode()
    assert err.strip().splitlines()[-1] == "error: Discord rejected the token; check DISCORD_TOKEN"
    assert secret not in err and secret not in stdout.decode()
    assert "wrong-token" not in err and "Traceback" not in err
    assert "DEBUG" in err  # the debug logs really were on


async def test_commands_are_synced_only_when_they_changed(
    discord_errors, fake_discord: FakeDiscord, corpus_services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        pass
    puts = [r for r in fake_discord.requests if r.method == "PUT" and r.path.endswith("/commands")]
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        pass
    again = [r for r in fake_discord.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1 and len(again) == 1  # the second start found the same command set


async def test_a_failed_reindex_reports_why_and_the_previous_index_keeps_answering(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services, monkeypatch, tmp_path: Path
) -> None:
    async with running_bot(fake_discord, own_corpus_services, monkeypatch, corpus_dir=tmp_path / "gone"):
        record = await fake_discord.invoke_command("reindex", user=fake_discord.admin_user)
        final = await record.wait_original(lambda m: "Reindex failed" in (m.get("content") or ""))
        assert (
            "corpus folder not found" in final["content"]
            and "previous index is still answering" in final["content"]
        )
        ask = await fake_discord.invoke_command("ask", {"question": "When did Egypt join the ILRS?"})
        answered = await ask.wait_original(lambda m: m.get("embeds"))
        assert "6 December 2023" in answered["embeds"][0]["description"]


async def test_ingest_by_an_admin_adds_the_article_and_a_non_admin_is_refused(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services, monkeypatch
) -> None:
    from tests.integration.test_ingest import ARTICLE

    with serve_http({"/news/ruritania.html": (200, {"Content-Type": "text/html"}, ARTICLE)}) as base:
        url = f"{base}/news/ruritania.html"
        async with running_bot(
            fake_discord, own_corpus_services, monkeypatch, ingest_allowed_networks=["127.0.0.0/8"]
        ):
            refused = await fake_discord.invoke_command("ingest", {"url": url}, user=fake_discord.plain_user)
            assert "Only admins" in (await refused.wait_callback())["data"]["content"] and refused.ephemeral
            record = await fake_discord.invoke_command("ingest", {"url": url}, user=fake_discord.admin_user)
            done = await record.wait_original(
                lambda m: " indexed as `" in (m.get("content") or ""), timeout=30
            )
            assert record.ephemeral  # admin tools stay with the admin
            assert done["content"].startswith("Added “Mars Colony League gains a member” (")
            assert "4 Mar 2026" in done["content"] and f"<{url}>" in done["content"]
            hits = own_corpus_services.searcher.search("Ruritania memorandum lunar landers").passages
            assert hits[0].chunk.title == "Mars Colony League gains a member"
            private = await fake_discord.invoke_command(
                "ingest", {"url": "http://10.1.2.3/x.html"}, user=fake_discord.admin_user
            )
            failed = await private.wait_original(lambda m: "Not ingested" in (m.get("content") or ""))
            assert "internal address (10.1.2.3)" in failed["content"]


async def test_the_token_never_appears_in_logs_at_any_level(
    fake_discord: FakeDiscord, corpus_services, monkeypatch
) -> None:
    import logging

    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record) + repr(record.args) + repr(getattr(record, "exc_text", "")))

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        async with running_bot(fake_discord, corpus_services, monkeypatch):
            record = await fake_discord.invoke_command("ask", {"question": "When did Egypt join the ILRS?"})
            await record.wait_original(lambda m: m.get("embeds"))
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert len(records) > 20  # discord.py's debug logging really was captured
    assert not [r for r in records if TOKEN in r or TOKEN.split(".")[-1] in r]


async def test_the_bot_refreshes_configured_pages_on_schedule(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services, monkeypatch
) -> None:
    from tests.integration.test_ingest import ARTICLE

    with serve_http({"/feed/latest.html": (200, {"Content-Type": "text/html"}, ARTICLE)}) as base:
        url = f"{base}/feed/latest.html"
        async with running_bot(
            fake_discord,
            own_corpus_services,
            monkeypatch,
            refresh_urls=[url],
            refresh_hours=0.5 / 3600,
            ingest_allowed_networks=["127.0.0.0/8"],
        ):
            await fake_discord.wait_until(
                lambda: [d for d in own_corpus_services.catalog.documents() if d.url == url] or None,
                timeout=30,
                description="the refreshed page indexed",
            )


async def test_ingest_an_attached_file(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services, monkeypatch
) -> None:
    text = b"# Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU signed in Beijing."
    async with running_bot(fake_discord, own_corpus_services, monkeypatch):
        record = await fake_discord.invoke_command(
            "ingest", {"file": ("freedonia.md", text)}, user=fake_discord.admin_user
        )
        undated = await record.wait_original(lambda m: "Not ingested" in (m.get("content") or ""), timeout=30)
        assert "does not say when it was published" in undated["content"] and record.ephemeral
        record = await fake_discord.invoke_command(
            "ingest",
            {"file": ("freedonia.md", text), "published": "2026-05-06"},
            user=fake_discord.admin_user,
        )
        done = await record.wait_original(lambda m: " indexed as `" in (m.get("content") or ""), timeout=30)
        assert done["content"].startswith("Added “Freedonia joins the ILRS” (6 May 2026)")
        assert (
            "(no link: none was given with the file)" in done["content"] and "example" not in done["content"]
        )
        bad = await fake_discord.invoke_command(
            "ingest", {"file": ("tool.exe", b"MZ")}, user=fake_discord.admin_user
        )
        failed = await bad.wait_original(lambda m: "Not ingested" in (m.get("content") or ""))
        assert "unsupported file type '.exe'" in failed["content"]
    assert (
        own_corpus_services.searcher.search("Freedonia MoU").passages[0].chunk.title
        == "Freedonia joins the ILRS"
    )


@pytest.mark.chroma_server
async def test_the_bot_survives_a_chroma_outage_and_recovers(
    discord_errors, fake_discord: FakeDiscord, tmp_path: Path, monkeypatch
) -> None:
    from tests.conftest import ChromaServer
    from tests.helpers import make_settings, write_sample_corpus

    server = ChromaServer(tmp_path).start()
    try:
        corpus = write_sample_corpus(tmp_path / "corpus")
        services = Services(
            make_settings(tmp_path, corpus=corpus, chroma_host="127.0.0.1", chroma_port=server.port)
        )
        services.reindex()
        async with running_bot(fake_discord, services, monkeypatch):

            async def ask() -> str:
                record = await fake_discord.invoke_command(
                    "ask", {"question": "When did Egypt join the ILRS?"}
                )
                final = await record.wait_original(lambda m: m.get("content") or m.get("embeds"), timeout=30)
                return (final.get("content") or "") + "".join(
                    e["description"] for e in final.get("embeds") or []
                )

            assert "6 December 2023" in await ask()
            await asyncio.to_thread(server.stop)
            assert await ask() == "Search is unavailable right now; try again shortly."
            await asyncio.to_thread(server.start)
            assert "6 December 2023" in await ask()  # recovered by itself, same process
    finally:
        server.stop()


async def test_answers_never_wait_for_a_slow_ingest(
    discord_errors, fake_discord: FakeDiscord, tmp_path: Path, monkeypatch
) -> None:
    """With the default thread pool down to one worker (as busy as it gets), a question asked while an
    ingest is fetching a slow page is answered before the ingest ends."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=1))
    corpus = write_sample_corpus(tmp_path / "corpus")
    services = Services(
        make_settings(
            tmp_path, corpus=corpus, ingest_allowed_networks=["127.0.0.0/8"], ingest_timeout_seconds=30
        )
    )
    services.reindex()

    def ingest_finished() -> str | None:
        done = [m["content"] for m in ingest.original_history if " indexed as `" in (m.get("content") or "")]
        return done[0] if done else None

    page = (
        b"<html><head><title>Ruritania joins the ILRS</title></head><body><article><p>Ruritania joined the "
        b"International Lunar Research Station on 4 March 2026, signing a memorandum with CNSA.</p></article>"
        b"</body></html>"
    )
    with serve_trickle("body", interval=6 / len(page), body=page) as (base, accepted, _):  # about 6 s
        async with running_bot(fake_discord, services, monkeypatch):
            ingest = await fake_discord.invoke_command(
                "ingest",
                {"url": f"{base}/slow.html", "published": "2026-03-04"},
                user=fake_discord.admin_user,
            )
            await fake_discord.wait_until(lambda: accepted or None, description="the slow fetch under way")
            ask = await fake_discord.invoke_command("ask", {"question": "When did Egypt join the ILRS?"})
            answered = await ask.wait_original(lambda m: m.get("embeds"), timeout=30)
            assert "6 December 2023" in answered["embeds"][0]["description"]
            assert ingest_finished() is None  # the answer did not wait for the ingest
            reply = await fake_discord.wait_until(
                ingest_finished, timeout=30, description="the ingest's reply"
            )
            assert reply.startswith("Added “Ruritania joins the ILRS”")
    services.catalog.close()


@pytest.mark.parametrize("fault", [*FAULTS, "invalid setting"])
async def test_a_broken_data_folder_or_setting_stops_the_bot_at_start_in_one_line(
    tmp_path: Path, fault: str
) -> None:
    async with FakeDiscord(valid_token=TOKEN) as fake:
        env = {**_env(tmp_path, fake, TOKEN), "CORPUS_DIR": str(write_sample_corpus(tmp_path / "corpus"))}
        index = await _run("-m", "retrieval", "index", env=env, cwd=tmp_path)
        assert await index.wait() == 0
        if fault == "invalid setting":
            env["INGEST_ALLOWED_NETWORKS"] = "garbage"
            expected, code = "error: invalid setting: INGEST_ALLOWED_NETWORKS='garbage': expected", 2
        else:
            expected, code = FAULTS[fault](tmp_path), 1
        bot = await _run("-m", "bot", env=env, cwd=tmp_path, preexec_fn=obey_file_permissions)
        try:
            _, stderr = await asyncio.wait_for(bot.communicate(), 120)
        finally:
            (tmp_path / "data").chmod(0o755)
    err = stderr.decode()
    assert bot.returncode == code and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith(expected)
