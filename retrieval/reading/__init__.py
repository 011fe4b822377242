"""Question reading: raw Discord text in, one structured `Query` out (see query.py for the pipeline)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING

from retrieval.reading.places import places
from retrieval.reading.query import (
    MEMBERSHIP_WORDS,
    NameIndex,
    Query,
    QuestionReader,
    Token,
    build_name_index,
)

if TYPE_CHECKING:
    from retrieval.catalog import Catalog
    from retrieval.members_registry import Registry

__all__ = ["Query", "QuestionReader", "Reading", "Token"]


class Reading:
    """The question reader for the current corpus and registry, rebuilt when either changes."""

    def __init__(self, catalog: Catalog, today: dt.date | None = None) -> None:
        self.catalog = catalog
        self.today = today
        self._lock = threading.Lock()
        self._built: tuple[tuple[object, ...], QuestionReader] | None = None

    def reader(self, registry: Registry | None) -> QuestionReader:
        """A reader for this corpus state and registry (cached; a reindex or registry reload rebuilds it)."""
        words = self.catalog.word_frequencies()
        key = (id(words), id(registry), self.today)
        built = self._built
        if built is not None and built[0] == key:
            return built[1]
        with self._lock:
            built = self._built
            if built is not None and built[0] == key:
                return built[1]
            reader = self._build(words, registry)
            self._built = (key, reader)
            return reader

    def read(self, text: str, registry: Registry | None) -> Query:
        """Read one question."""
        return self.reader(registry).read(text)

    def _build(self, words: dict[str, int], registry: Registry | None) -> QuestionReader:
        from retrieval.members_registry import ALIASES
        from retrieval.reading.lexicon import Speller, warm_english

        warm_english()  # built once per process, now rather than on a first long misspelt word

        world = places()
        members = registry.names() if registry is not None else []
        member_iso3 = {name: iso3 for name in members if (iso3 := world.iso3(name))}
        owners = (
            {c: frozenset(fact.founders) for c, fact in registry.coalitions.items()}
            if registry is not None
            else {}
        )
        names = build_name_index(members, ALIASES, world, member_iso3, owners)
        speller = Speller(
            words,
            names.words(),
            whole_names={k[0] for k in names.phrases if len(k) == 1},
            vocabulary=MEMBERSHIP_WORDS,
        )
        catalog = self.catalog
        events = [
            (e.label, e.names, e.date, e.article) for e in (registry.events if registry is not None else ())
        ]
        return QuestionReader(
            names,
            speller,
            lambda w: catalog.document_frequency(w) > 0,
            today=self.today,
            events=events,
            event_coalitions={
                e.label: e.coalition for e in (registry.events if registry is not None else ())
            },
            bodies=(r.signed_with for r in (registry.rows if registry is not None else ()) if r.signed_with),
        )


def name_index_words(index: NameIndex) -> set[str]:
    """Every word that is part of a name (for tests and diagnostics)."""
    return index.words()
