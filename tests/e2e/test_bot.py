"""The bot end to end: the real discord.py client against the local Discord-compatible server."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.rendering import ANSWER_COLOUR
from retrieval.answer_types import Answer, Citation
from retrieval.questions import MAX_QUESTION_CHARS
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.fakediscord import FakeDiscord
from tests.helpers import (
    HOSTILE_QUESTIONS,
    SMUGGLED,
    make_settings,
    write_hostile_corpus,
    write_sample_corpus,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]


def embed_text(message: dict) -> str:
    """Everything the embeds show: title, description, fields and footer."""
    parts = []
    for e in message.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in e.get("fields") or []]
        parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


def embed_of(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


def fields_of(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed_of(message).get("fields") or []}


def message_text(message: dict) -> str:
    return (message.get("content") or "") + "\n" + embed_text(message)


def bot_bodies(fake: FakeDiscord) -> list[dict]:
    """Every JSON body the bot sent that creates or edits a message."""
    return [
        r.json
        for r in fake.requests
        if r.method in ("POST", "PATCH")
        and isinstance(r.json, dict)
        and ("content" in r.json or "embeds" in r.json)
    ]


async def test_startup_syncs_the_commands_with_options_choices_and_permissions(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        commands = {c["name"]: c for c in fake_discord.registered_commands(fake_discord.guild_id)}
    assert set(commands) == {
        "ask",
        "help",
        "members",
        "member",
        "overlap",
        "timeline",
        "sources",
        "status",
        "reindex",
        "ingest",
        "registry",
        "gaps",
        "watch",
    }
    ask_options = {o["name"]: o for o in commands["ask"]["options"]}
    assert ask_options["question"]["required"] and ask_options["private"]["type"] == 5
    # the option accepts exactly what the question check accepts
    assert (ask_options["question"]["min_length"], ask_options["question"]["max_length"]) == (
        1,
        MAX_QUESTION_CHARS,
    )
    members = {o["name"]: o for o in commands["members"]["options"]}
    assert [c["value"] for c in members["coalition"]["choices"]] == ["artemis_accords", "ilrs"]
    assert [c["value"] for c in members["type"]["choices"]] == ["country", "organisation"]
    assert members["as_of"]["max_length"] == 10  # YYYY-MM-DD
    member = commands["member"]["options"][0]
    assert member["autocomplete"] is True and member["max_length"] == 100  # a choice's value is at most 100
    assert [o["name"] for o in commands["reindex"]["options"]] == ["full", "announce"]
    assert [o["name"] for o in commands["ingest"]["options"]] == ["url", "file", "published", "announce"]
    assert int(commands["reindex"]["default_member_permissions"]) == 1 << 5  # Manage Server
    assert int(commands["ingest"]["default_member_permissions"]) == 1 << 5
    registry = commands["registry"]  # one group: /registry pending, /registry undo, for Manage Server
    assert [(o["name"], o["type"]) for o in registry["options"]] == [("pending", 1), ("undo", 1)]
    assert int(registry["default_member_permissions"]) == 1 << 5
    [days] = commands["gaps"]["options"]  # /gaps [days], for Manage Server
    assert (days["name"], days["type"], days["min_value"], days["max_value"]) == ("days", 4, 1, 365)
    assert not days.get("required") and int(commands["gaps"]["default_member_permissions"]) == 1 << 5
    watch = commands["watch"]  # /watch on|off|list|auto, for Manage Server
    assert [(o["name"], o["type"]) for o in watch["options"]] == [
        ("on", 1),
        ("off", 1),
        ("list", 1),
        ("auto", 1),
    ]
    assert int(watch["default_member_permissions"]) == 1 << 5
    on = {o["name"]: o for o in watch["options"][0]["options"]}
    assert (on["channel"]["type"], on["channel"]["required"]) == (7, True)
    assert [c["value"] for c in on["coalition"]["choices"]] == ["both", "ilrs", "artemis_accords"]
    auto = watch["options"][3]["options"][0]
    assert (auto["name"], auto["type"], auto["min_value"], auto["max_value"]) == ("threshold", 10, 0.0, 1.0)
    assert not fake_discord.unknown_requests and not fake_discord.schema_violations


async def test_ask_defers_then_answers_with_the_question_as_title_and_clickable_sources(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command("ask", {"question": "  when did  Egypt join the ILRS?"})
        assert (await record.wait_callback())["type"] == 5  # deferred, "thinking"
        original = await record.wait_original(lambda m: m.get("embeds"))
        embed = embed_of(original)
        assert embed["title"] == "When did Egypt join the ILRS?"  # others see what was asked
        assert embed["color"] == ANSWER_COLOUR
        assert embed["description"].startswith("Egypt joined the ILRS on 6 December 2023")
        assert embed["description"].endswith("[1].")
        (sources,) = embed["fields"]
        assert sources["name"] == "Sources"
        # a clickable title, then who and when, the date written day first as in the answer
        assert re.fullmatch(r"\[1\] \[[^\]]+\]\(https?://[^)\s]+\) — .+ · 6 Dec 2023", sources["value"])
        assert embed["footer"]["text"] == "From 1 article · answered offline"
        buttons = [c for row in original["components"] for c in row["components"]]
        assert [b["emoji"]["name"] for b in buttons] == ["👍", "👎"] and not record.ephemeral


async def test_mention_is_answered_in_a_thread_and_a_follow_up_uses_the_context(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        bot_id = fake_discord.bot_user["id"]
        question = await fake_discord.send_message(
            fake_discord.channel_id, fake_discord.plain_user, f"<@{bot_id}> when did thailand join the ilrs?"
        )
        thread = await fake_discord.wait_until(
            lambda: fake_discord.thread_for_message(question["id"]), description="a thread on the question"
        )
        first = await fake_discord.wait_for_message(thread["id"], lambda m: m.get("embeds"))
        assert "5 April 2024" in embed_text(first)
        assert not [
            m for m in fake_discord.bot_messages(fake_discord.channel_id)
        ]  # the channel stays readable
        await fake_discord.send_message(
            thread["id"], fake_discord.plain_user, f"<@{bot_id}> and when did they sign the artemis accords?"
        )
        follow = await fake_discord.wait_for_message(
            thread["id"], lambda m: "16 December 2024" in embed_text(m)
        )
        assert "Thailand" in embed_text(follow)
        n_before = len(fake_discord.bot_messages())
        await fake_discord.send_message(thread["id"], fake_discord.bot_user, f"<@{bot_id}> talking to myself")
        await asyncio.sleep(0.3)
        assert len(fake_discord.bot_messages()) == n_before + 1  # only the injected one: no reply to itself


async def test_members_filters_and_a_bad_date(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        filtered = await fake_discord.invoke_command(
            "members", {"coalition": "ilrs", "type": "country", "as_of": "2023-10-31"}
        )
        page = (await filtered.wait_followups(1))[0]
        assert embed_of(page)["title"] == "ILRS: 7 member countries"
        assert embed_of(page)["description"].startswith("As of 31 October 2023")
        lines = fields_of(page)["Countries"].splitlines()
        assert len(lines) == 7 and lines[-1].startswith("7. Belarus — Oct 2023 · [source](https://")
        assert not page["components"]  # one page: no pager
        bad = await fake_discord.invoke_command("members", {"coalition": "ilrs", "as_of": "last tuesday"})
        callback = await bad.wait_callback()
        assert bad.ephemeral and "is not a date" in callback["data"]["content"]


async def test_reindex_by_an_admin_reports_progress_and_counts(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    corpus = own_corpus_services.settings.corpus_dir
    (corpus / "broken.md").write_text("no front matter here")
    (corpus / "ilrs-egypt-joins-2023-12.md").unlink()
    async with running_bot(fake_discord, own_corpus_services, monkeypatch):
        record = await fake_discord.invoke_command("reindex", user=fake_discord.admin_user)
        final = await record.wait_original(
            lambda m: "Reindex finished" in (m.get("content") or ""), timeout=30
        )
        history = [m.get("content") or "" for m in record.original_history]
        assert any(h.startswith("Reindexing…") for h in history) and record.ephemeral
        assert "0 added, 0 updated, 103 unchanged, 1 deleted" in final["content"]
        assert "1 skipped" in final["content"] and "broken.md" in final["content"]
        assert "no YAML front matter" in final["content"]
        # the registry still names the deleted article, so it is not reloaded and says why
        assert "Members registry NOT reloaded (previous one kept)" in final["content"]
        assert "'ilrs-egypt-joins-2023-12' is not in the corpus" in final["content"]
    assert not fake_discord.bot_messages(fake_discord.channel_id)  # nothing posted in the channel


async def test_reindex_is_refused_for_a_non_admin_even_when_invoked(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, own_corpus_services, monkeypatch):
        before = own_corpus_services.catalog.get_meta("last_index_at")
        record = await fake_discord.invoke_command("reindex", user=fake_discord.plain_user)
        callback = await record.wait_callback()
        assert record.ephemeral and "Only admins can do that" in callback["data"]["content"]
        assert own_corpus_services.catalog.get_meta("last_index_at") == before


async def test_a_second_reindex_is_told_one_is_running(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, own_corpus_services, monkeypatch) as bot:
        await bot.reindex_running.acquire()  # as if a reindex by someone else were under way
        bot.reindex_by = "carol"
        try:
            record = await fake_discord.invoke_command("reindex", user=fake_discord.admin_user)
            callback = await record.wait_callback()
        finally:
            bot.reindex_running.release()
        assert record.ephemeral
        assert "A reindex is already running (started by carol)" in callback["data"]["content"]


class LongAnswerer:
    """A test double: an answer too long for one embed, with citations."""

    name = "long"

    def answer(self, question: str, *, context: str | None = None, mode: str | None = None) -> Answer:
        paragraph = " ".join(f"Sentence {i} about the Artemis Accords [1]." for i in range(40))
        text = "\n\n".join(f"Part {p}. {paragraph}" for p in range(4))
        cite = Citation(1, "doc", "A title", "Wire", "2025-12-03", "https://example.org/a", "passage")
        return Answer(question, text, [cite], confidence=0.9, answerer="long")


async def test_long_answers_continue_in_more_embeds_under_discords_limits(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    monkeypatch.setattr(corpus_services, "answerer", LongAnswerer())
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command(
            "ask", {"question": "tell me everything about the accords"}
        )
        await record.wait_original(lambda m: m.get("embeds"))
        followups = await fake_discord.wait_until(
            lambda: record.followups if any(fields_of(f) for f in record.followups) else None,
            description="the follow-up carrying the sources",
        )
        parts = [record.original, *followups]
        embeds = [embed_of(p) for p in parts]
        assert len(parts) > 1 and embeds[0]["title"] == "Tell me everything about the accords"
        assert all(len(e["description"]) <= 4096 for e in embeds)
        assert all(not e.get("fields") and not e.get("footer") for e in embeds[:-1])
        joined = "\n\n".join(e["description"] for e in embeds)
        assert joined.count("Sentence 39 about") == 4 and joined.index("Part 0.") < joined.index("Part 3.")
        assert fields_of(parts[-1]) == {"Sources": "[1] [A title](https://example.org/a) — Wire · 3 Dec 2025"}
        buttons = [c for row in parts[-1]["components"] for c in row["components"]]
        assert len(buttons) == 2 and not parts[0]["components"]  # the feedback buttons ride on the last part


async def test_everyone_in_a_question_never_pings(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command(
            "ask", {"question": "@everyone when did <@&1> egypt join the ilrs"}
        )
        await record.wait_original(lambda m: m.get("embeds"))
        bot_id = fake_discord.bot_user["id"]
        msg = await fake_discord.send_message(
            fake_discord.channel_id, fake_discord.plain_user, f"<@{bot_id}> @everyone when did egypt join?"
        )
        thread = await fake_discord.wait_until(lambda: fake_discord.thread_for_message(msg["id"]))
        await fake_discord.wait_for_message(thread["id"], lambda m: m.get("embeds"))
    bodies = bot_bodies(fake_discord)
    assert bodies and all(b["allowed_mentions"]["parse"] == [] for b in bodies)
    assert not any(b["allowed_mentions"].get("replied_user") for b in bodies)


async def test_cooldown_gives_seconds_left(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(
        fake_discord, corpus_services, monkeypatch, cooldown_seconds=60.0, cooldown_questions=2
    ):
        for _ in range(2):
            ok = await fake_discord.invoke_command("ask", {"question": "when did egypt join the ilrs"})
            assert (await ok.wait_callback())["type"] == 5
            await ok.wait_original(lambda m: m.get("embeds"))
        slow = await fake_discord.invoke_command("ask", {"question": "when did egypt join the ilrs"})
        callback = await slow.wait_callback()
        assert slow.ephemeral and re.search(r"you can ask again in \d+ s", callback["data"]["content"])
        other = await fake_discord.invoke_command(
            "ask", {"question": "when did egypt join"}, user=fake_discord.admin_user
        )
        assert (await other.wait_callback())["type"] == 5  # per user
        await other.wait_original(lambda m: m.get("embeds"))


async def test_bad_questions_get_a_short_ephemeral_message(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        long = await fake_discord.invoke_command("ask", {"question": "x" * 600})
        assert "the limit is 500" in (await long.wait_callback())["data"]["content"] and long.ephemeral
        blank = await fake_discord.invoke_command("ask", {"question": "   "})
        assert "the question is empty" in (await blank.wait_callback())["data"]["content"] and blank.ephemeral


async def test_twenty_questions_at_once_are_all_answered_with_heartbeats_flowing(
    discord_errors, monkeypatch, corpus_services: Services
) -> None:
    async with FakeDiscord(heartbeat_interval=100) as fake, running_bot(fake, corpus_services, monkeypatch):
        acked_before = sum(fake.heartbeats_acked.values())
        users = [fake.add_member(fake.guild_id, f"user{i}") for i in range(20)]
        records = await asyncio.gather(
            *[
                fake.invoke_command("ask", {"question": f"when did egypt join the ilrs? ({i})"}, user=u)
                for i, u in enumerate(users)
            ]
        )
        originals = await asyncio.gather(
            *[r.wait_original(lambda m: m.get("embeds"), timeout=60) for r in records]
        )
        assert all("6 December 2023" in embed_text(o) for o in originals)
        assert sum(fake.heartbeats_acked.values()) > acked_before


async def test_a_hundred_questions_in_a_burst_are_all_answered_and_the_cooldown_holds(
    discord_errors, monkeypatch, corpus_services: Services
) -> None:
    async with (
        FakeDiscord(heartbeat_interval=100) as fake,
        running_bot(fake, corpus_services, monkeypatch, cooldown_seconds=60.0, cooldown_questions=3),
    ):
        users = [fake.add_member(fake.guild_id, f"load{i}") for i in range(25)]
        beats = sum(fake.heartbeats_acked.values())
        records = await asyncio.gather(
            *[
                fake.invoke_command(
                    "ask", {"question": f"when did pakistan join the ilrs? #{i}"}, user=users[i % 25]
                )
                for i in range(100)
            ]
        )  # four questions per user: the fourth is over the limit
        callbacks = await asyncio.gather(*[r.wait_callback(timeout=60) for r in records])
        limited = [r for r, cb in zip(records, callbacks, strict=True) if cb["type"] == 4]
        answered = [r for r, cb in zip(records, callbacks, strict=True) if cb["type"] == 5]
        assert len(limited) == 25 and len(answered) == 75  # none dropped, exactly one refusal per user
        assert all(r.ephemeral and "you can ask again in" in r.callback["data"]["content"] for r in limited)
        finals = await asyncio.gather(
            *[r.wait_original(lambda m: m.get("embeds"), timeout=120) for r in answered]
        )
        assert all("18 October 2023" in embed_text(m) for m in finals)
        assert sum(fake.heartbeats_acked.values()) > beats


async def test_hostile_articles_cannot_put_citations_links_or_mentions_into_replies(
    discord_errors, fake_discord: FakeDiscord, tmp_path, monkeypatch
) -> None:
    services = Services(make_settings(tmp_path, corpus=write_hostile_corpus(tmp_path / "corpus")))
    services.reindex()
    allowed = {"https://example.org/ruritania", "https://example.org/freedonia"}
    source_line = re.compile(r"(?:\[(\d+)\]|(\d+)\.) \[(.*?)\]\((https?://[^)\s]*)\)(?: — (.*))?")
    async with running_bot(fake_discord, services, monkeypatch):
        shown = []
        for question in HOSTILE_QUESTIONS:
            record = await fake_discord.invoke_command("ask", {"question": question})
            shown.append(embed_of(await record.wait_original(lambda m: m.get("embeds"))))
        listing = await fake_discord.invoke_command("sources")
        page = embed_of((await listing.wait_followups(1))[0])
    for embed in [*shown, page]:
        lines = [
            line
            for f in embed.get("fields") or []
            if f["name"].split(" (")[0] in ("Sources", "Closest sources", "Articles")
            for line in f["value"].splitlines()
        ]
        for line in lines:  # our own links only: each source's title, linking its article's own address
            match = source_line.fullmatch(line)
            assert match is not None, line
            assert match[4] in allowed and [s for s in SMUGGLED if s in match[3] + (match[5] or "")] == []
    for embed in shown:
        answer = embed["description"]
        cited = {
            int(n) for f in embed.get("fields") or [] for n in re.findall(r"^\[(\d+)\] ", f["value"], re.M)
        }
        assert all(re.fullmatch(r"\[\d+\]", mark) for mark in re.findall(r"\[[^\]]*\]", answer)), answer
        assert {int(n) for n in re.findall(r"\[(\d+)\]", answer)} <= cited, embed
        assert [s for s in SMUGGLED if s in answer + embed["title"]] == [], answer
    assert "Ruritania and Russia agreed to build the lunar station jointly [1]." in shown[1]["description"]
    first_source = shown[0]["fields"][0]["value"]
    assert first_source == (
        "[1] [Ruritania joins the ILRS see this NASA page](https://example.org/ruritania) — "
        "Evil Wire @\u200beveryone · 4 Mar 2026"
    )
    assert (
        "[Ruritania joins the ILRS see this NASA page](https://example.org/ruritania) — Evil Wire @\u200beveryone"
        in (page["fields"][0]["value"])
    )
    services.catalog.close()


async def test_status_shows_a_lost_vector_store_and_reindex_re_embeds_it(
    discord_errors, fake_discord: FakeDiscord, tmp_path, monkeypatch
) -> None:
    services = Services(make_settings(tmp_path, corpus=write_sample_corpus(tmp_path / "corpus")))
    services.reindex()
    chunks = services.catalog.counts()[1]
    services.store.drop()  # the vectors are lost; the catalog is not
    async with running_bot(fake_discord, services, monkeypatch):
        status = await fake_discord.invoke_command("status")
        shown = embed_of(await status.wait_original(lambda m: m.get("embeds")))
        assert status.ephemeral and shown["description"] == (
            f"⚠️ Search index out of step: the vector store holds 0 vectors for {chunks} indexed chunks; "
            "a reindex re-embeds the missing ones (an admin can run `/reindex`)."
        )
        record = await fake_discord.invoke_command("reindex", user=fake_discord.admin_user)
        final = await record.wait_original(
            lambda m: "Reindex finished" in (m.get("content") or ""), timeout=30
        )
        assert f"4 unchanged, 0 deleted, {chunks} passages embedded" in final["content"]
        assert f"Re-embedded {chunks} passages missing from the vector store." in final["content"]
        again = await fake_discord.invoke_command("status")
        assert not embed_of(await again.wait_original(lambda m: m.get("embeds"))).get("description")
    services.catalog.close()
