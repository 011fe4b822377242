"""Conversations end to end, with and without the Message Content intent (the fake blanks the text of
messages that do not mention the bot for a connection without it, as Discord does)."""

from __future__ import annotations

import asyncio

import pytest

from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.fakediscord import FakeDiscord

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]
MESSAGE_CONTENT = 1 << 15


def embed(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


def fields(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed(message).get("fields") or []}


async def quiet(fake: FakeDiscord, seconds: float = 0.6) -> int:
    """The number of bot messages after a pause in which nothing should happen."""
    await asyncio.sleep(seconds)
    return len(fake.bot_messages())


async def test_without_the_intent_mentions_and_replies_carry_the_conversation(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake, bot_id = fake_discord, fake_discord.bot_user["id"]
    async with running_bot(fake, corpus_services, monkeypatch):
        assert not fake.identifies[-1]["intents"] & MESSAGE_CONTENT  # not asked for: off by default
        question = await fake.send_message(
            fake.channel_id, fake.plain_user, f"<@{bot_id}> hey, when did thailand join the ilrs?"
        )
        thread = await fake.wait_until(
            lambda: fake.thread_for_message(question["id"]), description="a thread"
        )
        assert thread["name"] == "When did thailand join the ilrs?"  # cleaned: no greeting, no mention
        first = await fake.wait_for_message(thread["id"], lambda m: m.get("embeds"))
        assert embed(first)["title"] == "When did thailand join the ilrs?"
        assert "5 April 2024" in embed(first)["description"]
        hint = fields(first)["Follow up"]
        assert "Mention me" in hint and "reply to this answer" in hint  # the first answer says how

        # typed in the thread without a mention: Discord shows the bot no text, so nothing happens
        n = len(fake.bot_messages())
        await fake.send_message(thread["id"], fake.plain_user, "and when did they sign the artemis accords?")
        assert await quiet(fake) == n

        # with a mention: a follow-up, read in the thread's context, replying to the message
        follow = await fake.send_message(
            thread["id"], fake.plain_user, f"<@{bot_id}> and when did they sign the artemis accords?"
        )
        signed = await fake.wait_for_message(
            thread["id"], lambda m: "16 December 2024" in str(m.get("embeds"))
        )
        assert embed(signed)["title"] == "And when did they sign the artemis accords?"
        assert embed(signed)["description"].startswith(
            "*Read as: When did Thailand sign the artemis accords?*"
        )
        assert signed["message_reference"]["message_id"] == follow["id"] and "Follow up" not in fields(signed)

        # a reply to an earlier answer (reply ping on): the context is the question that answer answered
        reply = await fake.send_message(
            thread["id"], fake.plain_user, "what about egypt?", mentions=[fake.bot_user], reply_to=first
        )
        egypt = await fake.wait_for_message(thread["id"], lambda m: "6 December 2023" in str(m.get("embeds")))
        assert "Read as: When did egypt join the ilrs?" in embed(egypt)["description"]
        assert egypt["message_reference"]["message_id"] == reply["id"]

        # a reply without the ping: Discord hides its text, so the bot says how to be read
        n = len(fake.bot_messages())
        hidden = await fake.send_message(
            thread["id"], fake.plain_user, "and when did it sign?", reply_to=egypt
        )
        note = await fake.wait_for_message(
            thread["id"], lambda m: "only read replies that mention me" in m["content"]
        )
        assert note["message_reference"]["message_id"] == hidden["id"] and len(fake.bot_messages()) == n + 1
        await fake.send_message(thread["id"], fake.plain_user, "thanks!", reply_to=egypt)
        assert await quiet(fake) == n + 1  # said once per thread, not after every reply

        # the same question again (as read): said so, not answered again word for word
        await fake.send_message(thread["id"], fake.plain_user, f"<@{bot_id}> and when did it join?")
        same = await fake.wait_for_message(thread["id"], lambda m: "same question as before" in m["content"])
        assert "egypt join the ilrs" in same["content"].lower() and not same.get("embeds")

        # a bare mention and "help" get the usage card; nothing is answered as a question
        bare = await fake.send_message(fake.channel_id, fake.plain_user, f"<@{bot_id}>")
        card = await fake.wait_for_message(fake.channel_id, lambda m: m.get("embeds"))
        assert embed(card)["title"] == "How to use coalition-bot"
        assert (
            card["message_reference"]["message_id"] == bare["id"]
            and fake.thread_for_message(bare["id"]) is None
        )
        assert (
            "mention me" in fields(card)["Follow-ups"]
            and "104 articles" in fields(card)["Where answers come from"]
        )
        helped = await fake.send_message(fake.channel_id, fake.plain_user, f"<@{bot_id}> help")
        again = await fake.wait_for_message(
            fake.channel_id, lambda m: (m.get("message_reference") or {}).get("message_id") == helped["id"]
        )
        assert fake.thread_for_message(helped["id"]) is None  # not "helping astronauts in distress"
        assert embed(again) == embed(card) and not again["flags"] & 64
        slash = await (await fake.invoke_command("help")).wait_callback()
        assert slash["data"]["flags"] == 64 and slash["data"]["embeds"][0] == embed(
            card
        )  # /help: the same card
        assert list(fields(card)) == [
            "Ask",
            "Follow-ups",
            "Members",
            "Sources",
            "Admins",
            "Where answers come from",
        ]
        assert "`/ask question:` when did Egypt join the ILRS?" in fields(card)["Ask"]  # an example
    sent = [r.json for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert sent and all(b["allowed_mentions"]["parse"] == [] for b in sent)  # never a ping
    assert not any(b["allowed_mentions"].get("replied_user") for b in sent)  # replies do not ping either


async def test_with_the_intent_every_message_in_its_thread_is_a_follow_up(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake, bot_id = fake_discord, fake_discord.bot_user["id"]
    async with running_bot(fake, corpus_services, monkeypatch, message_content_intent=True):
        assert fake.identifies[-1]["intents"] & MESSAGE_CONTENT
        question = await fake.send_message(
            fake.channel_id, fake.plain_user, f"<@{bot_id}> when did egypt join the ilrs?"
        )
        thread = await fake.wait_until(
            lambda: fake.thread_for_message(question["id"]), description="a thread"
        )
        first = await fake.wait_for_message(thread["id"], lambda m: m.get("embeds"))
        assert "right here in this thread" in fields(first)["Follow up"]
        # worded differently, read differently, the very same answer: said so rather than repeated
        await fake.send_message(thread["id"], fake.plain_user, "and when did they sign up?")
        same = await fake.wait_for_message(thread["id"], lambda m: "same question as before" in m["content"])
        assert "egypt join the ilrs" in same["content"].lower()
        await fake.send_message(thread["id"], fake.plain_user, "and what about pakistan?")  # no mention
        follow = await fake.wait_for_message(
            thread["id"], lambda m: "18 October 2023" in str(m.get("embeds"))
        )
        assert "Read as: When did pakistan join the ilrs?" in embed(follow)["description"]
        n = len(fake.bot_messages())
        await fake.send_message(fake.channel_id, fake.plain_user, "just chatting in the channel")
        assert await quiet(fake) == n  # outside its threads (and ANSWER_CHANNEL_IDS) it waits to be asked
        card = (await (await fake.invoke_command("help")).wait_callback())["data"]["embeds"][0]
        follow_ups = {f["name"]: f["value"] for f in card["fields"]}["Follow-ups"]
        assert (
            "Everything said in that thread is a follow-up" in follow_ups and "mention me" not in follow_ups
        )


async def test_a_long_question_names_its_thread_cut_at_a_word_and_a_reply_works_after_a_restart(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    fake, bot_id = fake_discord, fake_discord.bot_user["id"]
    asked = (
        "when exactly did the kingdom of thailand become a member of the international lunar research "
        "station programme?"
    )
    async with running_bot(fake, corpus_services, monkeypatch):
        question = await fake.send_message(fake.channel_id, fake.plain_user, f"<@{bot_id}> hi! so {asked}")
        thread = await fake.wait_until(
            lambda: fake.thread_for_message(question["id"]), description="a thread"
        )
        first = await fake.wait_for_message(thread["id"], lambda m: m.get("embeds"))
    name = thread["name"]
    shown = asked[0].upper() + asked[1:]
    assert len(name) <= 100 and name.endswith("…") and not name.startswith(("Hi", "So"))
    kept = name.removesuffix("…")
    assert shown.startswith(kept) and shown[len(kept)] == " "  # cut where a word ends
    assert embed(first)["title"] == shown and "5 April 2024" in embed(first)["description"]

    # after a restart the bot remembers nothing, but a reply carries the answer it replies to
    async with running_bot(fake, corpus_services, monkeypatch):
        reply = await fake.send_message(
            thread["id"],
            fake.plain_user,
            "and when did they sign the artemis accords?",
            mentions=[fake.bot_user],
            reply_to=first,
        )
        signed = await fake.wait_for_message(
            thread["id"], lambda m: (m.get("message_reference") or {}).get("message_id") == reply["id"]
        )
    assert "16 December 2024" in embed(signed)["description"]
    assert embed(signed)["description"].startswith("*Read as: When did Thailand sign the artemis accords?*")
