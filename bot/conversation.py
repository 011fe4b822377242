"""Conversation helpers (pure): the question as shown, "help", same-question detection, next steps.

The answerer returns `Answer.resolved`, the question as it read it (a follow-up made standalone);
that is what a thread remembers, what "the same question as before" compares, and, for a follow-up,
what is shown as "Read as". Refusals suggest commands by the names the question reader found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from retrieval.reading.markup import strip_markup
from retrieval.reading.places import fold

_MENTION = re.compile(r"<@[!&]?\d+>")
GREETING = re.compile(
    r"^(?:(?:hey|hi|hello|yo|ok|okay|so|um|quick q(?:uestion)?)\b[\s,:!.-]*)+", re.IGNORECASE
)
_HELP = frozenset(
    {
        "help",
        "help me",
        "usage",
        "commands",
        "how do i use you",
        "how do i use this",
        "how does this work",
        "what can you do",
        "what do you do",
        "info",
    }
)
_FILLER = frozenset({"the", "a", "an", "please", "pls", "and", "so", "then"})


def display_question(text: str) -> str:
    """The question as people typed it, without mentions, markup or a greeting, first letter capitalised."""
    shown = " ".join(strip_markup(_MENTION.sub(" ", text)).split())
    shown = GREETING.sub("", shown) or shown
    return shown[:1].upper() + shown[1:]


def tidy_resolved(resolved: str) -> str:
    """The question as read, for showing: no stray leading punctuation, capitalised, one question mark."""
    text = " ".join(resolved.split()).lstrip(" ,.;:-–—")
    text = re.sub(r"\?\s+(?=\S)", " ", text).rstrip()
    if text and not text.endswith(("?", ".", "!")):
        text += "?"
    return text[:1].upper() + text[1:]


def is_help_request(text: str) -> bool:
    """'help', '/help', 'what can you do?' and the like (said to the bot, nothing else)."""
    key = fold(text).strip()
    return key in _HELP or key.removeprefix("can you ").removeprefix("please ") in _HELP


def question_key(text: str) -> tuple[str, ...]:
    """A question's words, order and filler aside: 'When did Thailand join? the ILRS' and
    'when did thailand join the ilrs' have the same key."""
    return tuple(sorted(w for w in fold(text).split() if w not in _FILLER))


def same_question(resolved: str, previous: str | None) -> bool:
    """Whether a follow-up, as read, asks exactly what was asked before."""
    return bool(previous) and bool(resolved) and question_key(resolved) == question_key(previous or "")


def names_in(
    text: str, phrases: Mapping[tuple[str, ...], tuple[str, str]], longest: int = 6
) -> list[tuple[str, str]]:
    """The (kind, value) of every name in the text the question reader knows, longest phrase first."""
    words = fold(text).split()
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            hit = phrases.get(tuple(words[i : i + size]))
            if hit is not None and len(words[i]) > 1:
                if hit not in found:
                    found.append(hit)
                i += size
                break
        else:
            i += 1
    return found


def next_steps(
    text: str, phrases: Mapping[tuple[str, ...], tuple[str, str]], country_names: Mapping[str, str]
) -> list[str]:
    """What to try after a refusal: the member commands for the names in the question, then rephrasing."""
    coalition_names = {"artemis_accords": "Artemis Accords", "ilrs": "ILRS"}
    steps: list[str] = []
    for kind, value in names_in(text, phrases):
        if kind == "member":
            steps.append(f"`/member name:{value}` — its coalitions, dates and sources")
        elif kind == "country" and value in country_names:
            steps.append(f"`/member name:{country_names[value]}` — whether it is in either coalition")
        elif kind == "coalition":
            steps.append(f"`/members coalition:{coalition_names[value]}` — every member, with dates")
    steps = list(dict.fromkeys(steps))[:3]
    if not any(s.startswith("`/members") for s in steps):
        steps.append("`/members` — who is in the Artemis Accords or the ILRS, and since when")
    steps.append(
        "Rephrase with a name, a coalition and what you want to know, e.g. “when did Egypt join the ILRS?”; "
        "`/sources` shows what the articles cover"
    )
    return steps
