"""Read a question once, into one structured query that every later stage uses.

raw text ─▶ markup removed (markup.py) ─▶ words: chat shorthand spelled out, misspellings corrected
(lexicon.py) ─▶ names found: coalitions, registry members, other countries, regions ─▶ what the
person added around the question (greetings, thanks, "for my essay") set aside ─▶ the question's
form (when / how many / which / yes-no …), what it expects back (a date, a number, a person …),
its time frame (dates.py), its ordinal, superlative and comparison ─▶ `Query`.

The principle that keeps chatter from changing answers: only words that carry signal (the articles
use them, they name something, or they are grammar the answer depends on) reach retrieval and
scoring. Words that carry none are kept aside, and only two things are learnt from them: a name
nobody knows ("Narnia", "Elon Musk") and an unknown thing the question asks about ("the budget").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz.distance import OSA

from retrieval.members_registry import human_date
from retrieval.reading.dates import TimeFrame, normalise_dates, read_time
from retrieval.reading.lexicon import (
    DISCOURSE_WORDS,
    FUNCTION_WORDS,
    GREETINGS,
    NOW_WORDS,
    SHORTHAND,
    Speller,
    is_english,
)
from retrieval.reading.markup import strip_markup
from retrieval.reading.places import Places, fold

Wh = Literal[
    "when", "how_many", "how_much", "who", "which", "where", "what", "why", "how", "yes_no", "choice", "other"
]
Expect = Literal[
    "date",
    "time",
    "number",
    "money",
    "person",
    "agent",
    "place",
    "members",
    "yes_no",
    "choice",
    "reason",
    "manner",
    "description",
    "outlet",
    "statement",
    "age",
]

ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
MEMBERSHIP_WORDS = frozenset(
    """
    join joins joined joining sign signs signed signing signatory signatories signer signers member members
    membership partner partners partnership accede accedes acceded accession adhere adhered adherence part
    participant participants participate participates participating belong belongs belonged enter entered
    party parties become became ratify ratified signings accessions admitted admit admits admission inducted
    onboarded enrolled in
""".split()
) - {"in"}
MEMBER_NOUNS = frozenset(
    """
    country countries nation nations state states member members signatory signatories partner partners
    participant participants government governments organisation organisations organization organizations
    institution institutions agency agencies body bodies party parties signers ones territory territories
""".split()
)
ORGANISATION_NOUNS = frozenset(
    "organisation organisations organization organizations institution institutions nonprofit nonprofits "
    "institute institutes agency agencies body bodies outfit outfits ngo ngos entity "
    "entities company companies firm firms university universities laboratory laboratories "
    "lab labs".split()
)
COUNTRY_NOUNS = frozenset("country countries nation nations state states government governments".split())
FIRST_WORDS = frozenset(
    "first earliest original founding founder founders initial oldest pioneer pioneers".split()
)
LATEST_WORDS = frozenset("latest newest last recent most-recent youngest final".split())
FOUND_WORDS = frozenset(
    """
    found founded founder founders founding start started starts launch launched launches create created pioneered
    creates establish established initiate initiated initiative began begin beginning proposed propose conceived
    inception outset get-go inaugural initiator initiators instigated originated originator originators
    write wrote written writes draft drafted drafts author authored authors
""".split()
)
LEAD_WORDS = frozenset(
    "lead leads led leader leaders leading run runs running head heads headed behind charge "
    "manage manages managed organise organises organize organizes coordinate coordinates "
    "oversee oversees oversaw administer administers administered govern governs steer steers "
    "direct directs supervise supervises helm spearhead spearheads spearheaded spearheading driving drive drives drove".split()
)
BEFORE_WORDS = frozenset("before earlier sooner prior first".split())
AFTER_WORDS = frozenset("after later".split())
FUTURE_WORDS = frozenset(
    "will going gonna next upcoming future soon expected expect plan plans planned planning "
    "intend intends scheduled forthcoming supposed".split()
)
GENERIC_FOCUS = frozenset(
    """
    thing things deal story news status situation info information detail details stuff idea point role
    purpose meaning difference differences relationship relation connection link story background summary
    overview history significance importance goal goals aim aims reason reasons way ways name names kind type
    sort list number count total date day year month time
