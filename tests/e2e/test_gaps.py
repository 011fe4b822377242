"""/gaps end to end, through the real bot, the real model and the local Discord-compatible server: a member
asks two refused questions of one gap (one voted 👎 with a comment) and one of another, and an answered
one they like; an admin's /gaps shows, privately, the gap of two first with its example, closest article
and comment; a non-admin is refused; a period outside 1-365 days gets one short line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.rendering import REFUSAL_COLOUR
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.e2e.test_lists import buttons
from tests.fakediscord import FakeDiscord
from tests.helpers import make_settings, write_sample_corpus

pytestmark = [
    pytest.mark.model,
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]
ONLY_ADMINS = "Only admins can do that: it needs the Manage Server permission or an admin role."
BUDGET = "What is the ILRS budget?"
COST = "How much money does the ILRS cost?"  # the same gap: cosine 0.86 on the model
NASA = "who leads nasa"


@pytest.fixture
def model_services(tmp_path: Path, real_embedder) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """The four sample articles indexed with the real model (questions about money are refused)."""
    corpus = write_sample_corpus(tmp_path / "corpus")
    svc = Services(make_settings(tmp_path, corpus=corpus, model="all-MiniLM-L6-v2"), embedder=real_embedder)
    svc.reindex()
    yield svc
    svc.close()


def embed_of(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


async def ask(fake: FakeDiscord, question: str) -> dict:
    record = await fake.invoke_command("ask", {"question": question}, user=fake.plain_user)
    return await record.wait_original(lambda m: m.get("embeds"), timeout=60)


async def test_an_admin_sees_the_gap_asked_twice_first_with_its_example_closest_article_and_comment(
    discord_errors, fake_discord: FakeDiscord, model_services: Services, monkeypatch
) -> None:
    fake, svc = fake_discord, model_services
    async with running_bot(fake, svc, monkeypatch):
        budget = await ask(fake, BUDGET)
        cost = await ask(fake, COST)
        nasa = await ask(fake, NASA)
        liked = await ask(fake, "When did Egypt join the ILRS?")
        assert [embed_of(m)["color"] == REFUSAL_COLOUR for m in (budget, cost, nasa, liked)] == [
            True,
            True,
            True,
            False,
        ]
        up, _ = (b["custom_id"] for b in buttons(liked))
        await (await fake.click_button(liked, up, user=fake.plain_user)).wait_callback()  # 👍: not a gap
        _, down = (b["custom_id"] for b in buttons(cost))
        vote = await fake.click_button(cost, down, user=fake.plain_user)
        form = (await vote.wait_callback())["data"]
        field = form["components"][0]["components"][0]
        said = await fake.submit_modal(vote, {field["custom_id"]: "I wanted the figure in yuan"})
        await said.wait_original(lambda m: "yuan" in (m.get("content") or ""))

        refused = await fake.invoke_command("gaps", user=fake.plain_user)
        assert (await refused.wait_callback())["data"]["content"] == ONLY_ADMINS and refused.ephemeral

        bad = await fake.invoke_command("gaps", {"days": 0}, user=fake.admin_user)
        assert (await bad.wait_callback())["data"]["content"] == (
            "`days` must be a whole number from 1 to 365, for example `/gaps days:30`."
        )
        assert bad.ephemeral

        gaps = await fake.invoke_command("gaps", {"days": 7}, user=fake.admin_user)
        [page] = await gaps.wait_followups(1, timeout=60)
    assert gaps.ephemeral and page["flags"] & 64  # private to the admin
    embed = embed_of(page)
    assert embed["title"] == "Coverage gaps · the last 7 days"
    assert embed["description"].startswith("3 questions refused or voted 👎 since <t:")
    assert "in 2 groups of similar questions, largest first." in embed["description"]
    fields = [(f["name"], f["value"]) for f in embed["fields"]]
    assert [name for name, _ in fields] == ["1 · 2 questions (2 refused, 1 👎)", "2 · 1 question (1 refused)"]
    gap = fields[0][1].splitlines()
    assert gap[0] == f"“{COST}”" and gap[1] == f"also “{BUDGET}”"  # the newest wording is the example
    # the hybrid search's best match for the example among the four articles (none gives a sum of money)
    assert gap[2] == "Closest article: [Egypt joins the ILRS](https://example.org/egypt-ilrs) · 6 Dec 2023"
    assert gap[3] == "👎 “I wanted the figure in yuan”"
    assert fields[1][1].splitlines()[0] == f"“{NASA}”"
    assert "When did Egypt join the ILRS?" not in str(embed)  # answered and liked: not a gap
    assert not buttons(page)  # one page: no pager
    assert not fake.schema_violations
