"""The announcer and its post: what a watched channel is sent, and what becomes of a delivery Discord
accepts, refuses for good (403/404) or fails to answer; a server on another process's shard is left alone.

The bot is a stand-in with the catalog of real services (SQLite) and a channel whose `send` a test decides."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.announcer import Announcer, retry_delay
from bot.registry_cards import announcement_post, watch_line
from retrieval.announcement_types import FAILED, SENT, WAITING, Delivery, Watch
from retrieval.services import Services
from tests.unit.test_registry_proposals import VIETNAM, add_article
from tests.unit.test_registry_proposals import svc as sample_services

GUILD = 20_000_000 << 22  # on shard 0 of 2: (id >> 22) % 2 == 0
OTHER_SHARD_GUILD = GUILD + (1 << 22)
NEWS, OTHER_NEWS = 11, 12


def delivery(**changes: object) -> Delivery:
    values: dict[str, object] = {
        "id": 1,
        "announcement_id": 1,
        "event": "artemis_accords:vietnam:member",
        "channel_id": NEWS,
        "guild_id": GUILD,
        "state": WAITING,
        "attempts": 0,
        "error": "",
        "message_id": None,
        "coalition": "artemis_accords",
        "member": "Vietnam",
        "text": "Vietnam signed the Artemis Accords on 3 March 2026, the 61st signatory [1].",
        "title": "Vietnam signs the [Artemis] Accords",
        "outlet": "Test Wire",
        "published": "2026-03-04",
        "url": "https://example.org/vietnam-signs",
    }
    values.update(changes)
    return Delivery(**values)  # type: ignore[arg-type]


# -- the post -------------------------------------------------------------------------------------------
def test_the_post_is_the_sentence_then_its_source_cited_as_answers_cite_one() -> None:
    assert announcement_post(delivery()) == (
        "Vietnam signed the Artemis Accords on 3 March 2026, the 61st signatory [1].\n"
        "[1] [Vietnam signs the (Artemis) Accords](https://example.org/vietnam-signs) — Test Wire · 4 Mar 2026"
    )


def test_names_in_the_post_cannot_ping_or_format_and_a_source_without_a_link_is_plain() -> None:
    post = announcement_post(delivery(text="@everyone_x signed the Artemis Accords [1].", url=""))
    assert post.splitlines() == [
        "@\u200beveryone\\_x signed the Artemis Accords [1].",
        "[1] Vietnam signs the (Artemis) Accords — Test Wire · 4 Mar 2026",
    ]


def test_an_overlong_post_stays_within_discord_s_limit_and_keeps_its_source() -> None:
    post = announcement_post(delivery(text="Vietnam " * 400 + "[1].", title="T " * 300))
    assert len(post) <= 2000 and post.splitlines()[1].startswith("[1] [T T T")


def test_a_watch_line_says_where_news_goes_and_why_it_stopped() -> None:
    watch = Watch(NEWS, GUILD, "ilrs", "admin", "2026-03-05T10:00:00Z")
    assert watch_line(watch) == "• <#11> — the ILRS, since 5 Mar 2026"
    broken = Watch(NEWS, GUILD, "both", "admin", "2026-03-05T10:00:00Z", "404 Unknown Channel", "2026-03-06")
    assert watch_line(broken) == (
        "• <#11> — both coalitions, since 5 Mar 2026 — **not posting**: 404 Unknown Channel; "
        "run /watch on again once fixed"
    )


def test_retries_wait_longer_each_time_up_to_an_hour() -> None:
    assert [retry_delay(n) for n in (0, 1, 2, 10)] == [60.0, 120.0, 240.0, 3600.0]


# -- delivering -----------------------------------------------------------------------------------------
svc = sample_services  # the fixture: five small articles and a registry citing them, indexed (SQLite)


class Channel:
    """A channel whose send answers as the test says: a message id, or an exception."""

    def __init__(self, outcome: int | Exception) -> None:
        self.outcome = outcome
        self.sent: list[dict[str, Any]] = []

    async def send(self, content: str, **options: Any) -> SimpleNamespace:
        self.sent.append({"content": content, **options})
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return SimpleNamespace(id=self.outcome)


def http_error(kind: type[discord.HTTPException], status: int, message: str) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason=message)
    return kind(response, {"code": 50001 if status == 403 else 0, "message": message})  # type: ignore[arg-type]


@pytest.fixture
def approved(svc: Services) -> Iterator[Services]:
    """Vietnam's signing approved, with one watched channel on this process's shard and one on another."""
    svc.catalog.watch(NEWS, GUILD, "both", "admin", "2026-03-05T10:00:00Z")
    svc.catalog.watch(OTHER_NEWS, OTHER_SHARD_GUILD, "both", "admin", "2026-03-05T10:00:00Z")
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    svc.registry_editor.approve(p.id, "tester")
    yield svc


def announcer(services: Services, channels: dict[int, Channel]) -> Announcer:
    bot = SimpleNamespace(
        services=services,
        shard_count=2,
        shard_ids=[0],
        get_partial_messageable=lambda channel_id, guild_id=None: channels[channel_id],
    )
    return Announcer(bot)  # type: ignore[arg-type]


async def test_an_accepted_post_is_sent_once_without_pings_and_another_shard_s_server_is_left_alone(
    approved: Services,
) -> None:
    news = Channel(4242)
    sender = announcer(approved, {NEWS: news})
    assert await sender.deliver_pending() == 1
    assert await sender.deliver_pending() == 0  # marked sent: never again
    [post] = news.sent
    assert post["content"].startswith(
        "Vietnam signed the Artemis Accords on 3 March 2026, the 61st signatory [1].\n"
    )
    assert post["allowed_mentions"].to_dict() == {"parse": []} and post["suppress_embeds"]
    [sent] = approved.catalog.deliveries(SENT)
    assert (sent.channel_id, sent.message_id) == (NEWS, 4242)
    [waiting] = approved.catalog.deliveries()
    assert waiting.channel_id == OTHER_NEWS  # for the process running the other shard


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (http_error(discord.Forbidden, 403, "Missing Access"), "403 Missing Access"),
        (http_error(discord.NotFound, 404, "Unknown Channel"), "404 Unknown Channel"),
    ],
)
async def test_a_channel_that_refuses_the_post_fails_at_once_and_its_watch_is_marked_broken(
    approved: Services, error: discord.HTTPException, said: str
) -> None:
    news = Channel(error)
    sender = announcer(approved, {NEWS: news})
    assert await sender.deliver_pending() == 0
    assert await sender.deliver_pending() == 0 and len(news.sent) == 1  # not tried again
    [failed] = approved.catalog.deliveries(FAILED)
    assert (failed.channel_id, failed.error, failed.attempts) == (NEWS, said, 1)
    assert {w.channel_id: w.broken for w in approved.catalog.watches()} == {NEWS: said, OTHER_NEWS: ""}


async def test_a_passing_failure_is_tried_again_later_not_at_once(approved: Services) -> None:
    news = Channel(http_error(discord.DiscordServerError, 503, "Service Unavailable"))
    sender = announcer(approved, {NEWS: news})
    assert await sender.deliver_pending() == 0
    assert await sender.deliver_pending() == 0 and len(news.sent) == 1  # its retry time has not come
    [waiting] = [d for d in approved.catalog.deliveries() if d.channel_id == NEWS]
    assert (waiting.attempts, waiting.error.startswith("503")) == (1, True)
    assert {w.channel_id: w.broken for w in approved.catalog.watches()} == {NEWS: "", OTHER_NEWS: ""}