""".split()
)
MONEY_WORDS = frozenset(
    "cost costs costed pay paid pays payment budget budgets budgeted budgeting price priced fund funds funding "
    "funded money spend spent spending invest invested investment fee fees dollars contribute contributed "
    "contributes contribution contributions financially financial finance financing".split()
)
HUMAN_WORDS = frozenset(
    "person people minister ministers president presidents administrator official officials "
    "director head chief leader ambassador secretary astronaut astronauts scientist scientists "
    "envoy diplomat spokesperson spokesman premier king queen boss bosses chiefs heads directors "
    "designer engineer researcher researchers".split()
)
PERSON_WORDS = HUMAN_WORDS | frozenset(
    "agency agencies ministry department body institution organisation organization company".split()
)
PLACE_WORDS = frozenset(
    "city place location venue country site where town capital facility building centre center campus".split()
)
# Where a report appeared ("which news site reported czechia as the 24th"): answered by the article's outlet
OUTLET_WORDS = frozenset("outlet outlets site website publication newspaper paper media source".split())
EVENT_WORDS = frozenset("event summit conference meeting occasion ceremony forum congress gathering".split())
_AUX = frozenset(
    "is are was were did does do has have had can could will would should shall may might must".split()
)
_WORD = re.compile(r"\d{4}-\d\d(?:-\d\d)?|[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*\.?|[?!.,;:]")


@dataclass
class Token:
    """One word of the question as read."""

    text: str  # lower-case, shorthand spelled out, spelling corrected
    raw: str  # as typed (case kept)
    kind: str = "word"  # word | function | discourse | content | unknown | name | number | punct
    entity: tuple[str, str] | None = None  # ("coalition"|"member"|"country"|"region", value)
    core: bool = True
    possessive: bool = False  # typed with 's: usually a name ("spacex's role")


@dataclass
class Query:
    """A question as the person meant it: what it asks, about whom, when, and what answer it expects."""

    raw: str
    text: str  # the question without markup and chatter, spelling corrected
    search_text: str  # the retrieval query: the text with names written as the articles write them
    wh: Wh = "other"
    expects: Expect = "description"
    coalitions: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # registry names
    countries: list[str] = field(
        default_factory=list
    )  # ISO3 of countries named that are not registry members
    regions: list[str] = field(default_factory=list)
    excluded_regions: list[str] = field(default_factory=list)  # "non-european", "not from asia"
    member_type: str | None = None  # "country" | "organisation"
    signed_with: str | None = (
        None  # the body members signed with, as the registry names it ("mous with dsel")
    )
    time: TimeFrame = field(default_factory=TimeFrame)
    ordinal: int | None = None  # "the 40th signatory"
    ordinal_noun: str | None = None  # what the ordinal counts ("third workshop" -> workshop)
    asks_ordinal: bool = False  # "what number signatory was Hungary"
    superlative: str | None = None  # "first" | "latest"
    limit: int | None = None  # "the first 10 signatories"
    comparison: bool = False  # "before", "after", "which came first", "earlier"
    anchors: list[tuple[str, str]] = field(
        default_factory=list
    )  # ("after", "Thailand"): a time set by a member
    anchor_text: str = ""  # how an anchored time frame is said ("after Denmark")
    # the coalition an anchor's own clause names ("on the day Egypt joined the ILRS": Egypt's ILRS date)
    anchor_coalitions: dict[str, str] = field(default_factory=dict)
    adjacent: bool = False  # "right after", "immediately before", "next after": one member, not all of them
    excluded: list[str] = field(default_factory=list)  # members left out ("apart from China and Russia")
    asks_both: bool = False
    negated: bool = False
    future: bool = False
    membership: bool = False
    founding: bool = False
    leading: bool = False
    content_terms: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # figures the question quotes ("the figure of 17")
    source: str | None = None  # "according to CNSA", "what does Roscosmos say": whose statement is asked for
    unknown_terms: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    focus: str | None = None
    counted: str | None = None  # "how many X": the thing counted
    plural: bool = False
    corrections: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    follow_on: bool = False  # opens like a follow-up: "and when …", "what about Senegal?"
    offered: list[str] = field(default_factory=list)  # answers the asker offers ("bangkok or washington")
    tokens: list[Token] = field(default_factory=list)
    today: dt.date | None = None  # the reader's "today" (relative dates and "current")
    # events that set the question's time ("before the Sydney meeting"), as (description, date, article)
    events: list[tuple[str, str, str]] = field(default_factory=list)
    # every dated event the question names, wherever ("which came first, the paris meeting or the milan one")
    named_events: list[tuple[str, str, str]] = field(default_factory=list)
    event_words: frozenset[str] = frozenset()  # the words of an event's name that sets the time

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.tokens if t.kind != "punct"]

    def has(self, *words: str) -> bool:
        """Whether any of these words is in the question (as read)."""
        present = set(self.words)
        return any(w in present for w in words)

    @property
    def wants_exact(self) -> bool:
        """'the exact date', 'the full list', 'the name of …', 'how many of them are …': a detail the articles
        may say they do not have."""
        return self.has(
            "exact",
            "exactly",
            "precise",
            "precisely",
            "specific",
            "full",
            "complete",
            "breakdown",
            "split",
            "day",
        ) or bool(re.search(r"\bnames? of\b|\b(?:list|name|give) (?:me )?all\b", self.text.lower()))

    def content_terms_named(self) -> bool:
        """Whether the question names a source or a qualifier a newest-first rule would override ('according to
        Roscosmos', 'in April 2025')."""
        return bool(
            set(self.content_terms)
            & {
                "according",
                "roscosmos",
                "cnsa",
                "nasa",
                "said",
                "says",
                "reported",
                "report",
                "department",
                "wikipedia",
                "source",
                "sources",
            }
        )

    def signature(self) -> tuple[object, ...]:
        """What the question asks, independent of wording: two questions with one signature get one answer."""
        return (
            self.wh,
            self.expects,
            tuple(self.coalitions),
            tuple(self.members),
            tuple(self.countries),
            tuple(self.regions),
            self.member_type,
            self.time.as_of,
            self.time.start,
            self.time.end,
            self.ordinal,
            self.superlative,
            self.comparison,
            self.asks_both,
            self.negated,
            tuple(sorted(self.content_terms)),
        )


@dataclass
class NameIndex:
    """Every phrase that names something, folded: coalitions, registry members, countries, regions."""

    phrases: dict[tuple[str, ...], tuple[str, str]]
    longest: int
    needs_capitals: frozenset[
        str
    ]  # short names that are also ordinary words ("us"): only when typed in capitals
    # the members whose coalition it is ("china's ilrs"): coalition -> its founders
    owners: dict[str, frozenset[str]] = field(default_factory=dict)

    def words(self) -> set[str]:
        return {w for phrase in self.phrases for w in phrase}

    def phrase_fix(self, words: Sequence[str]) -> tuple[int, str] | None:
        """One mistyped word inside a name of several words ('united arba emirates', 'isle of mna'): its
        position and the name's word, when the rest of the name is typed right and the slip is one edit to
        exactly one name's word ('saudi arabai': of 'saudi arabia' and 'saudi arabian', only 'arabia')."""
        slots = self._slots()
        for j, word in enumerate(words):
            if len(word) < 3:
                continue
            key = (j, *words[:j], *words[j + 1 :])
            meant = {m for m in slots.get(key, ()) if m != word and OSA.distance(word, m) == 1}
            if word not in slots.get(key, ()) and len(meant) == 1:
                return j, meant.pop()
        return None

    def _slots(self) -> dict[tuple[object, ...], frozenset[str]]:
        cached: dict[tuple[object, ...], frozenset[str]] | None = getattr(self, "_slot_cache", None)
        if cached is None:
            found: dict[tuple[object, ...], set[str]] = {}
            for phrase in self.phrases:
                if len(phrase) >= 2:
                    for j, word in enumerate(phrase):
                        found.setdefault((j, *phrase[:j], *phrase[j + 1 :]), set()).add(word)
            cached = {key: frozenset(words) for key, words in found.items()}
            object.__setattr__(self, "_slot_cache", cached)
        return cached


# How people name the coalitions. Beyond these, "<Chinese|Russian|Sino…> … <moon|lunar> <base|station…>"
# is read as the ILRS by a rule (see _coalition_spans).
COALITION_PHRASES = {
    "ilrs": "ilrs",
    "international lunar research station": "ilrs",
    "lunar research station": "ilrs",
    "international lunar research station ilrs": "ilrs",
    "ilrs project": "ilrs",
    "ilrs program": "ilrs",
    "ilrs programme": "ilrs",
    "moon base": "ilrs",
    "lunar base": "ilrs",
    "lunar station": "ilrs",
    "moon station": "ilrs",
    "research station": "ilrs",
    "artemis accords": "artemis_accords",
    "artemis accord": "artemis_accords",
    "artemis": "artemis_accords",
    "accords": "artemis_accords",
    "accord": "artemis_accords",
    "artemis pact": "artemis_accords",
    "artemis agreement": "artemis_accords",
    "artemis agreements": "artemis_accords",
}
_CHINA_SIDE = frozenset("china chinese china's russia russian sino beijing cnsa roscosmos moscow".split())
_MOON = frozenset("moon lunar".split())
_BASE = frozenset(
    "base station outpost project program programme research alliance initiative coalition "
    "thing one club".split()
)
# The generic words of a coalition said by what it is ("the chinese moon base", "the american moon rules pact"): not
# what is asked about
DESCRIBING_WORDS = (
    _MOON
    | _BASE
    | frozenset(
        "pact agreement agreements deal treaty framework charter rulebook rules principles code bloc document space "
        "exploration norms rule principle".split()
    )
)


def build_name_index(
    members: Iterable[str],
    aliases: dict[str, str],
    places: Places,
    member_iso3: dict[str, str],
    owners: dict[str, frozenset[str]] | None = None,
) -> NameIndex:
    """Phrases for coalitions, registry members (names, acronyms, aliases, the world's names for them), other
    countries and regions."""
    phrases: dict[tuple[str, ...], tuple[str, str]] = {}

    def put(phrase: str, value: tuple[str, str], override: bool = False) -> None:
        key = tuple(fold(phrase).split())
        if key and (override or key not in phrases):
            phrases[key] = value

    for phrase, iso3_or_region in places.phrases.items():
        kind, value = iso3_or_region
        put(phrase, ("region", value) if kind == "region" else ("country", value))
    iso_to_member = {iso3: name for name, iso3 in member_iso3.items()}
    for phrase, (kind, value) in list(places.phrases.items()):
        if kind == "country" and value in iso_to_member:
            put(phrase, ("member", iso_to_member[value]), override=True)
    for name in members:
        put(name, ("member", name), override=True)
        base = re.sub(r"\s*\(.*?\)", "", name).split(",")[0]
        put(base, ("member", name), override=True)
        for acronym in re.findall(r"\(([^)]+)\)", name):
            if acronym.split()[0].isupper():
                put(acronym.split()[0], ("member", name), override=True)
                put(acronym, ("member", name), override=True)
    for alias, name in aliases.items():
        if name in set(members):
            put(alias, ("member", name), override=True)
    for phrase, coalition in COALITION_PHRASES.items():
        put(phrase, ("coalition", coalition), override=True)
    longest = max((len(k) for k in phrases), default=1)
    return NameIndex(phrases, longest, frozenset({"us", "dr", "rok", "aa"}), dict(owners or {}))


@functools.lru_cache(maxsize=256)
def event_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """An event's names and the clauses that name it too ('duma ratification' -> 'duma ratified', 'duma ratify');
    read for every question by the registry's routing, so worked out once per event."""
    return tuple(dict.fromkeys([*names, *EventTimes._clauses(names)]))


_COALITION_SAID = re.compile(r"\b(?:ilrs|accords?|artemis|lunar research station|moon base)\b", re.I)
# A joining or signing told just before an event's name ("signed up for the ilrs at …", "joined during …")
_JOINED_BEFORE = re.compile(
    r"\b(?:sign|signs|signed|signing|join|joins|joined|joining)\b(?:\s+[\w'’-]+){0,5}\s*$", re.I
)


# an event's name that is a clause in the past ("ilrs got started", "accords were launched"): a time after "when"
_CLAUSE_END = re.compile(r"(?:ed|began|begun|set up|kicked off|got going)$")


_LATEST_EVENT = re.compile(
    r"\bthe (?:latest|most recent|last|newest) (?P<kind>principals'? meeting|workshop|signatories'? meeting)\b",
    re.I,
)


class EventTimes:
    """Dated events that set a question's time: 'before the Sydney meeting' means 'before 29 September 2025'.
    Only an event after a word of time sets it ('who co-chaired the Milan meeting' asks about the event), and
    the question's own words stay as typed: only its time is read from the dated wording."""

    _LEAD = (
        r"(?P<lead>\b(?:(?:in |during )?the same (?:month|year) as|before|after|since|until|till|by the time of|by the time|"
        r"by|prior to|ahead of|following|once|"
        r"at|during|on|"
        r"at the time of|at the time|as of|as at|around|between|in the run[- ]up to|leading up to|up to|"
        r"when (?:they|signatories|the signatories|nasa|it) (?:held|had|hosted|attended|met (?:in|at))|"
        r"when (?:the )?(?:artemis accords|accords|ilrs|it|they) (?:got|were|was|had been)|when)) "
    )

    RESTATED = re.compile(
        r"\s*,?\s*\(?(?:of|on|held on|in)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:january|february|march|april|may|june|"
        r"july|august|september|october|november|december)(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}\)?",
        re.I,
    )

    _HAPPENED = re.compile(
        r"\s+(?:happened|took place|was held|were held|met|convened|began|started|opened|was on|came|kicked off|"
        r"got (?:under ?way|going|started)|was under ?way)"
        r"(?: (?:in|at) [a-z]+)?\b",
        re.I,
    )

    # An event named by what happened ("duma ratification") is also named by the clause, in the past ("the duma
    # ratified") or after "did" ("did the duma ratify")
    _DONE = {
        "ratification": ("ratified", "ratify"),
        "vote": ("voted", "vote"),
        "release": ("released", "release"),
        "extension": ("extended", "extend"),
        "signing": ("signed", "sign"),
        "signings": ("signed", "sign"),
    }
    _PAST = tuple(past for past, _ in _DONE.values())

    _OBJECT = re.compile(
        r"\s+(?:it|them|(?:the|its|their|an?|that|this) (?:[\w-]+ ){0,3}?(?:agreement|deal|treaty|memorandum|"
        r"accords|roadmap|guide|document|pact)s?)\b",
        re.I,
    )

    def __init__(self, events: Iterable[tuple[str, tuple[str, ...], str, str]]) -> None:
        self.events = [(label, event_names(names), date, article) for label, names, date, article in events]
        names = sorted(
            ((name, i) for i, (_, names, _, _) in enumerate(self.events) for name in names),
            key=lambda p: -len(p[0]),
        )
        self._index = {name: i for name, i in names}
        # each event's plain name: its first name of two words or more with no ordinal ("paris meeting")
        self._plain = [
            next(
                (
                    n
                    for n in event_names
                    if " " in n
                    and not set(n.split()) & (set(ORDINAL_WORDS) | {"first", "second", "2nd", "1st"})
                ),
                event_names[0],
            )
            for _, event_names, _, _ in self.events
        ]
        if names:
            alternatives = "|".join(
                r"[\s-]+".join(re.escape(w).replace("'", "'?") for w in name.split()) for name, _ in names
            )
            event = rf"(?:the |an? |that |this )?(?:{alternatives})(?:'s)?(?: (?:meeting|meetings|meetup|event|signing|signings))?\b"
            when = r"(?: (?:of|in) (?:[a-z]+ )?(?:19|20)\d\d\b)?"  # "the isle of man extension of july 2021"
            self._pattern: re.Pattern[str] | None = re.compile(
                self._LEAD + rf"(?P<one>{event}){when}(?: and (?P<two>{event}){when})?", re.I
            )
            self._any: re.Pattern[str] | None = re.compile(event, re.I)
        else:
            self._pattern = self._any = None

    @classmethod
    def _clauses(cls, names: Iterable[str]) -> list[str]:
        """'duma ratification' -> 'duma ratified', 'duma had ratified', 'duma was ratified' …."""
        out: list[str] = []
        for name in names:
            words = name.split()
            *rest, last = words
            if len(words) > 2 and words[0] in cls._DONE and words[1] == "to":
                out.append(" ".join([cls._DONE[words[0]][0], *words[1:]]))  # "extension to the isle of man"
            if last in cls._DONE and rest and not any("'" in w or w in ("of", "by", "to") for w in rest):
                past, base = cls._DONE[last]
                head = " ".join(rest)
                out += [f"{head} {past}", *(f"{head} {aux} {past}" for aux in ("had", "has", "was", "were"))]
                out.append(f"{head} {base}")  # "did the duma ratify the agreement before …"
        return out

    _KINDS = frozenset("meeting workshop seminar forum summit ceremony".split())

    def beside(self, label: str, step: int, among: Collection[str] | None = None) -> str | None:
        """The event of the same kind (and among these labels, when given: the same coalition's) held right after
        (step 1) or before (step -1) this one ('the one after the milan meeting': the sydney meeting), by its
        label; None when there is none."""
        here = next((e for e in self.events if e[0] == label), None)
        if here is None:
            return None

        def kinds(names: tuple[str, ...]) -> set[str]:
            return {w for n in names for w in n.split()[-1:] if w in self._KINDS}

        mine = kinds(here[1])
        same = sorted(
            (date, other)
            for other, names, date, _ in self.events
            if other != label
            and (among is None or other in among)
            and kinds(names) & mine
            and (date > here[2] if step > 0 else date < here[2])
        )
        if not same:
            return None
        return same[0][1] if step > 0 else same[-1][1]

    def plain_of(self, label: str) -> str:
        """The plain name an event is called by in a read question ('isle of man extension')."""
        i = next((i for i, e in enumerate(self.events) if e[0] == label), None)
        return self._plain[i] if i is not None else label.lower()

    def mentioned(self, text: str) -> list[tuple[str, str, str]]:
        """Every event the text names, in its order, each once: (label, date, article)."""
        out: list[tuple[str, str, str]] = []
        for m in self._any.finditer(text) if self._any is not None else ():
            i = self._find(m.group(0))
            if i is not None:
                label, _, date, article = self.events[i]
                if (label, date, article) not in out:
                    out.append((label, date, article))
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where the text names each event: (start, end, label)."""
        out: list[tuple[int, int, str]] = []
        for m in self._any.finditer(text) if self._any is not None else ():
            i = self._find(m.group(0))
            if i is not None:
                out.append((m.start(), m.end(), self.events[i][0]))
        return out

    def latest_named(self, text: str) -> str:
        """'the latest principals meeting', 'the most recent workshop': the newest event whose names say it, by its
        plain name ('the sydney meeting'), so the question is about that one."""

        def newest(m: re.Match[str]) -> str:
            kind = " ".join(m.group("kind").lower().replace("'", "").split())
            dated = [
                (date, i)
                for i, (_, names, date, _) in enumerate(self.events)
                if any(kind in n.replace("'", "") for n in names)
            ]
            return f"the {self._plain[max(dated)[1]]}" if dated else m.group(0)

        return _LATEST_EVENT.sub(newest, text)

    def _find(self, phrase: str) -> int | None:
        key = " ".join(
            re.sub(
                r"^(?:the|an?|that|this) |'s\b", "", phrase.lower().replace("’", "'").replace("-", " ")
            ).split()
        )
        for candidate in (key, re.sub(r" (?:meeting|meetings|meetup|event|signing|signings)$", "", key)):
            for name, i in self._index.items():
                if re.fullmatch(
                    r"\s*".join(re.escape(w).replace("'", "'?") for w in name.split()), candidate
                ):
                    return i
        return None

    def read(self, text: str) -> tuple[str, str, list[tuple[str, str, str]]]:
        """Each event after a word of time, in one pass: the text with it written as its date (to read the
        time from), the text with it called by its plain name, with no ordinal in it (to read the rest from),
        and the events so read."""
        if self._pattern is None:
            return text, text, []
        timed: list[str] = []
        named: list[str] = []
        used: list[tuple[str, str, str]] = []
        at = 0
        for m in self._pattern.finditer(text):
            found = [self._find(m.group("one")), self._find(m.group("two")) if m.group("two") else None]
            if found[0] is None or (m.group("two") and found[1] is None):
                continue
            indices = [i for i in found if i is not None]
            lead = m.group("lead").lower()
            end = m.end()
            if lead == "when":  # "how many … when the paris meeting took place": only a clause of time
                happened = self._HAPPENED.match(text, end)
                if happened is None and not (
                    m.group("one").lower().endswith(self._PAST) or _CLAUSE_END.search(m.group("one").lower())
                ):
                    continue  # "when was the milan meeting" asks for the event's date; "when the ilrs got
                    # started" (an event named by its clause) is a time
                # "when the duma ratified" is a clause of time already
                lead, end = "as of", happened.end() if happened else end
            restated = self.RESTATED.match(text, end)
            if restated:
                end = restated.end()  # "after the milan meeting of 14 october 2024": its date said again
            last = (m.group("two") or m.group("one")).lower()
            if last.endswith(self._PAST) and (done := self._OBJECT.match(text, end)):
                end = done.end()  # "the duma ratified the russia-china agreement": the clause's own object
            if lead in ("at", "during", "on") and re.search(
                r"\b(?:already|still|yet)\b", text[: m.start()], re.I
            ):
                if not _COALITION_SAID.search(text[: m.start()]):
                    continue
                lead = "as of"  # "was cyprus already in the accords at the milan meeting": a member by then
            elif lead in ("at", "during", "on"):
                before = text[: m.start()]
                if not (_JOINED_BEFORE.search(before) and _COALITION_SAID.search(before)):
                    continue  # "who co-chaired at the milan meeting", "the institutions that signed at the tiandu
                    # forum" (with DSEL, not into a coalition) ask about the event
                # "who signed up for the ilrs at that china space day ceremony in wuhan": on its day; "how many
                # signed the accords at the summit": that day's, not everyone's by then
                lead = "between" if re.search(r"\bhow many\b", before, re.I) else "on"
            elif lead == "once":  # "the first to sign once trump was back in office": from then on
                lead = (
                    "since" if re.search(r"\b(?:first|next|earliest)\b", text[: m.start()], re.I) else "as of"
                )
            if lead in ("at the time of", "at the time", "around") or lead.startswith("when "):
                lead = "as of"
            elif lead.startswith("by the time"):
                lead = "by"
            elif lead in (
                "in the run-up to",
                "in the run up to",
                "leading up to",
                "up to",
                "prior to",
                "ahead of",
            ):
                lead = "before"
            for i in indices:
                label, _, date, article = self.events[i]
                used.append((label, date, article))
            days = [human_date(self.events[i][2]) for i in indices]
            same = re.search(r"same (month|year) as", lead)
            if same:  # "in the same month as the milan meeting": that month
                day = days[0].split()
                timed += [
                    text[at : m.start()],
                    f"in {' '.join(day[-2:] if same.group(1) == 'month' else day[-1:])}",
                ]
            else:
                timed += [
                    text[at : m.start()],
                    f"between {days[0]} and {days[0]}"
                    if lead == "between" and len(days) == 1
                    else f"{lead} {' and '.join(days)}",
                ]
            plain = " and the ".join(self._plain[i] for i in indices)
            said_lead = "at the time of" if m.group("lead").lower().startswith("when") else m.group("lead")
            named += [text[at : m.start()], f"{said_lead} the {plain}"]
            at = end
        return "".join(timed) + text[at:], "".join(named) + text[at:], used


# a coalition's founders left out of what is asked ("apart from the eight founders", "not counting the og members")
_BESIDES_FOUNDERS = re.compile(
    r" (?:apart from|aside from|besides|other than|excluding|except(?: for)?|not counting|not including|leaving "
    r"out|ignoring|minus|without) (?:the |its |their )?(?:\w+ )?(?:founders|founding (?:members|signatories|"
    r"countries|states|nations|ones)|original (?:members|signatories|countries|ones|founders)|og (?:members|"
    r"signatories|countries|ones|founders))(?= )"
)


class QuestionReader:
    """Turns raw question text into a Query, with the corpus's words and the registry's names."""

    def __init__(
        self,
        names: NameIndex,
        speller: Speller,
        corpus_knows: Callable[[str], bool],
        today: dt.date | None = None,
        events: Iterable[tuple[str, tuple[str, ...], str, str]] = (),
        event_coalitions: Mapping[str, str] | None = None,
        bodies: Iterable[str] = (),
    ) -> None:
        self.names = names
        # the bodies registry rows say members signed with ("Deep Space Exploration Laboratory (DSEL)"), each with
        # how a question says it was signed with ("mous with dsel", "through the Deep Space Exploration Laboratory",
        # "agreements with china's cnsa"): compiled once per reader, not per question
        self._bodies = [(body, _signed_with_pattern(body)) for body in sorted(set(bodies))]
        # an event's label -> the coalition it belongs to
        self.event_coalitions = dict(event_coalitions or {})
        self.speller = speller
        self.corpus_knows = corpus_knows
        self.today = today
        self.events = EventTimes(events)

    # -- the reading -----------------------------------------------------------------------
    def read(self, raw: str, _corrected: bool = False) -> Query:
        """Read a question."""
        today = self.today or dt.date.today()
        text = as_claim(strip_markup(raw))
        text = _without_just_announced(text)  # "… actually signed, as opposed to merely announcing …"
        text = _OTHER_WAY.sub(", is that right?", text)  # "…, or was it the other way round?"
        text = _JUST_TALK.sub(", is that right?", text)  # "…, or was that just a rumor??"
        text = _CLEFT.sub(_uncleft, text)  # "was it pakistan or azerbaijan that got into the ilrs first?"
        text = _SIDE.sub(r"for \g<who>", text)  # "who signed on the thai side": for Thailand
        text = _DEAL.sub(r"\g<det> agreement", text)  # "the ilrs deal": the articles' agreement
        text = _PUT_OUT.sub("released", text)  # "when did they put out the roadmap": the articles' verb
        # "before the sydney meeting" sets the time "before 29 September 2025"; the event keeps a plain name
        # ("after the first in-person meeting" -> "after the paris meeting": its "first" is not a superlative)
        text = self.events.latest_named(text)  # "the latest principals meeting": the sydney meeting
        timed, text, events = self.events.read(text)
        tagged = bool(_TAG_QUESTION.search(text))  # "…, is that right?": a yes/no question
        tokens = self._tokens(text)
        query = Query(raw=raw, text="", search_text="", today=today, events=events)
        query.named_events = self.events.mentioned(text)
        self._correct(tokens, query)
        if query.corrections and not events and not _corrected:
            # "when the longeuil workshop kicked off": an event is found in the words as corrected
            fixed = raw
            for typo, meant in query.corrections.items():
                fixed = re.sub(rf"(?<!\w){re.escape(typo)}(?!\w)", meant, fixed)
            if self.events.read(fixed)[2]:
                again = self.read(fixed, _corrected=True)
                again.raw = raw
                again.corrections = {**query.corrections, **again.corrections}
                return again
        self._find_names(tokens)
        if self._correct_to_coalition(tokens, query, expected=self._coalition_expected(tokens)):
            self._find_names(tokens)
        if self._names_expected(tokens) and self._correct_to_names(tokens, query):
            for t in tokens:
                if t.kind == "name":
                    t.kind, t.entity = "word", None
            self._find_names(tokens)
        self._classify(tokens)
        _subjects_wants(tokens)
        opening = [t.text for t in tokens if t.kind not in ("discourse", "punct")][:3]
        self._set_aside_chatter(tokens, query)
        # "can someone tell me what about russia plz": the opening of the question, past the talk before it
        asked_opening = [t.text for t in tokens if t.core and t.kind not in ("discourse", "punct")][:3]
        self._set_aside_descriptions(tokens, query)
        query.tokens = [t for t in tokens if t.core]
        query.text = _join(
            [
                t.raw if t.entity or t.kind in ("number", "punct") or t.raw.lower() == t.text else t.text
                for t in query.tokens
            ]
        )
        self._entities(query)
        query.signed_with = self._signed_with(query.text)
        lowered = " ".join(t.text for t in query.tokens)
        query.time = read_time(" ".join(normalise_dates(timed).lower().split()) if events else lowered, today)
        self._form(query)
        on_day = re.search(
            r"\b(?:sign|signs|signed|join|joins|joined|did so)\b(?: [a-z]+){0,4} on \d{1,2} [a-z]+ \d{4}\b",
            " ".join(normalise_dates(timed).lower().split()) if events else lowered,
        )  # "who signed on 13 december 2022", "who signed at the wuhan ceremony" (on its day)
        if on_day and query.time.as_of and query.time.start is None and query.wh != "how_many":
            # "who signed on 30 may 2024": that day, not everyone up to it
            query.time.start = query.time.end = query.time.as_of
            query.time.as_of = None
        opens_asking = bool(query.tokens) and query.tokens[0].text in _WH_WORDS
        if tagged and (query.wh in ("other", "what") or (query.wh == "which" and not opens_asking)):
            # "some list had hungary as a signatory before may 2025, was that right": a claim to check
            query.wh, query.expects = "yes_no", "yes_no"
        self._features(query)
        query.follow_on = any(
            bool(words)
            and (
                words[0] in ("and", "also", "then", "same", "ditto")
                or words[:2]
                in (
                    ["what", "about"],
                    ["how", "about"],
                    ["now", "do"],
                    ["now", "for"],
                    ["do", "the"],
                    ["repeat", "for"],
                    ["now", "the"],
                    ["what", "of"],
                )
            )
            for words in (opening, asked_opening)
        )
        query.search_text = self._search_text(query)

        return query

    def _signed_with(self, text: str) -> str | None:
        """The body the question says members signed with: one of the bodies the registry's rows name."""
        lowered = text.lower()
        return next((body for body, said in self._bodies if said.search(lowered)), None)

    def names_in(self, text: str) -> list[Token]:
        """The words of a sentence from an article, with the names it mentions marked as a question's are
        (coalitions, registry members, other countries, regions). Only a capitalised word that is neither a corpus
        word nor ordinary English is corrected, and only to a name ('Azerbajan'): in edited prose an unknown
        word is far more often a name nobody listed than a typo."""
        tokens = self._tokens(text)
        name_words = self.names.words()
        for token in tokens:
            word = token.text
            if (
                token.kind != "word"
                or not token.raw[:1].isupper()
                or not word.isalpha()
                or word in name_words
                or word in FUNCTION_WORDS
                or self.known(word)
                or is_english(word)
            ):
                continue
            fixed = self.speller.correct(word)
            if fixed and fixed in self.speller.names:
                token.text = fixed
        self._find_names(tokens)
        return tokens

    def _tokens(self, text: str) -> list[Token]:
        out: list[Token] = []
        text = normalise_dates(text)
        for pattern, replacement in _IDIOMS:
            text = pattern.sub(replacement, text)
        for match in _WORD.finditer(text.replace("’", "'")):
            raw = match.group(0)
            lower = raw.lower()
            if lower in SHORTHAND and not (raw.isupper() and len(raw) > 1 and lower in ("us", "aa")):
                for part in SHORTHAND[lower].split():
                    out.append(Token(part, raw))
                continue
            if lower.endswith("n't") and len(lower) > 3:  # "isn't" -> "is not", "won't" -> "will not"
                base = {"won't": "will", "can't": "can", "shan't": "shall"}.get(lower, lower[:-3])
                out += [Token(base, raw), Token("not", raw)]
                continue
            if re.fullmatch(r"(?:where|when|how|who|what|why|which)'d", lower):
                out += [Token(lower[:-2], raw), Token("did", raw)]  # "where'd they sign it": where did
                continue
            possessive = False
            if lower.endswith("'s") and len(lower) > 2:
                lower, possessive = lower[:-2], True
            elif lower.endswith("s'"):
                lower, possessive = lower[:-1], True
            if lower.endswith(".") and lower not in ("u.s.", "u.k.", "u.s.a.", "u.a.e.") and len(lower) > 1:
                out.append(Token(lower[:-1], raw[:-1]))
                out.append(Token(".", ".", kind="punct"))
                continue
            if re.fullmatch(
                r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|tv|gov|info|news|io|co|uk|int|edu)", lower
            ):
                out.append(Token(lower, raw, kind="discourse"))  # a website named as a source
                continue
            kind = "punct" if lower in "?!.,;:" else "word"
            out.append(
                Token(
                    lower.replace(".", "") if kind == "word" else lower, raw, kind=kind, possessive=possessive
                )
            )
        return out

    def _correct(self, tokens: list[Token], query: Query) -> None:
        """Correct misspelt words to corpus words or names; words already known stay as typed."""
        name_words = self.names.words()
        # a slip inside a name of several words, read with its neighbours ("united arba emirates" is not Aruba)
        for size in range(min(self.names.longest, 4), 1, -1):
            for i in range(len(tokens) - size + 1):
                window = tokens[i : i + size]
                if any(t.kind != "word" or not t.text.isalpha() for t in window):
                    continue
                found = self.names.phrase_fix([t.text for t in window])
                if found is not None:
                    j, meant = found
                    token = window[j]
                    rest = tuple(t.text for t in window if t is not token)
                    if self.known(token.text) and rest in self.names.phrases:
                        continue  # "last asian country": "asian" names a region by itself; "last" is no slip
                    if token.text not in name_words or not self.known(token.text):
                        query.corrections[token.raw] = meant
                        token.text = meant
        for i, token in enumerate(tokens):
            word = token.text
            if (
                token.kind != "word"
                or not word.isalpha()
                or word in FUNCTION_WORDS
                or word in DISCOURSE_WORDS
            ):
                continue
            beside = {t.text for t in tokens[max(i - 1, 0) : i + 2] if t is not token}
            if self.speller.name_part(word) and not beside & name_words:
                # "ilrs members from afrika": a word known only inside a longer name ("suid afrika"), alone
                fixed = self.speller.correct(word)
                if fixed:
                    query.corrections[token.raw] = fixed
                    token.text = fixed
                continue
            if word in name_words or self.known(word):
                continue
            fixed = self.speller.correct(word)
            if fixed and token.possessive and fixed not in self.speller.names:
                fixed = None  # "spacex's role": a name of something, not a misspelt word
            if word.endswith("s") and word[:-1] in self.speller.names:
                fixed, token.possessive = (
                    word[:-1],
                    True,
                )  # "chinas moon base", "nasas advisory": an apostrophe left out
            elif fixed is None and word.endswith("s") and len(word) > 5:  # "denmakrs" (Denmark's, typed fast)
                fixed = self.speller.correct(word[:-1]) or None
                fixed = fixed if fixed and fixed in self.speller.names else None
            if fixed:
                query.corrections[token.raw] = fixed
                token.text = fixed

    def known(self, word: str) -> bool:
        """A word the articles write as it is, or an English word whose stem they write ('joins' for 'joined')."""
        if "'" in word:
            return self.corpus_knows(word)  # "chang'e": the articles' own spelling, matched as a phrase
        if word in MEMBERSHIP_WORDS:
            return True  # "accede": the reader's own vocabulary, whether or not the articles use the word
        if (
            len(word) > 3
            and word.endswith("s")
            and not word.endswith("ss")
            and self.speller.knows(word[:-1])
            and word[:-1] not in self.speller.names
        ):
            return True  # "blocs" where the articles say "bloc": a plural, not a slip for "blocks"
        return self.speller.knows(word) or (is_english(word) and self.corpus_knows(word))

    @staticmethod
    def _names_expected(tokens: list[Token]) -> bool:
        """A membership question (a coalition or a joining verb) that names no member or country yet."""
        words = {t.text for t in tokens}
        has_subject = any(t.entity and t.entity[0] in ("member", "country") for t in tokens)
        about = any(t.entity and t.entity[0] == "coalition" for t in tokens) or bool(words & MEMBERSHIP_WORDS)
        return about and not has_subject

    @staticmethod
    def _coalition_expected(tokens: list[Token]) -> bool:
        """A question about a member or membership that names no coalition: 'is ethiopia in the iles'."""
        if any(t.entity and t.entity[0] == "coalition" for t in tokens):
            return False
        return any(t.entity and t.entity[0] in ("member", "country") for t in tokens) or bool(
            {t.text for t in tokens} & MEMBERSHIP_WORDS
        )

    def _correct_to_coalition(self, tokens: list[Token], query: Query, *, expected: bool) -> bool:
        """A word one slip from a coalition's name: in a membership question that names none, or a word that is
        neither the articles' nor an everyday one ("who founded the iles", "what did the artemsi signatories …")."""
        from rapidfuzz.distance import DamerauLevenshtein

        if any(t.entity and t.entity[0] == "coalition" for t in tokens):
            return False
        changed = False
        for token in tokens:
            word = token.text
            if (
                token.kind != "word"
                or token.entity
                or len(word) < 4
                or not word.isalpha()
                or word in FUNCTION_WORDS
                or not (expected or (not self.known(word) and not is_english(word, minimum=1_000_000)))
            ):
                continue
            for target in ("ilrs", "artemis", "accords"):
                if word[0] == target[0] and DamerauLevenshtein.distance(word, target) == 1:
                    query.corrections[token.raw] = target
                    token.text = target
                    changed = True
                    break
        return changed

    def _correct_to_names(self, tokens: list[Token], query: Query) -> bool:
        """In a membership question, an ordinary word one letter away from a member's or country's name is that
        name ('did columbia sign the accords')."""
        changed = False
        for token in tokens:
            word = token.text
            if (
                token.kind != "word"
                or token.entity
                or len(word) < 5
                or not word.isalpha()
                or word in FUNCTION_WORDS
                or word in DISCOURSE_WORDS
                or word in MEMBERSHIP_WORDS
                or self.known(word)
            ):
                continue
            fixed = self.speller.correct_to_name(word)
            if fixed:
                query.corrections[token.raw] = fixed
                token.text = fixed
                changed = True
        return changed

    def without_asides(self, text: str) -> str:
        """A bracketed aside in a message that names, dates, limits and asks nothing ("did the paris get-together (the first one
        held face to face) happen before …") only describes what the question already names."""

        def aside(match: re.Match[str]) -> str:
            inner = match.group(1)
            if "?" in inner or re.search(r"\d", inner):
                return match.group(0)
            tokens = self._tokens(inner)
            self._find_names(tokens)
            keeps = any(
                t.entity or t.text in _WH_WORDS or t.text in _LIMITING or t.text in MEMBERSHIP_WORDS
                for t in tokens
            )
            return match.group(0) if keeps else ""

        return _ASIDE.sub(aside, text)

    def _find_names(self, tokens: list[Token]) -> None:
        """Mark the longest phrases that name a coalition, member, country or region."""
        words = [t.text if t.kind == "word" else "\x00" for t in tokens]
        self._coalition_rule(tokens, words)
        i = 0
        while i < len(tokens):
            if tokens[i].entity or words[i] == "\x00":
                i += 1
                continue
            for length in range(min(self.names.longest, len(tokens) - i), 0, -1):
                span = tuple(words[i : i + length])
                if "\x00" in span or any(t.entity for t in tokens[i : i + length]):
                    continue
                hit = self.names.phrases.get(span)
                if hit is None and length == 1 and span[0].endswith("s") and len(span[0]) > 4:
                    hit = self.names.phrases.get((span[0][:-1],))  # "norwegians", "emiratis"
                    hit = hit if hit and hit[0] in ("member", "country") else None
                if hit is None and length > 1 and span[0] == "the":
                    continue
                if hit is None:
                    continue
                if (
                    length == 1
                    and span[0] in self.names.needs_capitals
                    and not tokens[i].raw.isupper()
                    and not (i > 0 and words[i - 1] == "the")
                ):
                    continue
                if (
                    hit == ("coalition", "artemis_accords")
                    and span == ("artemis",)
                    and i + 1 < len(words)
                    and re.fullmatch(
                        r"i{1,3}|iv|v|\d+|program|programme|mission|missions|rocket|moon|landing|"
                        r"crew|launch|flight|astronauts?",
                        words[i + 1],
                    )
                ):
                    continue  # "Artemis III", "the Artemis programme": NASA's missions, not the Accords
                for t in tokens[i : i + length]:
                    t.entity = hit
                    t.kind = "name"
                i += length - 1
                break
            i += 1

    @staticmethod
    def _coalition_rule(tokens: list[Token], words: list[str]) -> None:
        """'the chinese moon base', 'china-russia lunar station', "china's lunar project": the ILRS."""
        for i, word in enumerate(words):
            if word in _MOON and i + 1 < len(words) and words[i + 1] in _BASE:
                start = i
                while start > 0 and (
                    words[start - 1] in _CHINA_SIDE or words[start - 1] in ("led", "backed", "and")
                ):
                    start -= 1
                if start < i or (words[i + 1] in ("base", "station", "outpost")):
                    end = i + 2
                    if end < len(words) and words[end] in (
                        "project",
                        "program",
                        "programme",
                        "thing",
                        "initiative",
                    ):
                        end += 1
                    for t in tokens[start:end]:
                        t.entity = ("coalition", "ilrs")
                        t.kind = "name"

    def _classify(self, tokens: list[Token]) -> None:
        for i, token in enumerate(tokens):
            if token.kind in ("name", "punct", "discourse"):
                continue
            word = token.text
            if re.fullmatch(r"\d+(st|nd|rd|th)?|\d{4}-\d\d(-\d\d)?", word) or word in NUMBER_WORDS:
                token.kind = "number"
            elif word in ("all", "there", "guys", "team", "folks") and i and tokens[i - 1].text in GREETINGS:
                token.kind = "discourse"  # "hi all, and in 2023?": part of the greeting
            elif word in FUNCTION_WORDS or word in ORDINAL_WORDS:
                token.kind = "function"
            elif (
                word in ("wait", "hold", "hang", "actually", "also")
                and all(t.kind in ("discourse", "punct") for t in tokens[:i])  # "yo, wait why …"
                and i + 1 < len(tokens)
                and (
                    tokens[i + 1].text in _WH_WORDS
                    or tokens[i + 1].text in _AUX
                    or tokens[i + 1].kind == "punct"
                    or tokens[i + 1].text == "on"
                )
            ):
                token.kind = (
                    "discourse"  # "wait why do i see two dates", "hold on, when did …": the asker's aside
                )
            elif word in _KIND_OF and i + 1 < len(tokens) and tokens[i + 1].text == "of":
                token.kind = "function"  # "what kind of paper", "kinda surprised": grammar, not a rare noun
            elif (
                word in DISCOURSE_WORDS
                and i >= 2
                and tokens[i - 1].text == "of"
                and tokens[i - 2].text in _KIND_OF
                and self.known(word)
            ):
                token.kind = "content"  # "what kind of paper do they sign": the thing asked about
            elif (
                word in _ASKING_NOUNS
                and i
                and tokens[i - 1].text in ("what", "which", "the", "a", "an", "its", "their")
                and self.known(word)
            ):
                token.kind = "content"  # "what share of the world's countries": a noun, not "pls share"
            elif (
                word in _ANYONE
                and i
                and tokens[i - 1].text in _AUX
                and not (
                    i + 1 < len(tokens) and tokens[i + 1].text in _ASKING | DISCOURSE_WORDS | {"have", "has"}
                )
            ):
                token.kind = (
                    "function"  # "was anyone in both groups": the subject asked about, not the asker's talk
                )
            elif (
                word in ("give", "gives", "show", "shows", "say", "says")
                and i
                and tokens[i - 1].kind in ("content", "name")
                and self.known(word)
            ):
                token.kind = "content"  # "why do some places give a different day": their verb, not "give me"
            elif word in DISCOURSE_WORDS:
                token.kind = "discourse"
            elif self.known(word):
                token.kind = "content"
            elif word in _NOT_THINGS:
                token.kind = "function"  # "who wrote them anyway": goes with the whole question, asks nothing
            elif word == "again" and all(t.kind == "punct" for t in tokens[i + 1 :]):
                token.kind = (
                    "discourse"  # "who founded the ilrs again?": the asker forgot, nothing is repeated
                )
            elif not re.search(r"[aeiouy]", word) and not token.raw.isupper():
                token.kind = (
                    "discourse"  # chat shorthand ("smth", "pls", "ppl"): no name is written without vowels
                )
            elif any(
                self.corpus_knows(phrase)
                for phrase in (
                    f"{tokens[i - 1].text} {word}" if i else "",
                    f"{word} {tokens[i + 1].text}" if i + 1 < len(tokens) else "",
                )
                if phrase
            ):
                token.kind = "content"  # "wu" of "Wu Weiren": a short part of a name the articles write
            else:
                token.kind = "unknown"

    @staticmethod
    def _set_aside_descriptions(tokens: list[Token], query: Query) -> None:
        """A clause that only describes a coalition ("the ILRS, the moon base project that keeps growing every
        year", "the moon base that china and russia lead") is not part of what is asked: its names are not
        subjects and its words not the question's. A clause about joining or signing is kept ("countries in the
        ILRS that also signed the Accords")."""
        for i, token in enumerate(tokens):
            if not (token.entity and token.entity[0] == "coalition" and token.core):
                continue
            if i + 1 < len(tokens) and tokens[i + 1].entity == token.entity:
                continue  # the end of the coalition's name
            j = i + 1
            while j < len(tokens) and j - i <= 6 and not token_is(tokens[j], "that", "which"):
                if not (tokens[j].text == "," or (tokens[j].text in _APPOSITION and not tokens[j].entity)):
                    break
                if j + 1 < len(tokens) and token_is(tokens[j + 1], "by"):
                    break  # "the moon base led by …"
                j += 1
            if _described_by(tokens, i, j):
                # "members of the lunar station led by china and russia": who leads it only names the coalition
                end = j + 2
                while end < len(tokens) and (
                    (tokens[end].entity or ("", ""))[0] in ("member", "country")
                    or token_is(tokens[end], "and", "both", "the", ",")
                ):
                    end += 1
                for t in tokens[j:end]:
                    t.core = False
                    query.dropped.append(t.text)
                continue
            if j >= len(tokens) or not token_is(tokens[j], "that", "which"):
                continue
            end = j + 1
            while end < len(tokens) and tokens[end].text not in ("?", ".", ",", ";", "!"):
                end += 1
            clause = tokens[j + 1 : end]
            if not clause or any(
                t.text in MEMBERSHIP_WORDS - {"in"}
                or t.text in _STRUCTURE
                or t.text
                in ("not", "no", "never", "nor", "or", "except", "besides", "other", "wasnt", "isnt")
                or (t.entity and t.entity[0] in ("coalition", "region"))
                or t.kind == "number"
                for t in clause
            ):
                continue
            for t in tokens[i + 1 : end]:
                t.core = False
                query.dropped.append(t.text)

    def _set_aside_chatter(self, tokens: list[Token], query: Query) -> None:
        """Drop what people add around a question: clauses with nothing to look up, and the greeting, thanks
        or purpose before the question starts and after its last meaningful word."""
        clauses: list[list[Token]] = [[]]
        for token in tokens:
            clauses[-1].append(token)
            if token.kind == "punct" and token.text in "?!.;:":
                clauses.append([])
        clauses = [c for c in clauses if c]

        def has_signal(clause: list[Token]) -> bool:
            return any(
                t.kind in ("name", "content", "number") or t.text in _WH_WORDS
                for t in clause
                if t.kind != "punct"
            )

        kept = [c for c in clauses if has_signal(c)]

        def standalone(clause: list[Token]) -> bool:
            words = [t for t in clause if t.kind != "punct"]
            asks = any(
                t.text in _WH_WORDS
                or (t.text in _AUX and not (i + 1 < len(words) and words[i + 1].text in ("i", "we")))
                for i, t in enumerate(words[:4])
            )  # "argentina?? or am i mixing it up": a guess and talk about the asker, not a question of its own
            named = any(t.entity and t.entity[0] in ("member", "country") for t in words)
            leans = any(t.text in ("it", "its", "they", "them", "their", "this", "that") for t in words)
            # "… ? like which part of the us govt": a clarification of the question before, not a new one
            clarifies = bool(words) and words[0].text in ("like", "ie", "meaning", "as", "specifically")
            return asks and named and not leans and not clarifies

        if len(kept) >= 2 and standalone(kept[-1]):
            kept = kept[-1:]  # "someone said X, is that right? when did X actually sign": the last question

        def asks(clause: list[Token]) -> bool:
            words = [t for t in clause if t.kind != "punct"]
            return clause[-1].text == "?" and any(t.text in _WH_WORDS or t.text in _AUX for t in words[:4])

        def adds(clause: list[Token]) -> bool:
            # a name, a number or a question of its own, or nothing of the asker's talk or words the articles never use
            return any(t.entity or t.kind == "number" or t.text in _WH_WORDS for t in clause) or not any(
                t.kind in ("discourse", "unknown") for t in clause
            )

        if len(kept) >= 2 and asks(kept[0]):
            # "which countries joined the accords between january and september 2025? making a slide rn": what
            # follows a whole question and names, dates or asks nothing is about the asker
            kept = [kept[0], *[c for c in kept[1:] if adds(c)]]
        if kept and len(kept) < len(clauses):
            for clause in clauses:
                if clause not in kept:
                    for t in clause:
                        t.core = False
        core = [t for t in tokens if t.core and t.kind != "punct"]
        if not core:
            return
        signal = [i for i, t in enumerate(core) if t.kind in ("name", "content", "number")]
        first = signal[0] if signal else len(core)
        # Before the question starts ("sorry if this is a dumb question - when did …", "quick q: …", "for my
        # essay and the philippines?"): everything before its question word, or before the last word of talk
        # about the asking, when nothing there names or asks anything.
        wh_at = [i for i in range(first) if core[i].text in _WH_WORDS]
        aux_at = [
            i
            for i in range(first)
            if core[i].text in _AUX
            and not any(t.text in _ASKING for t in core[i + 1 : i + 3])
            and not any(t.text in ("if", "whether") for t in core[max(0, i - 2) : i])
        ]  # "can someone tell me, …": asking how to ask, not the question's own "can"; "sorry if this is a
        # dumb question - …": a clause about the asking
        start = wh_at[-1] if wh_at else aux_at[-1] if aux_at else None
        if (
            len(wh_at) >= 2
            and wh_at[0] + 1 < len(core)
            and (
                core[wh_at[0] + 1].text in _AUX
                or (core[wh_at[0] + 1].text in ("and", "or") and wh_at[1] - wh_at[0] <= 4)
            )
            and not any(t.text in _ASKER or t.text in _ASKING for t in core[wh_at[0] : wh_at[-1]])
        ):
            # "when and at what event were …" asks both
            start = wh_at[
                0
            ]  # "who was in charge when senegal signed": the later "when" is a clause of the question
        if start is None:
            # "ngl i lost track — who all signed up …": what the asker says of themself before a question word,
            # naming nothing, is talk
            opening = next((i for i, t in enumerate(core) if t.kind != "discourse"), None)
            later_wh = next(
                (
                    i
                    for i, t in enumerate(core)
                    if opening is not None and i > opening + 1 and t.text in _WH_WORDS
                ),
                None,
            )
            if (
                opening is not None
                and later_wh is not None
                and (
                    core[opening].text in ("i", "im", "ive", "we")
                    or (
                        core[opening].text == "for"
                        and any(t.text in _PURPOSES for t in core[opening + 1 : opening + 4])
                    )  # "for my school project on space diplomacy i need to know who …": why the asker asks
                )
                and not any(t.kind in ("name", "number") or t.entity for t in core[opening:later_wh])
            ):
                start = later_wh
        if start is None:
            talk = [i for i in range(first) if core[i].kind == "discourse"]
            start = talk[-1] + 1 if talk else 0
            while talk and start < first and (core[start].text in _ASKER or core[start].kind == "punct"):
                start += 1  # "… tell me, artemis accords headcount": the asker is not the question
        for i, t in enumerate(core[:start]):
            # an unknown word the question goes straight on from is its subject ("latveria signed …")
            following = core[i + 1] if i + 1 < len(core) else None
            if not (
                t.kind == "unknown"
                and following is not None
                and following.kind in ("content", "name")
                and len(t.text) > 3
                and not is_english(t.text)  # "i lost track — who …": an English word is the asker's talk
            ):
                t.core = False
        # After the question: an aside about the asker ("or am i wrong", "i need it for my essay", "thx", "lol")
        # from the first word of it after the last name or figure, when no name or figure follows.
        last_named = max((i for i, t in enumerate(core) if t.kind in ("name", "number")), default=-1)
        for i in range(max(last_named + 1, start), len(core)):
            t = core[i]
            if t.text in _ASKER or t.kind == "discourse" and t.text not in _KEEP_DISCOURSE:
                if t.text in _ASKER and i > 0 and core[i - 1].text in ("where", "whose", "which", "when"):
                    break  # "the newest member where we actually know the date": a clause of the question
                begin = i - 1 if i > 0 and core[i - 1].text in ("or", "and", "but", "so", "because") else i
                if begin <= last_named:
                    begin = i
                if all(x.kind not in ("name", "number") for x in core[begin:]) and not any(
                    x.text in _WH_WORDS for x in core[begin:] if x.text not in _ASKER
                ):
                    for x in core[begin:]:
                        x.core = False
                break
        core = [t for t in core if t.core]
        last = max(
            (
                i
                for i, t in enumerate(core)
                if t.kind in ("name", "content", "number") or t.text in _TIME_WORDS or t.text in _STRUCTURE
            ),
            default=-1,
        )
        tail = core[last + 1 :]
        asked = next((i for i, t in enumerate(core[: last + 1]) if t.text in _DO_AUX), None)
        # "when did the ilrs officially kick off lol": a question with "did" and no verb after it yet goes on in
        # the tail; "who signed the accords for genovia": a word no dictionary knows after "for" is a name
        verbless = asked is not None and not any(t.kind == "content" for t in core[asked + 1 : last + 1])

        def after_preposition(i: int) -> bool:
            # "… by yuri borisov": the words of a name run back to the preposition before it
            while i > 0 and tail[i - 1].kind == "unknown":
                i -= 1
            return i > 0 and tail[i - 1].text in ("for", "in", "from", "of", "by", "with", "about")

        named = any(
            t.kind == "unknown" and len(t.text) > 3 and not is_english(t.text) and after_preposition(i)
            for i, t in enumerate(tail)
        )
        # an ordinary word right after the last one belongs to it ("the world cup"), unless the tail opens
        # like an aside ("for my essay", "thx", "lol")
        aside = (
            not verbless
            and not named
            and bool(tail)
            and not any(t.text in _WH_WORDS or t.text in _AUX for t in tail)
            and (
                (tail[0].kind in ("discourse", "function") and tail[0].text not in _DOING)
                or all(not is_english(t.text) for t in tail if t.kind == "unknown")
            )
        )  # "… signing done remotely": a verb goes on with the question, "for an essay" does not
        if (
            aside
            and any(t.kind in ("discourse", "unknown") for t in tail)
            and all(t.kind in ("discourse", "unknown", "function") for t in tail)
        ):
            for t in tail:
                t.core = False
        # discourse words anywhere else carry nothing either ("when did egypt lol join")
        for t in tokens:
            if t.kind == "discourse" and t.core and t.text not in _KEEP_DISCOURSE:
                t.core = False
        query.dropped = [t.raw for t in tokens if not t.core and t.kind != "punct"]

    def _entities(self, query: Query) -> None:
        # "at the time of the isle of man extension": a name inside the event that sets the time is not a subject
        texts = [t.text for t in query.tokens]
        inside: set[int] = set()
        for label, _, _ in query.events:
            plain = self.events.plain_of(label).split()
            for j in range(len(texts) - len(plain) + 1):
                if texts[j : j + len(plain)] == plain:
                    inside |= set(range(j, j + len(plain)))
        query.event_words = frozenset(texts[i] for i in inside)
        # "the artemis members when the ilrs got started": a coalition named in the event asks nothing when another
        # is named outside it
        named_outside = any(
            t.entity and t.entity[0] == "coalition" and i not in inside for i, t in enumerate(query.tokens)
        )
        for i, t in enumerate(query.tokens):
            if not t.entity or (
                i in inside and (t.entity[0] in ("member", "country", "region") or named_outside)
            ):
                continue
            kind, value = t.entity
            following = query.tokens[i + 1] if i + 1 < len(query.tokens) else None
            if (
                kind in ("member", "country")
                and (t.possessive or re.search(r"['’]s$", t.raw))
                and following is not None
                and following.entity is not None
                and following.entity[0] == "coalition"
                and value in self.names.owners.get(following.entity[1], frozenset({value}))
            ):
                continue  # "is vietnam in china's ilrs": whose coalition it is, not a subject ("kenya's artemis
                # status" is Kenya's)
            before = " ".join(x.text for x in query.tokens[max(0, i - 2) : i])
            if (
                kind == "region"
                and re.search(
                    r"(?:^|\b)(?:non|not from|not in|outside|outside of|excluding|except|apart from|besides|other than)$",
                    before,
                )
                or (
                    kind == "region"
                    and i >= 2
                    and query.tokens[i - 1].text in ("or", "nor", "and")
                    and query.tokens[i - 2].entity in [("region", r) for r in query.excluded_regions]
                )
            ):  # "the first non-european signatory", "which 2025 signers are not from asia", "not in europe or asia"
                if value not in query.excluded_regions:
                    query.excluded_regions.append(value)
                continue
            bucket = {
                "coalition": query.coalitions,
                "member": query.members,
                "country": query.countries,
                "region": query.regions,
            }[kind]
            if value not in bucket:
                bucket.append(value)

    def _form(self, query: Query) -> None:
        """The question's form (when, how many, yes/no …) and the kind of answer it expects."""
        tokens = query.tokens
        comma = next((i for i, t in enumerate(tokens[:10]) if t.text == ","), None)
        if comma and [t.text for t in tokens[:2]] == ["according", "to"]:
            tokens = tokens[
                comma + 1 :
            ]  # "according to nasa, did estonia sign …": the question after its source
        words = [t.text for t in tokens if t.kind != "punct"]
        joined = " ".join(words)
        first = words[0] if words else ""
        wh: Wh = "other"
        if re.search(r"\bhow (many|much)\b|\b(number|count|tally|total) of\b|\bhow big\b", joined) or (
            re.search(r"\b(headcount|tally|count|total)\b", joined)
            and not query.members
            and re.search(r"^(?:what|whats|what's)\b", joined)
        ):
            wh = (
                "how_much"
                if re.search(r"\bhow much\b", joined)
                and not re.search(r"\bhow much (countries|members)", joined)
                else "how_many"
            )
        elif (
            first in _AUX
            and not re.search(
                r"^\w+ (?:you|u|ya|someone|anyone|somebody|anybody) (?:pls |please |"
                r"quickly |just )?(?:know|tell|list|name|give|show|explain|say|share|"
                r"post|remind|break|walk|summari[sz]e|describe|find)\b",
                joined,
            )
        ) or re.search(
            r"^if\b.*?\b(?:does|do|is|are|can|will|would|must|has|have|should)\b|^whether\b|\b(?:know|tell me|"
            r"check|confirm|see|wonder|wondering|curious|unsure|not sure) (?:if|whether)\b",
            joined,
        ):
            # "was Kazakhstan already in the ILRS when Senegal joined?": the "when" is not what is asked
            wh = (
                "choice"
                if re.search(r"\bor\b", joined)
                and (query.comparison or re.search(r"\b(first|earlier|before|sooner)\b", joined))
                else "yes_no"
            )
        elif re.search(
            r"\b(?:when and (?:at |in )?(?:where|what|which) (?:event|place|city|venue|occasion|meeting)?|"
            r"where and when)\b",
            joined,
        ):
            wh = "where"  # "when and where were …": a sentence that says where usually says when too
        elif first in ("who", "whom", "whose") and re.search(
            r"^\w+ (?:was|is|were|are|had|has)\b.* when\b|"
            r"^\w+ .* when (?!(?:did|does|do|was|were|is|are|will|has|have|had|exactly)\b)\w+",
            joined,
        ):
            # "who was nasa administrator when senegal signed", "who signed for azerbaijan when it joined": the
            # "when" sets the time
            wh = "who"
        elif (
            re.search(r"\bwhen\b", joined)
            and not re.search(  # "when venezuela joined the ilrs, who was the newest signatory": who is asked
                r"^when (?!(?:did|does|do|was|were|is|are|will|has|have|had)\b)\w+ .*\b(?:who|which|how many)\b",
                joined,
            )
            and not (
                # "which cee countries were in artemis when hungary joined", "apart from the founders, which
                # countries were already signatories when poland signed": the "when" sets the time
                re.search(
                    r"\b(?:which|what|whom|whose) .*\bwhen (?!(?:did|does|do|was|were|is|are|will|has|have|had|"
                    r"exactly)\b)\w+",
                    joined,
                )
            )
        ) or re.search(
            r"\b(what|which)\b(?: (?:was|is|were|are|the|exact|specific|precise|actual|official)){0,3}"
            r" (day|date|year|month|time)\b|\bsince when\b|\bhow long ago\b",
            joined,
        ):
            wh = "when"
        elif re.search(r"\bwho(m|se)?\b", joined):
            wh = "who"
        elif re.search(r"\bwhere\b", joined) and not (
            # "the newest member where we actually know the date": a clause of the question, not its question word
            first != "where" and re.search(r"^\w+ .*\w \bwhere (?:we|they|you|it|its|their|the)\b", joined)
        ):
            wh = "where"
        elif re.search(r"\bwhy\b", joined):
            wh = "why"
        elif re.search(
            r"\b(which|list|name|names)\b|\bwhat (?:\w+ ){0,2}(countries|nations|members|organi[sz]ations|"
            r"states|agencies|institutions|partners|signatories|outfits|bodies|signers|joiners)\b|\bwhat "
            r"(country|nation)\b",
            joined,
        ):
            wh = "which"
        elif re.search(r"\bwhat\b", joined):
            wh = "what"
        elif re.search(r"\bhow\b", joined):
            wh = "how"
        elif re.search(r"\b(date|dates|day|year)\b", joined):
            wh = "when"  # "senegal ilrs join date?"
        elif re.search(r"\b(count|tally|headcount|total)\b", joined) and not query.members:
            wh = "how_many"  # "artemis signatory count on 29 september 2025?"
        elif re.search(r"\b(number|position|rank|spot)$", joined) and query.members:
            wh = "what"  # "estonia artemis number?": its place in the order
        elif re.match(
            r"(?:the )?(?:first|last|latest|newest|earliest|most recent|original|founding)\b", joined
        ):
            wh = "which"  # "first country to join ilrs that wasnt china or russia?"
        elif words and words[-1] in _AUX and first not in _AUX:
            wh = "what"  # "serbia's spot in the ilrs count was?": the question word left out
        elif any(w in _AUX for w in words[:3]):
            wh = "yes_no"
        elif (
            not query.members
            and not query.countries
            and re.search(
                r"\b(signers|signatories|members|joiners|newcomers|countries|nations|partners|states|"
                r"organi[sz]ations|institutions)\b",
                joined,
            )
        ):
            wh = (
                "which"  # "december 2024 artemis signers?", "gulf states that signed?": the members asked for
            )
        elif (
            query.tokens
            and query.tokens[-1].text == "?"
            and not re.search(r"\b(date|year|when|list)\b", joined)
        ):
            wh = "yes_no"  # "bolivia in the ilrs?": an "is" left out
        elif (
            re.search(
                r"\b(in|part of|member of|a member|signatory of|inside) (the )?$",
                joined.split(" ilrs")[0].split(" artemis")[0] + " ",
            )
            and query.members
        ):
            wh = "yes_no"
        query.wh = wh
        query.expects = self._expects(query, words, joined)
        if query.expects in ("place", "person", "agent"):
            # "where did they sign it, bangkok or washington": the places offered are answers, not the question's
            plain = [t for t in query.tokens if t.kind != "punct"]
            for i in range(1, len(plain) - 1):
                pair = (plain[i - 1], plain[i + 1])
                if plain[i].text == "or" and all(
                    t.kind in ("content", "unknown") and not t.entity for t in pair
                ):
                    query.offered = [t.text for t in pair]

    @staticmethod
    def _expects(query: Query, words: list[str], joined: str) -> Expect:
        wh = query.wh
        if wh == "when":
            return "time" if re.search(r"\bwhat time\b|\bat what time\b|\bwhich hour\b", joined) else "date"
        if wh == "how_much":
            return "money" if set(words) & MONEY_WORDS else "number"
        if re.search(r"\bhow old (?:is|was|are|were)\b|\bwhat age\b", joined):
            return "age"  # "how old is dmitry bakanov": a sentence that gives his age, not any figure
        if wh == "how_many":
            return "money" if set(words) & MONEY_WORDS and not set(words) & MEMBER_NOUNS else "number"
        if wh == "where":
            return "place"
        if wh == "why" or re.search(
            r"^what (?:made|makes|make|led|leads|caused|causes|prompted|pushed)\b", joined
        ):
            return "reason"  # "what made brazil's signing a first": why, asked another way
        if wh == "yes_no":
            return "yes_no"
        if wh == "choice":
            return "choice"
        if wh in ("who", "what", "which") and re.search(
            r"\bnames? of (?:the |a |an |their |its )?(?:\w+ ){0,2}?(?:" + "|".join(HUMAN_WORDS) + r")\b",
            joined,
        ):
            return "person"  # "what was the name of the thai minister who signed"
        if wh == "who":
            if {w.lower() for w in query.dropped} & _A_PERSON:
                # "who signed for norway, like the actual person": the aside says what is asked
                return "person"
            if re.search(
                r"^who (?:\w+ )?(?:signed|signs|sign) (?:the|that|this) (?:[\w-]+ ){0,5}?(?:memorandum|memo|mou|"
                r"agreement|deal|document|statement)\b",
                joined,
            ):
                # "who signed the china-russia moon base memo": the people or agencies who signed one document,
                # not the coalition's members
                return "person" if set(words) & PERSON_WORDS or query.has("names", "name") else "agent"
            signed_for = re.search(
                r"\bwho (?:\w+ )?(signed|signs|sign)\b.* (?:on behalf of|for|representing) (.*)", joined
            )
            if signed_for:
                # "who signed the agreement on behalf of the Egyptian Space Agency": a person; "who signed for
                # azerbaijan": its agency or a person
                # "who signs the ilrs agreements for china": whoever signs them as a rule, a body
                return (
                    "person"
                    if set(words) & PERSON_WORDS
                    or (
                        signed_for.group(1) == "signed"
                        and set(signed_for.group(2).split()) & ORGANISATION_NOUNS
                    )
                    else "agent"
                )
            if re.search(
                r"^who (?:(?:at|from|of|in) (?:the )?[\w-]+ )?(?:(?:first|actually|officially|publicly|really) )?"
                r"(?:said|says|gave|gives|announced|"
                r"announces|reported|reports|stated|states|told|claimed|claims|read|wrote|described|called|"
                r"counted|named|confirmed|revealed|presented|put out|mentioned)\b",
                joined,
            ):
                # "who gave the figure of 17 ilrs members": a person or a body, not a member; "who at roscosmos …":
                # a person there
                return "person" if re.search(r"^who (?:at|from|in) ", joined) else "agent"
            if re.search(
                r"^\w+ (?:\w+ )?(?:was|is|were|came|signed|joined|went) (?:next|first|last|after|before|"
                r"earlier|later)\b|\bwho (?:was|is|were|came|signed|joined|went) (?:next|first|last)\b",
                joined,
            ):
                return "members"  # "after bulgaria signed artemis, who was next"
            if re.search(
                r"^who (?:is|was|were|are) (?:the )?(?:\w+ )?(?:president|minister|administrator|director|head|chief|"
                r"leader|ambassador|secretary|premier|spokesperson|spokesman)\b",
                joined,
            ):
                return "person"  # "who was president of the canadian space agency at the time"
            led = re.search(
                r"^who (?:\w+ )?(?:led|leads|lead|heads|headed|head|ran|runs|run|leading|heading|running) "
                r"(?:the )?(\w+)\b",
                joined,
            )
            if led and any(
                t.text == led.group(1) and t.kind == "content" and not t.entity and not is_english(t.text)
                for t in query.tokens
            ):
                return "person"  # "who led nasa when the accords were launched": a body's head, not the body
            if (set(words) & PERSON_WORDS or query.members) and not set(words) & MEMBER_NOUNS:
                return "agent"
            if set(words) & (LEAD_WORDS | FOUND_WORDS):
                return "agent"  # "who leads the ILRS", "who wrote the Accords"
            return (
                "members" if query.coalitions or set(words) & (MEMBER_NOUNS | MEMBERSHIP_WORDS) else "agent"
            )
        asked = re.search(
            r"\b(?:which|what) ((?:\w+ ?){1,4})",
            re.sub(
                r"\b(?:official|officials)(?= (?:name|names|title|text|document|version|site|website|figure|count|"
                r"list|date|number|total|tally|record|statement|position|status|language|account|stance)\b) ",
                "",
                joined,
            ),  # "what is the full official name of the accords": "official" says which name, not who
        )
        nouns = set(asked.group(1).split()) if asked else set()
        head = asked.group(1).split()[:2] if asked else []
        if head and (
            head[0] in ORGANISATION_NOUNS
            or (len(head) == 2 and head[1] in ORGANISATION_NOUNS and head[0] not in FUNCTION_WORDS)
        ):
            return "agent"  # "which company is building …", "which international bodies sent people": organisations
        if nouns & OUTLET_WORDS and re.search(
            r"\b(?:report|reported|reports|wrote|writes|write|said|says|covered|covers|published|ran|called)\b",
            joined,
        ):
            return "outlet"  # "which news site reported czechia as the 24th": the article's outlet
        if nouns & (PLACE_WORDS - {"country"}) or nouns & EVENT_WORDS:
            return "place"  # "in which city", "at what event"
        if nouns & {"meeting", "event", "occasion", "summit", "conference", "forum", "ceremony", "gathering"}:
            return "place"  # "at what meeting", "which event": where it happened
        if wh == "which":
            if nouns & HUMAN_WORDS:
                return "person"  # "which NASA official said …", "which minister signed"
            if nouns & PERSON_WORDS and query.members:
                return "agent"  # "which agency signed for Pakistan": an agent, not a member
            return "members" if set(words) & MEMBER_NOUNS or query.coalitions else "description"
        if wh in ("what", "other") and _SAYING.search(joined):
            # "what did the nicaraguan delegation say": what someone said, not what happened
            return "statement"
        if wh in ("what", "how", "other"):
            if set(words) & MONEY_WORDS:
                return "money"
            if re.search(
                r"^how (?:(?:did|do|does|was|were|is|are|will|would) )?.*\b(?:sign|signs|signed|join|joins|joined|"
                r"happen|happened|held|done|accede|acceded|enter|entered|become|became|take part|took part)\b",
                joined,
            ) and not re.search(r"^how (?:many|much|long|far|often|old)\b", joined):
                return (
                    "manner"  # "how did venezuela sign the ilrs deal": in person, by video, by which document
                )
            if re.search(
                r"\bhow (?:far|big|large|heavy|fast|tall|high|deep|wide|old|massive|long(?! ago))\b", joined
            ):
                return (
                    "number"  # "how far is the moon": a measure, so a sentence without a figure cannot answer
                )
            if (
                re.search(r"\bwhat (?:is|are|were|was) (?:the )?names? of\b", joined)
                and set(words) & PERSON_WORDS
            ):
                return "person"  # "what are the names of the astronauts"
            if re.search(r"\bwhat (city|place|location|venue)\b", joined):
                return "place"
        return "description"

    def _features(self, query: Query) -> None:
        words = [t.text for t in query.tokens if t.kind != "punct"]
        present = set(words)
        joined = f" {' '.join(words)} "
        query.membership = bool(present & MEMBERSHIP_WORDS) or bool(
            re.search(r" (is|are|was|were|in|part of|be|become) [a-z ]{0,40}(in|of) the ", joined)
            and query.coalitions
        )
        # "did nigeria and rwanda both sign the accords": "both" is the two members, not the two coalitions
        both_at = next((i for i, t in enumerate(query.tokens) if t.text == "both"), 0)
        named_both = (
            sum(bool(t.entity and t.entity[0] in ("member", "country")) for t in query.tokens[:both_at]) >= 2
            and len(query.coalitions) <= 1
            and not re.search(
                r" both (?:coalitions|groups|blocs|programmes|programs|alliances|of them\b|sides)", joined
            )
        )
        query.asks_both = (
            bool(
                re.search(
                    r" (both|overlap|overlapping|two coalitions|either|in common|"
                    r"dual|the two (?:coalitions|groups|blocs|programmes|programs|alliances|initiatives|projects|clubs|"
                    r"sides|camps))",
                    re.sub(r" both ", " ", joined) if named_both else joined,
                )
            )
            or (len(query.coalitions) == 2 and bool(re.search(r" as well as | and also | plus ", joined)))
            # "which 2023 artemis signatories are also ilrs members": the members of one that are in the other too
            or (
                len(query.coalitions) == 2
                and not query.members
                and bool(re.search(r" also (?:\w+ ){0,3}(?:ilrs|accords?|artemis|station|base)\b", joined))
            )
            or (
                len(query.coalitions) == 2
                and bool(re.search(r" and ", joined))
                and not query.members
                and bool(present & (MEMBER_NOUNS | MEMBERSHIP_WORDS))
                and not re.search(r" (difference|differ|compare|versus|vs) ", joined)
            )
            or (
                len(query.coalitions) == 2
                and bool(query.members)
                and query.wh == "yes_no"
                and bool(re.search(r" (?:ilrs|accords?|artemis|station|base) and ", joined))
            )
        )
        if not query.coalitions and _BOTH_COALITIONS.search(joined):
            # "which of the two coalitions was founded earlier": both of them, named by what they are
            query.coalitions = ["artemis_accords", "ilrs"]
        query.negated = bool(
            re.search(
                r" (not|never|n't|haven|hasn|didn|doesn|aren|isn|yet to|outside|except|"
                r"excluding|without) ",
                joined,
            )
        )
        next_after = bool(
            re.search(
                r" next (?:\w+ ){0,5}(?:after|since|following) | (?:after|following) (?:\w+ ){1,6}next |"
                r"^ (?:which|what|who) (?:\w+ ){0,3}(?:followed|came after|came right after) ",
                joined,
            )
        )  # "which baltic country followed lithuania": the first after it
        strong_future = present & {"will", "going", "gonna", "upcoming", "future", "soon", "forthcoming"} | (
            present & {"next"} if not next_after else set()
        )
        planning = present & (FUTURE_WORDS - {"will", "going", "gonna", "next", "upcoming", "future", "soon"})
        past = present & {"was", "were", "did", "had", "been"}
        if (
            past
            and not present & {"will", "going", "gonna"}
            and re.search(r" (?:was|were) (?:\w+ )?next ", joined)
        ):
            strong_future = set()  # "after bulgaria signed, who was next": the next one then
        progressive = bool(re.search(r"^ (?:when|where) (?:is|are) .*\b\w+ing $", joined))
        query.future = (
            bool(strong_future)
            or progressive
            or (bool(planning) and not past)
            or any(y > today_year(self.today) for y in query.time.years)
        )
        # "since the start of 2025", "at the beginning of 2024": a date, not a founding
        # "apart from the eight founders, which countries …": the founders are left out, not asked for
        unfounded = _BESIDES_FOUNDERS.sub(" ", joined)
        undated = set(
            re.sub(r" (?:start|beginning|end|close) of (?:the )?(?:year )?", " ", unfounded).split()
        )
        free = {t.text for t in query.tokens if not t.entity}  # "china-led" names the ILRS; it asks nothing
        # "who signed the memorandum that founded the ilrs": the founding says which document, not what is asked
        describing = {
            w
            for pair in re.findall(
                r" (?:memorandum|memo|mou|agreement|deal|document|statement|declaration|treaty) (?:that|which) "
                r"(\w+) (\w+) ",
                joined,
            )
            for w in pair
        }
        query.founding = (
            bool(
                undated & FOUND_WORDS & free - query.event_words - describing
            )  # not "when the ilrs got started"
            or bool(
                re.search(r" (?:on|from|since) (?:the )?(?:very )?(?:day|date) (?:one|1|zero|0) ", joined)
            )
            or bool(
                re.search(
                    r" whose idea | (?:had|came up with|pushed|floated|pitched|proposed|suggested) (?:the )?"
                    r"(?:\w+ )?idea ",
                    joined,
                )
            )  # "which chinese bodies first pushed the ilrs idea"
        )  # "which countries signed on day one", "in the ilrs from the beginning", "whose idea was the ilrs"
        query.leading = bool(
            present & LEAD_WORDS & free - query.event_words
        )  # not "the africa leaders summit"
        not_countries = re.search(
            r" (as opposed to|rather than|instead of|not|non|other than|excluding|apart from|not counting|"
            r"not including|except|except for|besides|leaving out|minus|without) "
            r"(the )?(member |signatory |partner )?(countries|nations|states|governments|country|nation|state|"
            r"government) ",
            joined,
        )
        if present & ORGANISATION_NOUNS and (not present & COUNTRY_NOUNS or not_countries):
            query.member_type = "organisation"
        elif present & COUNTRY_NOUNS:
            query.member_type = "country"
        # "which country was the newest signatory when the state department counted 21 signatories": the question's
        # own clause, not the one that sets its time
        main = joined if joined.startswith(" when ") else joined.split(" when ", 1)[0] + " "
        query.plural = bool(
            re.search(
                r" (countries|nations|states|members|signatories|partners|organi[sz]ations|"
                r"institutions|institutes|companies|bodies|agencies|ones|participants|governments|were|are|have) ",
                main,
            )
        ) and not (
            re.search(r" (?:which|who|what) (?:one )?of ", joined)
            and not re.search(r" (?:were|are|have|two|three|four|five|both|ones) ", joined)
        )  # "which of them signed first": one of a set named before
        # ordinals: "the 40th signatory", "tenth", "what number signatory was hungary"
        for t in query.tokens:
            number = re.fullmatch(r"(\d+)(st|nd|rd|th)", t.text)
            if number:
                query.ordinal = int(number.group(1))
            elif t.text in ORDINAL_WORDS and t.text != "first" and t.text != "second":
                query.ordinal = ORDINAL_WORDS[t.text]
        if query.ordinal is None and re.search(
            r" (second|third) (?:[a-z]+ ){0,3}?(country|countries|nation|state|member|signatory|signer|partner|to) ",
            joined,  # "the second latin american member"
        ):
            query.ordinal = 2 if " second " in joined else 3
        numbered = re.search(r" (?:no|number|num|nr|#) ?(\d{1,3}) ", joined)
        if (
            query.ordinal is None
            and numbered
            and (set(words) & (MEMBER_NOUNS | MEMBERSHIP_WORDS) or query.coalitions)
        ):
            query.ordinal = int(numbered.group(1))  # "signatory no. 29"
        query.asks_ordinal = bool(
            re.search(
                r" (what|which) (number|numbered|place|position|spot|rank|order)\b| how manyth |"
                r" (?:position|place|spot|rank) in the (?:order|list|sequence|line)|"
                r" (?:where|what position) (?:did|does|do|is|was) \w+(?: \w+)? (?:land|come|rank|place|fall|"
                r"sit|end up|stand)|"
                r" where did (?:that|this|it) (?:put|place|leave|land|rank) \w+(?: \w+)? in the |"
                r" (number|position|place|spot|rank) (was|is|did|were)\b|(what|which) .{0,20}th "
                r"(signatory|member|country)| (?:spot|position|rank|place|number) (?:in|on) "
                r"the (?:\w+ )?(?:count|list|order|line|queue|tally|sequence) (?:was|is|were)? ?$|"
                r"(what|which) .{0,20}th "
                r"(signatory|member|country)",
                joined,
            )
            or (
                query.wh == "what"
                and not re.search(r" (what|which|how) ", joined)
                and re.search(r" (number|position|rank|spot|place in line) $", joined)
            )
        ) and bool(query.members)
        if query.asks_ordinal and re.search(r" \d+(?:st|nd|rd|th) or (?:the )?\d+(?:st|nd|rd|th) ", joined):
            query.ordinal = (
                None  # "nicaragua was the what-th? 10th or 11th?": the guesses offered, not a rank asked
            )
        in_date = re.sub(r" (first|second|1st|2nd) (half|quarter) ", " ", unfounded)
        if set(in_date.split()) & FIRST_WORDS and not query.ordinal:
            query.superlative = "first"
        latest_words = set(
            re.sub(
                r" last (?:year|month|week|decade|summer|winter|spring|autumn|fall|quarter|"
                r"january|february|march|april|may|june|july|august|september|october|november|"
                r"december) ",
                " ",
                joined,
            ).split()
        )
        if latest_words & LATEST_WORDS or re.search(r" most recent(ly)? | just (joined|signed) ", joined):
            query.superlative = "latest"
        if next_after:
            query.superlative, query.limit = "first", 1  # "who signed next after Denmark": the first after it
        count = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
        limit = re.search(rf" (?:first|last|latest|newest|earliest) {count} ", joined) or (
            # "the 3 most recent signatories", "the five newest members"
            query.superlative
            and re.search(
                rf" (?:the|last|past) {count} (?:most recent|newest|latest|earliest|first|last) ", joined
            )
        )
        if limit:
            query.limit = int(limit.group(1)) if limit.group(1).isdigit() else NUMBER_WORDS[limit.group(1)]
        if (
            not query.coalitions
            and (query.members or query.countries)
            and re.search(
                r" (?:which|what) (?:coalition|coalitions|bloc|alliance|club|group|side|one|did) ", joined
            )
            and re.search(r" (?:first|earlier|sooner|before|later|last) ", joined)
        ):
            query.coalitions = [
                "ilrs",
                "artemis_accords",
            ]  # "which coalition did senegal join first": both asked
        if not query.coalitions and query.events:
            # "how many signatories at the time of the sydney meeting": the event's coalition is asked about
            query.coalitions = list(
                dict.fromkeys(c for label, _, _ in query.events if (c := self.event_coalitions.get(label)))
            )
        query.comparison = (
            bool(re.search(r" (before|after|earlier|later|sooner|first|last|prior to|already) ", joined))
            and not re.search(r" (?:among|one of) the (?:very )?(?:first|earliest|last|latest) ", joined)
            and (
                len(query.members) + len(query.countries) >= 2
                or (len(query.coalitions) >= 2 and bool(query.members))
                or bool(re.search(r" which (came|was|one|happened) first ", joined))
                # "was the ilrs started before or after the artemis accords": the two coalitions' beginnings
                or (len(query.coalitions) >= 2 and query.founding and not query.members + query.countries)
            )
        )
        asked = re.search(r"(?:,| but| and| so) (?:is|are|was|were|did|does|do|has|have|had) .*$", joined)
        if asked and len(query.coalitions) == 2:
            # "brazil signed artemis, but did it ever join the ilrs?": the question is about the second clause's coalition
            later = [c for c in query.coalitions if any(w in asked.group(0) for w in _COALITION_WORDS[c])]
            if len(later) == 1:
                query.coalitions = later + [c for c in query.coalitions if c not in later]
        query.anchors = self._anchors(query, frozenset().union(*self.names.owners.values()))
        if unfounded != joined:
            for coalition in query.coalitions or list(self.names.owners):
                query.anchors += [
                    ("except", f)
                    for f in sorted(self.names.owners.get(coalition, ()))
                    if ("except", f) not in query.anchors
                ]
        if len(query.coalitions) == 2 and len(set(query.anchor_coalitions.values())) == 1:
            # "how many artemis signatories on the day egypt joined the ilrs": the Accords are asked about
            held = next(iter(query.anchor_coalitions.values()))
            query.coalitions = [c for c in query.coalitions if c != held] + [held]
        query.adjacent = bool(
            re.search(
                r" (right|immediately|just|directly|straight) (after|before|following) |"
                r" next (after|since|following) | the one (before|after) ",
                joined,
            )
        )
        if query.ordinal:
            after = re.search(
                r"\b(?:\d+(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r")\b((?: \w+){1,3})", joined
            )
            if after:
                nouns = [
                    w
                    for w in after.group(1).split()
                    if w not in FUNCTION_WORDS and w not in ("artemis", "accords", "ilrs")
                ]
                query.ordinal_noun = nouns[0] if nouns else None
        if query.wh == "yes_no" and query.comparison and re.search(r" or ", joined):
            query.wh = "choice"
            query.expects = "choice"
        if query.time.now:
            # "these days", "at the moment": the time of asking, not words a sentence must carry
            words = [t.text for t in query.tokens]
            for phrase in (p.split() for p in NOW_WORDS if " " in p):
                for i in range(len(words) - len(phrase) + 1):
                    if words[i : i + len(phrase)] == phrase:
                        for t in query.tokens[i : i + len(phrase)]:
                            t.kind = "function" if t.kind == "content" else t.kind
        query.content_terms = list(dict.fromkeys(t.text for t in query.tokens if t.kind == "content"))
        query.numbers = [
            t.text for t in query.tokens if t.kind == "number" and t.text.isdigit() and len(t.text) < 4
        ]
        said = re.search(
            r" according to (?:the )?(\w+)| (\w+) (?:say|says|said|count|counts|counted|gave|gives|lists|listed) ",
            joined,
        )
        if said:
            word = said.group(1) or said.group(2)
            token = next((t for t in query.tokens if t.text == word), None)
            named = token is not None and (
                token.raw[:1].isupper() or token.entity is not None or not is_english(word, minimum=1_000_000)
            )
            query.source = (
                word if named and word not in FUNCTION_WORDS and word not in DISCOURSE_WORDS else None
            )
        query.unknown_terms = list(
            dict.fromkeys(
                t.text
                for t in query.tokens
                # "which outfits signed on": a word for members the articles never use still asks for members
                if t.kind == "unknown" and t.text not in ORGANISATION_NOUNS | MEMBER_NOUNS
            )
        )
        query.unknown_names = self._unknown_names(query)
        query.focus = self._focus(query, words)
        after = re.search(r"\bhow many ((?:\w+ ?){1,3})", " ".join(words))
        nouns = [
            w
            for w in (after.group(1).split() if after else [])
            if w not in FUNCTION_WORDS and w not in ("total", "overall", "altogether", "exactly", "currently")
        ]
        query.counted = nouns[0] if nouns else None

    @staticmethod
    def _anchors(query: Query, owners: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """Members that set a time rather than being asked about: 'the first country after China and Russia',
        'how many were in the ILRS once Thailand joined'."""
        out: list[tuple[str, str]] = []
        tokens = [t for t in query.tokens if t.kind != "punct"]
        for i, t in enumerate(tokens):
            if not t.entity or t.entity[0] != "member":
                continue
            j = i - 1
            while j >= 0 and (tokens[j].text in ("and", "or", "the", "nor") or _is_member(tokens[j])):
                j -= 1
            word = tokens[j].text if j >= 0 else ""
            two = f"{tokens[j - 1].text} {word}" if j >= 1 else word
            if word in ("counting", "including", "incl", "plus") and (
                query.ordinal or query.superlative or query.wh == "how_many"
            ):
                out.append(("counting", t.entity[1]))  # "the 6th (counting China and Russia)": how to count
                continue
            if (
                word == "as"
                and j >= 2
                and tokens[j - 1].text in ("day", "week", "month", "year")
                and tokens[j - 2].text == "same"
            ):
                out.append((f"same {tokens[j - 1].text}", t.entity[1]))  # "in the same month as india"
                continue
            if _joined_together(tokens, j) and query.time.empty and t.entity[1] not in owners:
                # not "signed with china", the side signed with, nor a member beside a time the question sets
                out.append(("same day", t.entity[1]))  # "who signed with rwanda", "joined alongside djibouti"
                continue
            if j == 1 and two in ("was not", "is not", "were not", "are not"):
                pass  # "wasn't germany one of the original 8": a question asked in the negative, not a member left out
            elif word in (
                "besides",
                "except",
                "excluding",
                "leaving",
                "minus",
                "without",
                "ignoring",
            ) or two in (
                "apart from",
                "other than",
                "aside from",
                "not counting",
                "except for",
                "was not",
                "is not",
                "were not",
                "are not",
                "not including",
            ):
                out.append(("except", t.entity[1]))  # "the first country apart from China and Russia"
                continue
            if word == "between" and j > 0 and not query.comparison:
                out.append(
                    ("between", t.entity[1])
                )  # "between egypt and thailand", "between senegal and <event>"
                continue
            if (
                word
                in ("after", "since", "following", "followed", "before", "preceded", "until", "till", "once")
                or (word == "time" and j >= 2 and tokens[j - 1].text == "the" and tokens[j - 2].text == "by")
                or (
                    word in ("day", "point", "time", "moment", "date")
                    and j >= 2
                    and tokens[j - 1].text == "the"
                    and tokens[j - 2].text in ("on", "at", "by", "of")
                )  # "on the day egypt joined the ilrs", "at the point thailand signed"
                or (word == "when" and query.wh in ("how_many", "which", "who", "what"))
            ):
                out.append(
                    (
                        "before"
                        if word in ("before", "preceded", "until", "till")
                        else "after"
                        if word in ("after", "since", "following", "followed")
                        else "at",
                        t.entity[1],
                    )
                )
                own = next(
                    (u.entity[1] for u in tokens[i + 1 : i + 6] if u.entity and u.entity[0] == "coalition"),
                    None,
                )  # "… the day Egypt joined the ILRS": the coalition in the anchor's own clause
                if own is not None:
                    query.anchor_coalitions[t.entity[1]] = own
        members = [t.entity[1] for t in tokens if t.entity and t.entity[0] == "member"]
        lowered = query.text.lower()
        unnamed = re.search(
            r"\b(?:same (day|week|month|year) as|together w(?:ith)?|along with|alongside|with) (?:which|what)\b",
            lowered,
        )
        unsaid = re.search(r"\b(?:on|in) the same (day|week|month|year)\b(?! as)", lowered)
        if (unnamed or unsaid) and len(set(members)) == 1 and not any(w.startswith("same ") for w, _ in out):
            # "peru signed on the same day as which country", "slovakia signed together w which country", "apart
            # from nicaragua, which joined on the same day": the others of that member's day
            unit = (unnamed.group(1) if unnamed else None) or (unsaid.group(1) if unsaid else None) or "day"
            out.append((f"same {unit}", members[0]))
        return list(dict.fromkeys(out))

    def _unknown_names(self, query: Query) -> list[str]:
        """Words that name something nobody here knows: typed with a capital mid-sentence, an all-capitals
        acronym, or a word that is neither English nor the corpus's and could not be corrected; also a mission
        such as "Artemis III" when the articles never name it."""
        out: list[str] = []
        words = [t.text for t in query.tokens]
        for match in _NAMED_THING.finditer(" ".join(words)):
            parts = match.group(0).split()
            grammar = [i for i, w in enumerate(parts) if w in FUNCTION_WORDS or w in _WH_WORDS or w in _AUX]
            if grammar:  # "where is the company …", "signed by what agency": the question's words, not a name
                parts = parts[grammar[-1] + 1 :]
            if len(parts) < 2:
                continue
            typed = {meant: raw.lower() for raw, meant in query.corrections.items()}
            phrase = " ".join(typed.get(w, w) for w in parts)  # as typed: "helvanian space agency"
            if not any(t.entity for t in query.tokens if t.text in parts) and not self.corpus_knows(
                " ".join(parts)
            ):
                out.append(phrase)  # "the moon village association": an organisation nobody here writes about
        for i, word in enumerate(words[:-1]):
            if (
                "'" in word
                and i + 1 < len(words)
                and words[i + 1].isdigit()
                and self.corpus_knows(word)
                and not self.corpus_knows(f"{word} {words[i + 1]}")
            ):
                out.append(f"{word}-{words[i + 1]}")  # "chang'e-9": a mission the articles never mention
        for i, word in enumerate(words[:-1]):
            numeral = words[i + 1]
            if (
                word == "artemis"
                and re.fullmatch(r"i{1,3}|iv|v|\d", numeral)
                and not self.corpus_knows(f"{word} {numeral}")
            ):
                out.append(f"Artemis {numeral.upper()}")
        for i, t in enumerate(query.tokens):
            if t.kind != "unknown" or len(t.text) < 3:
                continue
            capital = t.raw[:1].isupper() and i > 0 and query.tokens[i - 1].kind != "punct"
            acronym = t.raw.isupper() and len(t.raw) >= 2
            if capital or acronym or not is_english(t.text, minimum=10_000):
                out.append(t.raw if (capital or acronym) else t.text)
        return out

    @staticmethod
    def _focus(query: Query, words: list[str]) -> str | None:
        """The thing a wh-question asks about: 'what is the budget of …' -> budget; 'how much X' -> X."""
        tokens = [t for t in query.tokens if t.kind != "punct"]
        if (
            tokens
            and tokens[0].text == "who"
            and len(tokens) > 2
            and tokens[1].kind in ("content", "unknown")
            and tokens[1].text not in _AUX
        ):
            # "who designed the logo": the thing the verb acts on
            rest = [t for t in tokens[2:] if t.kind in ("content", "unknown") and not t.entity]
            if (
                rest
                and rest[0].kind == "unknown"
                and rest[0].text not in GENERIC_FOCUS
                and _nounlike(rest[0].text)
            ):
                return rest[0].text
        for i, t in enumerate(tokens):
            if (
                t.text in ("what", "which")
                or (t.text in ("much", "many") and i and tokens[i - 1].text == "how")
                or (
                    t.text == "who"
                    and i + 1 < len(tokens)
                    and tokens[i + 1].text in ("is", "was", "are", "were")
                )
            ):
                j = i + 1
                while j < len(tokens) and tokens[j].text in _FOCUS_SKIP:
                    j += 1
                if j < len(tokens) and tokens[j].kind in ("content", "unknown"):
                    # the phrase's head, its last word, when an auxiliary follows the phrase: "what older space
                    # treaty are the accords built on" -> treaty
                    k = j
                    while (
                        k + 1 < len(tokens)
                        and tokens[k + 1].kind in ("content", "unknown")
                        and not tokens[k + 1].entity
                    ):
                        k += 1
                    if (
                        k > j
                        and k + 1 < len(tokens)
                        and tokens[k + 1].text in _AUX
                        and tokens[j].text not in MEMBER_NOUNS
                    ):
                        j = k
                    elif (
                        tokens[j].kind == "unknown"
                        and _ADJECTIVE_END.search(tokens[j].text)
                        and j + 1 < len(tokens)
                        and tokens[j + 1].kind == "content"
                        and not tokens[j + 1].entity
                    ):
                        j += (
                            1  # "what quantitative goal …": a word the articles never use, before one they do
                        )
                    word = tokens[j].text
                    if (
                        word not in GENERIC_FOCUS
                        and word not in MEMBER_NOUNS
                        and word not in DISCOURSE_WORDS
                        and _nounlike(word)
                    ):
                        return word
                return None
        return None

    def _search_text(self, query: Query) -> str:
        """The question's own words for retrieval, with a name written as the articles write it where the person
        wrote it otherwise ('the chinese moon base' -> also 'ILRS', 'egpyt' -> 'Egypt', 'Thai' -> 'Thailand')."""
        parts: list[str] = []
        seen: set[tuple[str, str]] = set()
        # "what is the ilrs": a question that names nothing but the station finds it by the full name the
        # articles introduce it with; otherwise the short name, which every ILRS article uses
        ilrs = "ILRS" if query.content_terms else "International Lunar Research Station (ILRS)"
        for t in query.tokens:
            if t.kind in ("punct", "discourse"):
                continue
            # "the chinese moon base": searched by the name the articles use, not "base" (a scientific base …)
            if t.text not in DESCRIBING_WORDS or not described_coalition(query, t):
                parts.append(
                    t.raw if t.entity and t.raw not in query.corrections else t.text
                )  # "artemsi": as meant
            if t.entity and t.entity not in seen:
                seen.add(t.entity)
                kind, value = t.entity
                canonical = (
                    {"ilrs": ilrs, "artemis_accords": "Artemis Accords"}.get(value, value)
                    if kind in ("coalition", "member")
                    else ""
                )
                phrase = " ".join(x.raw for x in query.tokens if x.entity == t.entity).lower()
                if canonical and not re.search(
                    rf"\b{re.escape(canonical.lower())}\b", phrase
                ):  # "venezuelan"
                    parts.append(canonical)
        if query.ordinal:
            # "the 7th principle": the articles may write it either way ("seventh")
            word = next((w for w, n in ORDINAL_WORDS.items() if n == query.ordinal), None)
            for form in (_nth(query.ordinal), word):
                if form and form not in " ".join(parts).lower():
                    parts.append(form)
        return " ".join(parts)


_WH_WORDS = frozenset("when what which who whom whose where why how whats".split())
# Words of a coalition's own names: a phrase without any of them describes it ("the chinese moon base")
COALITION_NAME_WORDS = frozenset("ilrs international research artemis accords accord".split())


def described_coalition(query: Query, token: Token) -> bool:
    """The token is part of a coalition said by what it is, in words none of which are its names ("the chinese moon
    base", "that nasa moon pact")."""
    if token.entity is None or token.entity[0] != "coalition":
        return False
    said = [x.text for x in query.tokens if x.entity == token.entity]
    return len(said) >= 2 and not COALITION_NAME_WORDS.intersection(said)


_COALITION_WORDS = {"ilrs": ("ilrs", "lunar", "moon", "station"), "artemis_accords": ("artemis", "accord")}
# A phrase naming an organisation: up to three words before a word that says what kind of body it is.
_NAMED_THING = re.compile(
    r"\b(?:[a-z]+ ){1,3}(?:association|society|foundation|university|company|corporation|"
    r"consortium|federation|observatory|academy|agency|institute)\b"
)
_TAG_QUESTION = re.compile(
    r"(?:,|\b)\s*(?:is that|is this|isn'?t it|is it|am i|was that|was this|was it|wasn'?t it|"
    r"(?:didn'?t|did not|doesn'?t|hasn'?t|haven'?t|hadn'?t|weren'?t|aren'?t) (?:it|they|she|he)) ?"
    r"(?:right|true|correct|so|wrong|legit|accurate|real|valid)?\s*\??\s*$"
    r"|(?:,|\s)(?:right|true|correct)\s*\??\s*$"
    r"|(?:[,.]|\b)\s*(?:true|right|correct|real|facts?|cap) or (?:nah|not|false|no|wrong|cap|nope)\s*\??\s*$",
    re.IGNORECASE,
)
# Words between a coalition's name and a clause that describes it ("the ILRS, the moon base project that …").
_APPOSITION = frozenset(
    "the a an moon lunar base station project program programme initiative coalition alliance thing one club "
    "group pact agreement big new whole chinese russian american led china-led us-led nasa-led international "
    "research".split()
)


def token_is(token: Token, *words: str) -> bool:
    return token.text in words and not token.entity


_DESCRIBING = frozenset(
    "led run backed headed spearheaded driven championed founded started launched".split()
)
# Words after which a coalition is named as a thing to join or belong to, not as what the question asks about
_NAMED_AS_PLACE = frozenset(
    "of in into to from with joined join joins joining signed sign signs signing".split()
)


def _described_by(tokens: list[Token], i: int, j: int) -> bool:
    """The coalition at i is followed at j by a participle that only says who is behind it ("the lunar research
    station led by china and russia") and is named as something joined or belonged to ("members of …", "joined
    …"): the participle describes it. "is the ilrs led by china" asks it, and is not set aside."""
    if not (
        j + 2 < len(tokens)
        and token_is(tokens[j], *_DESCRIBING)
        and token_is(tokens[j + 1], "by")
        and (tokens[j + 2].entity or ("", ""))[0] in ("member", "country")
    ):
        return False
    k = i - 1
    while k >= 0 and tokens[k].entity == tokens[i].entity:
        k -= 1  # the start of the coalition's name
    while k >= 0 and tokens[k].text in ("the", "a", "this", "that"):
        k -= 1
    return k >= 0 and token_is(tokens[k], *_NAMED_AS_PLACE)


# Who acted for one party of an agreement, said with "side" ("on the venezuelan side", "from their side")
_SIDE = re.compile(
    r"(?<!counterpart )\b(?:on|from|for) (?:the |their |its )?(?P<who>(?!other\b|same\b)[a-z]+)(?:'s|’s)? side\b",
    re.I,
)
_PUT_OUT = re.compile(r"\b(?:put|puts|putting|brought|bring|brings) out\b", re.I)
_DEAL = re.compile(
    r"\b(?P<det>a|an|the|this|that|their|its|ilrs|accords|artemis|lunar|moon) deal\b(?! with\b)", re.I
)
_OTHER_WAY = re.compile(
    r"[,.?!]*\s*(?:right\W*)?\s*or (?:was|is|did) it (?:go )?the other way (?:a)?round\s*\??\s*$", re.I
)
# "was it esa that wrote the accords", "was it pakistan or azerbaijan that got into the ilrs first": the claim, or
# the choice, put plainly
_CLEFT = re.compile(
    r"^(?P<lead>\s*(?:(?:so|ok|okay|wait|hey|hmm|um)\W+)*)(?:was|is|were) it (?:really |actually |even )?"
    r"(?P<who>(?!(?:true|right|correct|real|so|just|only|the case)\b)[\w'’.&+-]+(?: [\w'’.&+-]+){0,5}?) "
    r"(?:that|who|which) (?P<rest>[^?]+?)\s*(?P<tail>[?!.]*\s*)$",
    re.I,
)


def _uncleft(m: re.Match[str]) -> str:
    who, rest = m.group("who"), m.group("rest")
    if re.search(r"\bor\b", who):
        return f"{m.group('lead')}which {rest}, {who}?"  # "which got into the ilrs first, pakistan or azerbaijan?"
    return f"{m.group('lead')}{who} {rest}, is that right?"


# "is serbia actually part of the ilrs or was that just a rumor??": whether it is so
_JUST_TALK = re.compile(
    r"[,.]?\s*\bor (?:was|is) (?:that|it|this) (?:all |just |only |merely )?(?:an? )?(?:rumou?r|myth|fake(?: news)?|"
    r"made up|misinformation|hoax|lie|joke|speculation|hype|false|wrong|cap)s?\b\W*$",
    re.I,
)
# A claim put as a question ("is it true that greece signed before belgium"): read as the claim with a tag.
# "saw a site saying germany was the 8th to sign, is that legit": the claim the site made, to check
_REPORTED_CLAIM = re.compile(
    r"^\s*(?:i )?(?:saw|read|heard|seen|found)(?: on| in)? (?:a |an |some |this |one )?(?:site|website|article|post|"
    r"page|tweet|video|thread|source|blog|report|somewhere|someone|people|news)(?: online)? (?:saying|say|says|"
    r"that|claiming|claim|claims)\s+(?P<claim>.+?)\s*[,.;]?\s*(?P<tag>(?:is that|is this|is it|was that|was it)"
    r"(?: (?:right|true|correct|legit|accurate|real|valid|so))?|true|right|legit)\s*\??\s*$",
    re.IGNORECASE,
)
# "my teacher says russia runs the ilrs now. is that right?", "my friend reckons …, is that correct, or is some
# other body involved too?": the claim a person made, to check
_PERSON_CLAIM = re.compile(
    r"^\s*(?:(?:so|ok|okay|hey|hi|lol|btw|um+|hmm+)\W+)*(?:my|a|our|one of my|this|some) (?:[a-z]+ )?(?:friend|mate|"
    r"teacher|dad|father|mum|mom|mother|brother|sister|colleague|classmate|professor|prof|buddy|boss|co-?worker|uncle|"
    r"aunt|roommate|cousin|lecturer|tutor|textbook|book|guy|pal|bro|partner|wife|husband|son|daughter)s? (?:reckons|"
    r"says|said|thinks|thought|claims|claimed|told me|tells me|insists|swears|keeps saying|is convinced|believes|"
    r"argues|argued|mentioned|reckoned)(?: that)?\s+(?P<claim>.+?)\s*[,.;!]?\s*(?:(?:is|was) (?:that|this|it|he|she|"
    r"they) (?:right|true|correct|legit|accurate|so)|(?:are|were) they right|true|right|legit|correct)\b"
    r"(?:\s*,?\s*or [^?]{0,60})?\s*\??\s*$",
    re.IGNORECASE,
)
# "which baltic states have actually signed, as opposed to merely announcing an intention to join": the members
# the registry counts already leave out those only announced
_NOT_JUST_ANNOUNCED = re.compile(
    r"\s*,?\s*(?:as opposed to|rather than|instead of) (?:merely |just |only |simply )?(?:announc\w+|say\w*|"
    r"declar\w+|express\w+|plann\w+|intend\w+|talk\w+)\b[^?]*(?=\?|$)",
    re.IGNORECASE,
)
_DONE_BEFORE = re.compile(r"\b(?:signed|joined|members|signatories)\b", re.IGNORECASE)


def person_claim(text: str) -> str:
    """'my teacher says …, is that right?' written as the claim with a tag: '…, is that right?'."""
    return _PERSON_CLAIM.sub(r"\g<claim>, is that right?", text)


def as_claim(text: str) -> str:
    """A claim put as a question ("is it true that …", "saw a site saying …, is that legit", "my teacher says …, is
    that right?") written as the claim with a tag: "…, is that right?"."""
    text = _FRAMED_CLAIM.sub(r"\g<claim>, is that right?", text)
    text = _REPORTED_CLAIM.sub(r"\g<claim>, is that right?", text)
    return person_claim(text)


def _without_just_announced(text: str) -> str:
    """'which baltic states have actually signed the accords, as opposed to merely announcing an intention to join':
    the members the registry counts already leave out those only announced."""
    found = _NOT_JUST_ANNOUNCED.search(text)
    if found is None or not _DONE_BEFORE.search(text[: found.start()]):
        return text
    return text[: found.start()] + text[found.end() :]


_FRAMED_CLAIM = re.compile(
    r"^\s*(?:(?:is|was) it (?:really |actually )?(?:true|correct|right|accurate|the case|a fact)|is it so|true or false:?)"
    r"(?: that)?\s+(?P<claim>.+?)\s*\??\s*$",
    re.IGNORECASE,
)
# Ways of saying "sign" or "join" that no word-by-word reading gets.
# Words of asking that are also nouns of the world after a determiner ("what share", "the report")
_KIND_OF = frozenset({"kind", "sort", "type", "kinds", "sorts", "types"})
_ASKING_NOUNS = frozenset({"share", "report", "figure", "guess", "project"})
# Said of who does something: one body and no other ("does nasa run the accords on its own")
ALONE = re.compile(
    r"\b(?:on (?:its|their|his|her) own|by (?:itself|themselves|himself|herself)|alone|solely|exclusively|"
    r"single[- ]?handed(?:ly)?|solo|the (?:one|only one) (?:(?:really|actually|truly|now) )?(?:running|leading|"
    r"heading|in charge|calling|who (?:runs|leads)|that (?:runs|leads)))\b",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"\s*\(([^()]{1,80})\)")
# Words that make a bracketed aside part of the question ("(not just announced)", "(only countries)")
_LIMITING = frozenset("not no except excluding only just without besides apart other than including".split())
# What an asker says they need an answer for ("for my school project on …")
_PURPOSES = frozenset(
    "project essay report assignment class homework paper presentation thesis coursework blog podcast video "
    "newsletter lesson talk slides dissertation".split()
)

_IDIOMS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"(?:\b(?:the|that|this|those) (?:us|usa)\b|(?:\b(?:the|that|this|those) )?(?:u\.s\.a?\.?|\bamerican|"
            r"\bamerica['’]?s|\bnasa['’]?s?|\bwashington['’]?s?))"
            r"(?:[- ](?:led|backed|run|made|drafted))? (?:(?:moon|lunar|space|outer space|exploration|rules?|norms?|"
            r"principles?|government|govt)[- ]){0,3}(?:pact|agreement|agreements|deal|treaty|accords?|framework|charter|"
            r"rulebook|rules|principles|code|coalition|alliance|club|bloc|document)\b(?: thing)?(?! with\b)",
            re.I,
        ),
        "the Artemis Accords",
    ),  # "the american moon rules pact", "that nasa agreement thing": what newcomers call the Accords
    (
        re.compile(
            r"\b(?P<before>in|into|of|to|for|from|with|joined|signed|join|sign|and|or|both|vs|versus|than) (?:the|that) "
            r"(?:(?P<us>us|u\.s\.|usa|american|america['’]?s|nasa|washington['’]?s?|western)|(?:chinese|china|china['’]?s|"
            r"beijing['’]?s?|sino[- ]russian|china[- ]russia|chinese[- ]russian))"
            r"(?:[- ]led|[- ]backed)? (?:one|coalition|bloc|camp|club|pact|alliance|group)\b",
            re.I,
        ),
        lambda m: f"{m.group('before')} the {'Artemis Accords' if m.group('us') else 'ILRS'}",
    ),  # "how many countries were in the us one by then", "and the chinese one?": the coalitions ("the russian
    # one" is more often Roscosmos than the ILRS)
    (
        re.compile(
            r"\b(?:the )?(?:russian|russia['’]?s|russias)(?: federal| state| national)? space (?:agency|corporation|"
            r"people|guys|folks|org|organi[sz]ation)\b(?:,? roscosmos\b)?",
            re.I,
        ),
        "Roscosmos",
    ),  # "the russian space agency": the name the articles use
    (
        re.compile(
            r"\b(?:the )?(?:chinese|china['’]?s|chinas)(?: national| state)? space (?:agency|administration|people|"
            r"guys|folks|org|organi[sz]ation)\b(?:,? (?:cnsa|\(cnsa\))(?!\w))?",
            re.I,
        ),
        "CNSA",
    ),
    (
        re.compile(
            r"\b(?:the )?(?:american|america['’]?s|us|u\.s\.|usa)(?: national)? space (?:agency|people|guys|folks)"
            r"\b(?:,? nasa\b)?",
            re.I,
        ),
        "NASA",
    ),
    (
        re.compile(
            r"(?P<ask>\b(?:list|name|which|what)\b[^,;?!]*?)[,;] (?:and )?"
            r"(?:is|was|are|were) [\w'’ .-]{2,40}? (?:one of them|among them|on (?:it|the list|there)|in (?:there|it|"
            r"the list))\s*\??\s*$",
            re.I,
        ),
        r"\g<ask>",
    ),  # "list the nordic countries in the accords, is finland one of them": the list answers both
    (
        re.compile(r"\bchang(?:e|['’`´]e| e)?[- ]?([1-9])\b", re.I),
        lambda m: f"Chang'e-{m.group(1)}",
    ),  # "change-7", "chang e 8", "change7": the lunar missions as the articles spell them
    (
        re.compile(r"\bgoing (?:by|off|on) ", re.I),
        "according to ",
    ),  # "going by the latest numbers": not a plan
    (
        re.compile(r"\b(?:on |during |at )?china(?:['’]s)? space day,? (?:of |in )?((?:19|20)\d\d)\b", re.I),
        lambda m: f"on 24 April {m.group(1)}",
    ),  # China's Space Day is 24 April each year (since 2016): a date, not China as a member
    (re.compile(r"\bput(?:s|ting)? (?:\w+ )?pen to paper (?:on|for)\b", re.I), "sign"),
    (re.compile(r"\bput(?:s|ting)? (?:\w+ )?pen to paper\b", re.I), "sign"),
    (
        re.compile(
            r"(?:\b(?:is|are|was|were)\s+|['’]s\s+)?(?:\b(?:really|actually|truly|now)\s+)?\b(?:in the driv(?:ing|er['’]?s) "
            r"seat|call(?:s|ing|ed)? the shots|running the show|run(?:s|ning)? the show|pull(?:s|ing)? the strings)"
            r"(?:\s+(?:of|for|in|at|on)\b)?",
            re.I,
        ),
        " leads",
    ),  # "who is really in the driving seat", "who calls the shots in the ilrs": who leads it
    (re.compile(r"\binked\b", re.I), "signed"),
    (re.compile(r"\bink(?:s|ing)?\b", re.I), "sign"),
    (
        re.compile(
            r"\b(?:put|added|add|puts|adds|putting|adding) (?:\w+ )?names? (?:to|on|down (?:for|to))\b", re.I
        ),
        "signed",
    ),
    (
        re.compile(
            r"\b(?:came|come|comes|coming|got|get|gets|jumped|jump|hopped|hop) (?:on ?board\b|aboard\b|on )"
            r"\s*(?:with )?",  # "before russia came on board" at the end of the message too
            re.I,
        ),
        "joined ",
    ),
    (
        re.compile(
            r"\b(?:kicked|kicks|kick|opened|opens|open|started|starts|began|begins|led|leads) off (?=(?:the "
            r"year|(?:19|20)\d\d|(?:in )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* (?:19|20)\d\d)\b)",
            re.I,
        ),
        "was first in ",
    ),
    (
        re.compile(r"\b(?:opened|opens|started|starts|began|begins) (?=(?:the year|(?:19|20)\d\d)\b)", re.I),
        "was first in ",
    ),  # "who kicked off 2024", "which country opened 2024 as the first new signatory"
    (
        re.compile(
            r"\b(?:closed|closes|rounded|rounds|wrapped|wraps|capped|caps) (?:out|off|up) (?=(?:the year|"
            r"(?:19|20)\d\d)\b)",
            re.I,
        ),
        "was last in ",
    ),  # "who closed out 2024"
    (
        re.compile(
            r"\b(?:calling|call|calls|called) the shots (?:in|at|for|of)\b|\b(?:running|runs|run|ran) the "
            r"show (?:in|at|for|of)\b|\b(?:is|are|was|were) at the helm of\b",
            re.I,
        ),
        "leads",
    ),
    (
        re.compile(
            r"\b(?:calling|call|calls|called) the shots\b|\b(?:running|runs|ran) the show\b|\bat the helm\b",
            re.I,
        ),
        "leading",
    ),  # "who's really calling the shots in the ilrs"
    (
        re.compile(r"\b(?:came|come|comes|coming) up with\b|\b(?:dreamed|dreamt|thought) up\b", re.I),
        "founded",
    ),
    (
        re.compile(
            r"\bset(?:s|ting)? up\b(?= (?:the )?(?:ilrs|artemis|accords|station|base|project|lunar|moon|"
            r"international|china|chinese|us|nasa))",
            re.I,
        ),
        "founded",
    ),  # "which nations set up the ilrs"
    (re.compile(r"\bwas set up\b|\bwere set up\b|\bgot set up\b", re.I), "was founded"),
    (
        re.compile(r"\b(?:set|sets|setting) (it|them) up\b", re.I),
        r"founded \1",
    ),  # "once china and russia had set it up"
    (
        re.compile(
            r"\b(?:supposed|meant|said) to be (?=(?:running|leading|heading|managing|coordinating|overseeing|in "
            r"charge|in the lead|at the helm)\b)",
            re.I,
        ),
        "officially ",
    ),  # "which agencies are supposed to be running the ilrs": who leads it by the book, not a plan
    (
        re.compile(r"\b(?:is|are|was|were) in charge (?:of|at)\b", re.I),
        "lead",
    ),  # "which agencies are in charge of"
    (
        re.compile(
            r"\b(?:is|are|was|were) responsible for\b(?= (?:the )?(?:ilrs|artemis|accords|station|project))",
            re.I,
        ),
        "lead",
    ),
    (
        re.compile(r"\bin the first place\b", re.I),
        "originally",
    ),  # "who came up with the ilrs in the first place"
    (re.compile(r"\b(?:come|comes|coming) (?:into being|into existence|about)\b", re.I), "begin"),
    (
        re.compile(r"\bcame (?:into being|into existence|about)\b", re.I),
        "began",
    ),  # "how did the ILRS come about"
    (
        re.compile(r"\bwhat(?:'s| is|s) (?:the )?(?:deal|story|situation|score) (?:with|on)\b", re.I),
        "what is the status of",
    ),  # "whats the deal with the uae"
    (
        re.compile(r"\b(?:beat|beats|beaten)(?= (?:\w+ ){1,3}to\b)", re.I),
        "signed before",
    ),  # "did nz beat korea to it"
    (
        re.compile(r"\bco-?(?=(?:found|lead|led)\w*\b)|\bco (?=(?:found|lead|led)\w*\b)", re.I),
        "",
    ),  # co-founded
    (
        re.compile(
            r"\b(?:kicked|kicks|kick) off\b(?= (?:the )?(?:ilrs|artemis|accords|international|lunar|station))",
            re.I,
        ),
        "started",
    ),  # "who kicked off the ilrs"
    (re.compile(r"\b(?:took|take|takes|taken|taking) the initiative\b", re.I), "initiated"),
    (
        re.compile(r"\beven (?=(?:in|a|an|part|on|signed|joined|a member|members?|still)\b)", re.I),
        "",
    ),  # "is germany even in the accords": whether it is, not "even" (but "even though" stays)
    (
        re.compile(r"\b(?:go|goes|went|gone)(?= (?:the )?(?:ilrs|artemis|accords)\b)", re.I),
        "join",
    ),  # "did thailand go ilrs first or artemis first"
    (
        re.compile(r"\b(?:get|gets|got|getting|gotten) (?:going|off the ground)\b", re.I),
        "start",
    ),  # "when did the ilrs actually get going"
    (re.compile(r"\bahead of\b", re.I), "before"),  # "did argentina sign ahead of germany"
    (
        re.compile(r"\bonce(?= (?:[\w'’-]+ ){1,4}(?:had|has|have)\b)", re.I),
        "after",
    ),  # "the first to join once china and russia had set it up": after they had
    (
        re.compile(
            r"\b(?:full|fully[- ]fledged|full[- ]fledged|proper)[- ](?=members?\b|member countr)", re.I
        ),
        "",
    ),
    (
        re.compile(
            r"\b(?:key|core|main|central|principal|major|primary|chief|dominant|top|lead) (?=(?:members?|partners?|"
            r"countries|country|nations?|players?|powers?|states?|agencies|agency)\b)",
            re.I,
        ),
        "leading ",
    ),  # "who are the key members of the ilrs": who leads it
    (re.compile(r"\b(?:the )?driving force (?:behind|of)\b", re.I), "leading"),
    (
        re.compile(r"\b(have|has|had|having) (?:a|any) (?:hand|say|role) in (?:running |leading )?\b", re.I),
        r"\1 a lead in ",
    ),  # "does the state dept have a hand in it"
    (re.compile(r"\bat the (?:center|centre|heart|core|forefront|head) of\b", re.I), "leading"),
    (re.compile(r"\b(?:drew|draws|draw|drawn|drawing) up\b", re.I), "drafted"),
    (
        re.compile(
            r"\b(?:rolled|rolls|roll|rolling) (?:them |it )?out\b|\b(?:unveiled|unveil|unveils)\b", re.I
        ),
        "launched",
    ),  # "when the accords were first rolled out": the articles' launch
    (re.compile(r"\bkick(s|ed|ing)? off\b", re.I), r"start\1"),  # "when did the ilrs kick off", "kicked off"
    (
        re.compile(r"\b(?:meet-?ups?|meet ups?|get-?togethers?|get togethers?|hangouts?)\b", re.I),
        "meeting",
    ),  # "the first in person accords meetup in paris": the articles' meeting
    (
        re.compile(
            r"\b(?:that|who|which) (?:wasn'?t|was not|weren'?t|were not|isn'?t|is not|aren'?t|are not) "
            r"(?:a |an |one of the |among the )?(?:founder|founders|founding (?:member|members|signatory|"
            r"signatories|country|countries|state|states|nation|nations))\b",
            re.I,
        ),
        "after the founders",
    ),  # "first north american country to sign that wasnt a founder"
    (
        re.compile(
            r"\b((?:which|who) (?:of|among) (?:those|them|these)(?: \w+)?) (?:were|are)(?:n'?t| not) (?:among )?"
            r"(?:the |its |their )?(?:founders|founding (?:members|signatories|countries|states|nations|ones)|"
            r"original (?:members|signatories|countries|ones|founders)|og (?:members|signatories|countries|ones|"
            r"founders))\b",
            re.I,
        ),
        r"\1 apart from the founders",
    ),  # "which of those werent founders": the list asked before, the founders left out
    (
        re.compile(r"\bnon[- ]?founding (\w+)", re.I),
        r"\1 after the founders",
    ),  # "first non-founding signatory"
    (re.compile(r"\b(?:brought|brings|bring|bringing) up the rear\b", re.I), "was last"),
    (
        re.compile(r"\b(?:going|heading|headed|entering|coming) into (?=(?:19|20)\d\d\b)", re.I),
        "at the start of ",
    ),  # "how many signatories going into 2022"
    (re.compile(r"\b(?:quicker|faster|speedier)\b(?= to (?:sign|join|get|become))", re.I), "first"),
    (re.compile(r"\b(?:quickest|fastest|speediest)\b(?= to (?:sign|join|get|become))", re.I), "first"),
    (re.compile(r"\bsigned up (?:to|for|with)\b", re.I), "joined"),
    (
        re.compile(
            r"\b(institute|institution|organisation|organization|government|country|state)[- ]level ones\b",
            re.I,
        ),
        r"\1s",
    ),  # "not govts, the institute-level ones": the institutes
    (
        re.compile(
            r"\bput(?:s|ting)? (?:pen|ink|their names?|(?:their |a )?signatures?) to (?:paper|it)(?: on| for)?\b",
            re.I,
        ),
        "signed",
    ),  # "who actually put pen to paper on the china-russia memo"
    (re.compile(r"\bnon[- ]profit(s?)\b", re.I), r"nonprofit\1"),  # "companies or non profits": organisations
    (re.compile(r"\bsign up (?:to|for|with)\b", re.I), "join"),
    (re.compile(r"\bsigned up\b", re.I), "joined"),  # "who signed up that month": joined, not put a name to
    (re.compile(r"\b(?:sign|signs) up\b", re.I), "join"),
    (
        re.compile(r"\b(?:got|gotten) (?:into|in on|in to|onto)\b", re.I),
        "joined",
    ),  # "which got into the ilrs first"
    (re.compile(r"\b(?:get|gets|getting) (?:into|in on|in to|onto)\b", re.I), "join"),
    (
        re.compile(r"\b(?:what|which)[- ]?th\b|\bnth\b", re.I),
        "what number",
    ),  # "norway was the what-th signer"
    (
        re.compile(r"(?:#|\bno\. ?)(\d{1,3})\b(?! ?(?:%|percent))", re.I),
        lambda m: _nth(int(m.group(1))),
    ),  # "who was #32 on the artemis list"
]


