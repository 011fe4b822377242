"""The usage card (/help, a bare mention, "help") and the status card (/status): pure, from plain facts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.rendering import LIST_COLOUR, EmbedPage, cut_at_word, discord_time, label, short_date
from retrieval.members_registry import human_date


@dataclass(frozen=True)
class Freshness:
    """How fresh the answers' sources are."""

    articles: int
    summaries: int  # articles written for the corpus from the reports they cite (linked, or listed)
    newest: str  # the newest article's date (YYYY-MM-DD), '' when none
    newest_title: str
    registry_latest: str  # the members registry's latest joining date, '' when it cannot be read
    last_refresh: str  # ISO time of the last reindex, '' when never

    def sentence(self) -> str:
        """'104 articles (100 of them summaries written for this corpus), newest dated 3 Dec 2025; …'."""
        if not self.articles:
            return "No articles are indexed yet."
        kinds = f" ({self.summaries} of them summaries written for this corpus)" if self.summaries else ""
        text = f"{self.articles} articles{kinds}, the newest dated {short_date(self.newest)}"
        if self.registry_latest:
            text += f"; a members registry whose latest joining is {human_date(self.registry_latest)}"
        if self.last_refresh:
            text += f"; last refreshed {discord_time(self.last_refresh)}"
        return text + "."


def usage_card(freshness: Freshness, *, message_content: bool) -> EmbedPage:
    """How to use the bot: commands, examples, follow-ups, where the data comes from and how fresh it is."""
    if message_content:
        follow = (
            "I answer a mention in a thread of its own. Everything said in that thread is a follow-up: "
            "just type “and when did they sign the Accords?”"
        )
    else:
        follow = (
            "I answer a mention in a thread of its own. To follow up, **mention me** or **reply to my answer**: "
            "“@coalition-bot and when did they sign the Accords?” (I only see messages that mention me.)"
        )
    fields = [
        (
            "Ask",
            "`/ask question:` when did Egypt join the ILRS?\n"
            "or mention me: @coalition-bot how many countries have signed the Artemis Accords?\n"
            "Answers cite numbered sources; 👍/👎 tells us how they did.",
        ),
        ("Follow-ups", follow),
        (
            "Members",
            "`/members` a coalition's members in joining order · `/member` one country or organisation · "
            "`/overlap` members of both · `/timeline` a chart over time",
        ),
        ("Sources", "`/sources` the indexed articles, newest first · `/status` how fresh they are"),
        (
            "Admins",
            "`/reindex` re-read the articles folder · `/ingest` add an article by link or file · "
            "`/gaps` questions the articles did not answer",
        ),
        ("Where answers come from", freshness.sentence()),
    ]
    description = (
        "I answer questions about the **Artemis Accords** and China's **International Lunar Research Station "
        "(ILRS)** from indexed news articles and a sourced members registry, and say so when they do not say."
    )
    return EmbedPage(description, "How to use coalition-bot", LIST_COLOUR, fields)


@dataclass(frozen=True)
class StatusFacts:
    """What /status reports."""

    freshness: Freshness
    last_counts: dict[str, int]  # added, updated, unchanged, deleted, skipped
    answerer: str  # "offline" or "llm"
    llm_model: str
    passages: int
    model: str
    feedback: dict[str, int]  # answers, up, down
    problem: str | None  # the vector store disagreeing with the catalog, and the fix
    reindexing: str = ""  # who is reindexing now and since when (any process sharing the index), '' if nobody


def status_card(facts: StatusFacts) -> EmbedPage:
    """Status in plain words with Discord timestamps (shown in each reader's own time zone)."""
    f = facts.freshness
    articles = f"{f.articles} articles" + (
        f" ({f.summaries} of them summaries written for this corpus)" if f.summaries else ""
    )
    if f.newest:
        articles += f"\nNewest: {short_date(f.newest)}, “{cut_at_word(label(f.newest_title), 120)}”"
    if f.last_refresh:
        refresh = f"{discord_time(f.last_refresh)} ({discord_time(f.last_refresh, 'f')})"
        if facts.last_counts:
            c = facts.last_counts
            refresh += (
                f"\n{c.get('added', 0)} added, {c.get('updated', 0)} updated, {c.get('unchanged', 0)} unchanged, "
                f"{c.get('deleted', 0)} deleted, {c.get('skipped', 0)} skipped"
            )
    else:
        refresh = "Never: an admin can run `/reindex`."
    if facts.reindexing:
        refresh += f"\nReindexing now: started by {cut_at_word(label(facts.reindexing), 200)}"
    how = (
        "Offline: sentences quoted from the articles, no language model"
        if facts.answerer == "offline"
        else f"A language model ({facts.llm_model}) over the retrieved passages, offline when it fails"
    )
    fb = facts.feedback
    fields = [
        ("Articles", articles),
        ("Last refresh", refresh),
        (
            "Members registry",
            f"Latest joining: {human_date(f.registry_latest)}" if f.registry_latest else "Unavailable",
        ),
        ("Answers", how),
        ("Feedback", f"{fb.get('answers', 0)} answers · {fb.get('up', 0)} 👍 · {fb.get('down', 0)} 👎"),
        ("Search index", f"{facts.passages} passages · embedding model {facts.model}"),
    ]
    description = (
        f"⚠️ Search index out of step: {facts.problem} (an admin can run `/reindex`)." if facts.problem else ""
    )
    return EmbedPage(description, "coalition-bot status", LIST_COLOUR, fields)
