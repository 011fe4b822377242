"""Answer embeds and feedback end to end: refusals, summaries presented as such, votes you can see and change."""

from __future__ import annotations

import re

import pytest

from bot.rendering import ANSWER_COLOUR, REFUSAL_COLOUR
from retrieval.questions import MAX_QUESTION_CHARS
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.fakediscord import FakeDiscord

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]


SOURCE_LINE = re.compile(
    r"\[\d+\] (\[[^\]]+\]\(https?://[^)\s]+\)|[^\[\]]+) — .+ · (\d{1,2} \w{3} )?(\w{3} )?\d{4}"
)


def embed_of(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


def fields_of(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed_of(message).get("fields") or []}


def buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components") or [] for c in row["components"]]


async def test_a_refusal_looks_different_and_says_what_to_try(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    async with running_bot(fake, corpus_services, monkeypatch):
        record = await fake.invoke_command("ask", {"question": "what is the capital of france?"})
        refusal = await record.wait_original(lambda m: m.get("embeds"))
        asked = await fake.send_message(
            fake.channel_id, fake.plain_user, f"<@{fake.bot_user['id']}> who will pay for the ILRS rockets?"
        )
        thread = await fake.wait_until(lambda: fake.thread_for_message(asked["id"]), description="a thread")
        in_thread = await fake.wait_for_message(thread["id"], lambda m: m.get("embeds"))
    embed = embed_of(refusal)
    assert embed["color"] == REFUSAL_COLOUR != ANSWER_COLOUR
    assert embed["description"].startswith("I couldn't find that")
    assert list(fields_of(refusal)) == ["Closest sources", "Try"] and "footer" not in embed
    closest = fields_of(refusal)["Closest sources"].splitlines()
    assert closest and all(SOURCE_LINE.fullmatch(line) for line in closest), closest
    tried = fields_of(refusal)["Try"].splitlines()
    assert tried[0] == "• `/member name:France` — its coalitions, dates and sources"
    assert tried[-1].startswith("• Rephrase with a name, a coalition and what you want to know")
    # asked by a mention, the same: its own colour and next steps (here the coalition it names)
    assert embed_of(in_thread)["color"] == REFUSAL_COLOUR
    assert "• `/members coalition:ILRS` — every member, with dates" in fields_of(in_thread)["Try"]
    assert "Follow up" in fields_of(in_thread)  # the first message in the thread says how to follow up


async def test_the_longest_question_the_option_allows_is_answered_and_titled_cut_at_a_word(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    words = "when did egypt join the ilrs, and what did the articles say about it at the time".split()
    longest = ""
    while len(longest) < MAX_QUESTION_CHARS:
        longest = f"{longest} {words[len(longest.split()) % len(words)]}".strip()
    longest = longest[:MAX_QUESTION_CHARS]
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        option = {o["name"]: o for o in fake_discord.find_command("ask", fake_discord.guild_id)["options"]}[
            "question"
        ]
        assert option["max_length"] == len(longest) == MAX_QUESTION_CHARS
        record = await fake_discord.invoke_command("ask", {"question": longest})
        assert (await record.wait_callback())["type"] == 5  # accepted: deferred, not refused as too long
        answer = await record.wait_original(lambda m: m.get("embeds"))
        over = await fake_discord.invoke_command("ask", {"question": longest + "s"})
        refused = (await over.wait_callback())["data"]["content"]
    title = embed_of(answer)["title"]
    assert len(title) <= 256 and title.endswith("…")
    kept = title.removesuffix("…")
    shown = longest[0].upper() + longest[1:]
    assert shown.startswith(kept) and shown[len(kept)] == " "  # cut where a word ends
    assert over.ephemeral and "the limit is 500" in refused


async def test_a_summary_is_cited_as_a_summary_of_the_report_it_links(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command("ask", {"question": "When did Egypt join the ILRS?"})
        answer = await record.wait_original(lambda m: m.get("embeds"))
    assert fields_of(answer)["Sources"] == (
        "[1] [Egypt becomes the first Arab country to join the ILRS](http://en.people.cn/n3/2023/1207/"
        "c90000-20107164.html) — summary of People's Daily report · 6 Dec 2023"
    )


async def test_votes_show_their_state_can_change_and_a_down_vote_asks_what_was_wrong(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    async with running_bot(fake, corpus_services, monkeypatch) as bot:
        record = await fake.invoke_command("ask", {"question": "When did Egypt join the ILRS?"})
        answer = await record.wait_original(lambda m: m.get("embeds"))
        up, down = (b["custom_id"] for b in buttons(answer))
        answer_id = up.split(":")[-1]

        # 👍 on the shared answer: a private control showing the vote, which can then be changed
        vote = await fake.click_button(answer, up, user=fake.plain_user)
        shown = await vote.wait_original()
        assert vote.callback_type == 4 and vote.ephemeral
        assert shown["content"].startswith("Your vote: 👍 helpful.")
        assert [(b["emoji"]["name"], b["label"], b["style"]) for b in buttons(shown)] == [
            ("👍", "Helpful", 3),  # highlighted: the current vote
            ("👎", "Not helpful", 2),
        ]
        assert bot.feedback.current_vote(answer_id, int(fake.plain_user["id"])) == (1, "")

        # 👎 from the private control: counted at once, and a form asks what was wrong (optional)
        change = await fake.click_button(shown, down, user=fake.plain_user)
        form = (await change.wait_callback())["data"]
        assert change.callback_type == 9 and form["title"] == "What was wrong with this answer?"
        (row,) = form["components"]
        (field,) = row["components"]
        assert field["style"] == 2 and field["required"] is False and field["max_length"] == 1000
        assert bot.feedback.current_vote(answer_id, int(fake.plain_user["id"])) == (-1, "")
        said = await fake.submit_modal(change, {field["custom_id"]: "the date is in the wrong year"})
        updated = await said.wait_original(lambda m: "not helpful" in m["content"])
        assert said.callback_type == 7  # the private control is updated in place
        assert updated["content"].startswith(
            "Your vote: 👎 not helpful. You said: “the date is in the wrong year”."
        )
        assert [b["style"] for b in buttons(updated)] == [2, 4]
        assert bot.feedback.current_vote(answer_id, int(fake.plain_user["id"])) == (
            -1,
            "the date is in the wrong year",
        )

        # pressing the highlighted vote again takes it back
        back = await fake.click_button(updated, down, user=fake.plain_user)
        cleared = await back.wait_original(lambda m: "not voted" in m["content"])
        assert back.callback_type == 7 and [b["style"] for b in buttons(cleared)] == [2, 2]
        assert bot.feedback.current_vote(answer_id, int(fake.plain_user["id"])) is None

        # someone else's 👎 on the shared answer, submitted empty: a private reply with their own control
        other = await fake.click_button(answer, down, user=fake.admin_user)
        await other.wait_callback()
        empty = await fake.submit_modal(other, {})
        theirs = await empty.wait_original(lambda m: "not helpful" in (m.get("content") or ""))
        assert empty.callback_type == 4 and empty.ephemeral and theirs["content"].startswith("Your vote: 👎")
        assert bot.feedback.current_vote(answer_id, int(fake.admin_user["id"])) == (-1, "")
        assert embed_of(fake.message_index[answer["id"]]) == embed_of(
            answer
        )  # the shared answer is untouched
        assert [b["style"] for b in buttons(fake.message_index[answer["id"]])] == [2, 2]

    # after a restart the old buttons and a form opened before it still work
    async with running_bot(fake, corpus_services, monkeypatch) as bot:
        again = await fake.click_button(answer, up, user=fake.plain_user)
        assert (await again.wait_original())["content"].startswith("Your vote: 👍 helpful.")
        late = await fake.submit_modal(other, {"what_was_wrong": "it cites the wrong article"})
        await late.wait_original(lambda m: "wrong article" in (m.get("content") or ""))
        assert bot.feedback.current_vote(answer_id, int(fake.admin_user["id"])) == (
            -1,
            "it cites the wrong article",
        )