def _nth(n: int) -> str:
    """32 -> '32nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# "what did X say / tell / announce": answered by what someone said
_SAYING = re.compile(r"^what (?:did|does|do|has|have|had) (?:[\w'’-]+ ){1,6}?(?:say|said|tell|announce)\b")
# An aside that asks for a person by name ("… like the actual person", "need a name not just cnsa")
_A_PERSON = frozenset({"person", "name", "guy", "individual", "human"})
_FOCUS_SKIP = frozenset(
    "is are was were s the a an its their exact exactly total official current main overall "
    "annual yearly monthly actual real".split()
)
# Words that go with a verb or a whole question, never the thing asked about ("who wrote them anyway", "which
# occurred earlier")
_NOT_THINGS = frozenset(
    "anyway anyways anyhow though tho either too also else ever even yet still already again earlier later "
    "sooner first last exactly actually really basically officially originally initially finally".split()
)


# the endings of English adjectives ("quantitative", "annual", "numerous", "strategic"): a word describing the noun
# after it, which is the thing asked about ("a vote tally" is a tally of votes, and asks about votes)
_ADJECTIVE_END = re.compile(r"(?:ive|al|ous|ic|ful|less|able|ible|ary)$")


def _nounlike(word: str) -> bool:
    """Whether a word can be the thing a question asks about: not an adverb, not a verb in the past tense
    ("occurred", "happened"); "population", "budget", "logo" can."""
    return word not in _NOT_THINGS and not (len(word) > 4 and word.endswith(("ed", "ly")))


# Verbs among the function words: what follows them goes on with the question ("was the signing done remotely").
_DOING = frozenset({"done", "doing", "did", "do", "does", "been", "being"})

# auxiliaries a question's own verb follows ("when did the ilrs … kick off")
_DO_AUX = frozenset("did does do will would can could should".split())

# Grammar the answer depends on: never dropped as chatter at the end of a question ("… or the accords first?").
_STRUCTURE = frozenset(
    "first last latest newest earliest before after both either neither yet now so far ever "
    "too also earlier later sooner already still anymore".split()
) | frozenset(ORDINAL_WORDS)
_TIME_WORDS = frozenset("now today currently yet so far year years month ago last".split())
_KEEP_DISCOURSE = frozenset({"name", "names", "list", "first", "people", "report", "right"})
# Words of a question about asking ("who can tell me when …", "what do you know about when …").
_ASKING = frozenset("you u ya anyone anybody someone somebody know knows tell remind explain help".split())
# Words with which an aside about the asker begins.
_ANYONE = frozenset("anyone anybody someone somebody".split())
_ASKER = frozenset("i im i'm ive i've me my mine we our us google chatgpt wikipedia".split())


# Verbs of wanting and planning: talk about the asking when the asker says them ("i want to know"), content
# when a country, agency or coalition does ("does china want to put astronauts on the moon").
_INTENT_VERBS = frozenset("want wants wanted need needs needed hope hopes hoped plan plans planned".split())


def _subjects_wants(tokens: list[Token]) -> None:
    for i, t in enumerate(tokens):
        if t.text not in _INTENT_VERBS or t.kind != "discourse":
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            before is not None
            and before.entity is not None
            and after is not None
            and after.text not in ("it", "this", "that", "them", "for", "help")
            and after.kind != "punct"
        ):
            t.kind = "content"  # "does china want to …", not "…, need it for a project"


def _is_member(token: Token) -> bool:
    return token.entity is not None and token.entity[0] == "member"


_JOIN_VERBS = frozenset(
    "join joins joined joining sign signs signed signing accede acceded enter entered".split()
)


def _joined_together(tokens: Sequence[Token], j: int) -> bool:
    """Whether tokens[j] ends 'signed with', 'joined the ilrs alongside', 'together with', 'at the same time
    as': the member after it joined on the same day as those asked about, not at some other time."""
    if j < 1:
        return False
    word = tokens[j].text
    if word == "as" and j >= 2 and tokens[j - 1].text == "time" and tokens[j - 2].text == "same":
        k = j - 3
    elif word == "alongside" or (word == "with" and tokens[j - 1].text in ("together", "along")):
        k = j - 1 - (word == "with")
    elif word == "with":
        k = j - 1
    else:
        return False
    # the verb of joining comes just before, past the coalition's name and small words ("joined the ilrs with")
    for token in reversed(tokens[max(0, k - 6) : k + 1]):
        if token.text in _JOIN_VERBS:
            return True
        if not (token.entity and token.entity[0] == "coalition") and token.text not in FUNCTION_WORDS:
            return False
    return False


