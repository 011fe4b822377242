"""Finding a member by any name people type: autocomplete choices and look-ups for `/member`.

The question reader already knows every way a member or country is named (registry names, acronyms,
aliases, the world's names and demonyms, from retrieval/reading); this module ranks those phrases
against what someone typed, forgiving typos with rapidfuzz, and tells a registry member, a real
country in neither coalition and an unknown name apart. No discord import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from retrieval.members_registry import SHORT_NAMES, Member, Registry, date_start
from retrieval.reading.places import fold, places

CHOICE_LIMIT = 100  # Discord's limit for a choice's name and value
_FILLER = frozenset({"the", "of", "and", "de", "du", "la", "le", "el"})  # "th" is not "The Gambia"


@dataclass(frozen=True)
class Choice:
    """One autocomplete choice: what is shown and the name it stands for."""

    label: str
    value: str


@dataclass(frozen=True)
class Lookup:
    """What a typed name turned out to be: a registry member (its rows), a country in neither
    coalition, or nothing known (with suggestions)."""

    typed: str
    rows: list[Member] = field(default_factory=list)
    country: str = ""  # a real country with no registry row: its common name
    related: list[str] = field(default_factory=list)  # registry organisations named after that country
    suggestions: list[str] = field(default_factory=list)
    as_of: str = ""  # the registry's latest joining date, 'YYYY-MM-DD' (or a month or year)


@dataclass(frozen=True)
class _Target:
    kind: str  # "member" or "country"
    name: str  # the registry name, or the country's common name
    phrases: tuple[str, ...]  # folded ways of naming it


def _score(typed: str, phrase: str) -> float:
    """How well a folded phrase matches what was typed so far (0-100): whole, prefix, word prefixes
    ("s korea"), then typos ("pakstan", "tailand")."""
    if phrase == typed:
        return 100.0
    if phrase.startswith(typed):
        return 95.0 - min(len(phrase) - len(typed), 40) / 10
    words, parts = [w for w in phrase.split() if w not in _FILLER], typed.split()
    if any(w.startswith(typed) for w in words):
        return 88.0
    if (
        len(parts) > 1
        and len(parts) <= len(words)
        and all(w.startswith(p) for p, w in zip(parts, words, strict=False))
    ):
        return 86.0  # "s korea" -> "south korea"
    if len(typed) < 4 or len(phrase) < 4:  # "rus" is not a typo of "us"
        return 0.0
    whole = fuzz.ratio(typed, phrase)
    begun = fuzz.ratio(typed, phrase[: len(typed)]) - 6  # a typo in a word still being typed
    return max(whole, begun)


class NameFinder:
    """Registry members and the world's countries by every name the question reader knows."""

    def __init__(self, registry: Registry, phrases: Mapping[tuple[str, ...], tuple[str, str]]) -> None:
        self.registry = registry
        world = places()
        by_target: dict[tuple[str, str], set[str]] = {}
        for words, (kind, value) in phrases.items():
            if kind == "member":
                by_target.setdefault(("member", value), set()).add(" ".join(words))
            elif kind == "country" and value in world.countries:
                by_target.setdefault(("country", world.countries[value].name), set()).add(" ".join(words))
        for name in registry.names():  # every member, even one the reader names differently
            by_target.setdefault(("member", name), set()).add(fold(name))
        members = set(registry.names())
        self._targets = [
            _Target(kind, name, tuple(sorted({p.removeprefix("the ") for p in found if p})))
            for (kind, name), found in sorted(by_target.items())
            if kind == "member" or name not in members
        ]
        rows = registry.rows
        latest = max(rows, key=lambda m: date_start(m.joined)) if rows else None
        self.as_of = latest.joined if latest else ""

    def rank(self, typed: str, limit: int = 25, minimum: float = 80.0) -> list[tuple[float, _Target]]:
        """Targets for what was typed, best first (members before other countries at equal scores)."""
        key = fold(typed).removeprefix("the ")
        if not key:
            return [(0.0, t) for t in self._targets if t.kind == "member"][:limit]
        scored = []
        for target in self._targets:
            best = max((_score(key, p) for p in target.phrases), default=0.0)
            if best >= minimum:
                scored.append((best, target))
        scored.sort(key=lambda st: (-st[0], st[1].kind != "member", len(st[1].name), st[1].name))
        return scored[:limit]

    def choices(self, typed: str, limit: int = 25) -> list[Choice]:
        """Autocomplete choices labelled with coalitions and years: 'Thailand — ILRS 2024 · Artemis Accords 2024'."""
        return [Choice(self.label(t), t.name[:CHOICE_LIMIT]) for _, t in self.rank(typed, limit)]

    def label(self, target: _Target) -> str:
        """A choice's label, cut to Discord's 100 characters (the name is cut, the coalitions kept)."""
        if target.kind == "member":
            rows = sorted(self.registry.member(target.name), key=lambda m: date_start(m.joined))
            tail = " · ".join(_membership_word(m) for m in rows)
        else:
            tail = "in neither coalition"
        room = CHOICE_LIMIT - len(tail) - 3
        name = target.name if len(target.name) <= room else target.name[: room - 1].rstrip() + "…"
        return f"{name} — {tail}"

    def look_up(self, typed: str) -> Lookup:
        """A member's rows; or a real country in neither coalition; or suggestions for an unknown name."""
        ranked = self.rank(typed, limit=5)
        exact = [t for score, t in ranked if score >= 99.0]
        target = exact[0] if exact else None
        if target is None:
            try:
                target = next(
                    t for t in self._targets if t.kind == "member" and t.name == self._resolve(typed)
                )
            except StopIteration:
                target = None
        if target is not None and target.kind == "member":
            return Lookup(typed, rows=self.registry.member(target.name), as_of=self.as_of)
        if target is not None:
            return Lookup(typed, country=target.name, related=self._related(target.name), as_of=self.as_of)
        suggestions = [t.name for score, t in self.rank(typed, limit=3, minimum=75.0)]
        return Lookup(typed, suggestions=suggestions, as_of=self.as_of)

    def _resolve(self, typed: str) -> str:
        """The registry's own resolution (aliases, acronyms, close spellings), or ''."""
        from retrieval.errors import UnknownName

        try:
            return self.registry.resolve_member(typed)
        except UnknownName:
            return ""

    def _related(self, country: str) -> list[str]:
        """Registry organisations named after a country ('… (KAIST)' for Kenya)."""
        key = fold(country)
        return [
            name
            for name in self.registry.names()
            if name != country and re.search(rf"\b{re.escape(key)}\b", fold(name))
        ]


def _membership_word(row: Member) -> str:
    """'ILRS 2024', 'Artemis Accords announced 2025', 'ILRS unconfirmed'."""
    year = row.joined[:4]
    if row.status == "member":
        return f"{SHORT_NAMES[row.coalition]} {year}"
    return f"{SHORT_NAMES[row.coalition]} {row.status} {year}"