def _signed_with_pattern(body: str) -> re.Pattern[str]:
    """'with', 'through' or 'via' a body by its name or its abbreviation in brackets ('Deep Space Exploration
    Laboratory (DSEL)'), lower case."""
    names = [re.sub(r"\s*\(.*?\)", "", body), *re.findall(r"\(([^)]+)\)", body)]
    alternatives = "|".join(re.escape(n.lower()) for n in names)
    return re.compile(rf"\b(?:with|through|via) (?:(?:the|china's|chinese|china) )*(?:{alternatives})\b")


# the coalitions named together by what they are, not by their names
_BOTH_COALITIONS = re.compile(
    r" (?:the two|both|each|either)(?: of)?(?: the)?(?: two)? (?:coalitions?|alliances?|blocs?|lunar (?:coalitions|"
    r"programmes|programs|alliances|blocs))\b"
)


def organisation_homes(q: Query) -> tuple[list[tuple[str, str]], set[str]]:
    """Members or countries named right before an organisation noun, in order: where an organisation is from
    ('which swiss company joined the ilrs', 'a kenyan institute'); and the ones the question also names plainly
    ('is switzerland a member now because of that swiss company')."""
    words = [t for t in q.tokens if t.kind != "punct"]
    homes: list[tuple[str, str]] = []
    plain: set[str] = set()
    for t, following in zip(words, [*words[1:], None], strict=False):
        if t.entity and t.entity[0] in ("member", "country"):
            if following is not None and following.text in ORGANISATION_NOUNS:
                homes.append(t.entity)
            else:
                plain.add(t.entity[1])
    return homes, plain


def today_year(today: dt.date | None) -> int:
    return (today or dt.date.today()).year


def _join(words: list[str]) -> str:
    text = " ".join(words)
    return re.sub(r"\s+([?!.,;:])", r"\1", text).strip().lstrip(",;:-–. ")
