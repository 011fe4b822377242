"""The coalition members registry: a sourced CSV of who joined which coalition, and when.

Loaded and validated as a whole; an invalid file raises RegistryError naming the row, and the
holder keeps serving the previous registry (never a half-loaded one). Look-ups are plain functions
of the registry, shared by the CLI, the answerer and the Discord commands.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.errors import RegistryError, UnknownName

log = logging.getLogger(__name__)

COALITIONS: dict[str, str] = {
    "artemis_accords": "Artemis Accords",
    "ilrs": "International Lunar Research Station (ILRS)",
}
SHORT_NAMES = {"artemis_accords": "Artemis Accords", "ilrs": "ILRS"}
COALITION_ALIASES: dict[str, str] = {
    "artemis": "artemis_accords",
    "artemis accords": "artemis_accords",
    "accords": "artemis_accords",
    "artemis_accords": "artemis_accords",
    "artemis-accords": "artemis_accords",
    "aa": "artemis_accords",
    "ilrs": "ilrs",
    "international lunar research station": "ilrs",
    "lunar research station": "ilrs",
    "china's moon base": "ilrs",
    "chinese lunar station": "ilrs",
}
MEMBER_TYPES = ("country", "organisation", "territory")
STATUSES = ("member", "announced", "unconfirmed")
FIELDS = ("coalition", "member", "member_type", "joined", "status", "order", "article", "sources", "notes")
# optional columns: a registry without them still loads
OPTIONAL_FIELDS = ("signed_with",)

# Common alternative names -> the registry's name.
ALIASES: dict[str, str] = {
    "south korea": "South Korea",
    "korea": "South Korea",
    "republic of korea": "South Korea",
    "rok": "South Korea",
    "uae": "United Arab Emirates",
    "emirates": "United Arab Emirates",
    "the uae": "United Arab Emirates",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "england": "United Kingdom",
    "the uk": "United Kingdom",
    "us": "United States",
    "usa": "United States",
    "u.s.": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "united states of america": "United States",
    "the us": "United States",
    "czechia": "Czech Republic",
    "czech": "Czech Republic",
    "turkey": "Türkiye",
    "turkiye": "Türkiye",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "dominican rep": "Dominican Republic",
    "dr": "Dominican Republic",
    "russian federation": "Russia",
    "prc": "China",
    "people's republic of china": "China",
    "apsco": "Asia-Pacific Space Cooperation Organization (APSCO)",
    "auass": "Arab Union for Astronomy and Space Sciences",
    "arab union": "Arab Union for Astronomy and Space Sciences",
    "iloa": "International Lunar Observatory Association (ILOA Hawai'i)",
    "narit": "National Astronomical Research Institute of Thailand (NARIT)",
    "ssgi": "Space Science and Geospatial Institute (SSGI), Ethiopia",
    "kaist": "Kenya Advanced Institute of Science and Technology (KAIST)",
    "sarao": "South African Radio Astronomy Observatory (SARAO)",
    "nanospace": "nanoSPACE AG (Switzerland)",
    "philipines": "Philippines",
    "phillipines": "Philippines",
    "phillippines": "Philippines",
    # what people call a country's people in chat
    "brits": "United Kingdom",
    "brit": "United Kingdom",
    "yanks": "United States",
    "americans": "United States",
    "aussies": "Australia",
    "aussie": "Australia",
    "kiwis": "New Zealand",
    "kiwi": "New Zealand",
    "saudi": "Saudi Arabia",
    "saudis": "Saudi Arabia",
    "korean": "South Korea",
    "koreans": "South Korea",
    "danes": "Denmark",
    "swedes": "Sweden",
    "finns": "Finland",
    "poles": "Poland",
    "spaniards": "Spain",
    "britons": "United Kingdom",
    "czechs": "Czech Republic",
    "slovaks": "Slovakia",
    "turks": "Türkiye",
}

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://\S+$")


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation spaced out: for matching names."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9.'&]+", " ", text.lower()).split())


def is_registry_date(text: str) -> bool:
    """Whether the registry accepts this as a date: YYYY-MM-DD, YYYY-MM or YYYY, naming a real day or month."""
    if not _DATE.match(text):
        return False
    try:
        date_start(text)
    except ValueError:
        return False
    return True


def verb(coalition: str, *, past: bool = True) -> str:
    """How a member comes into a coalition: 'signed the Artemis Accords', 'join the ILRS'."""
    if coalition == "artemis_accords":
        return "signed the Artemis Accords" if past else "sign the Artemis Accords"
    return "joined the ILRS" if past else "join the ILRS"


def date_start(joined: str) -> dt.date:
    """The first day a (possibly partial) date can mean: '2023-10' -> 2023-10-01."""
    parts = [int(p) for p in joined.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def date_end(joined: str) -> dt.date:
    """The last day a (possibly partial) date can mean: '2023-10' -> 2023-10-31, '2021' -> 2021-12-31."""
    parts = [int(p) for p in joined.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def human_date(joined: str) -> str:
    """'2023-12-06' -> '6 December 2023', '2023-10' -> 'October 2023', '2021' -> '2021'."""
    parts = joined.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return joined


@dataclass(frozen=True)
class Member:
    """One (coalition, member) row."""

    coalition: str
    member: str
    member_type: str
    joined: str
    status: str
    order: int | None
    article: str
    sources: tuple[str, ...]
    notes: str = ""
    # the coalition's side of the member's signing, when the row's article names it ("China National Space
    # Administration (CNSA)"): a question can ask for the members that signed with one body
    signed_with: str = ""

    @property
    def sort_key(self) -> tuple[dt.date, int, str]:
        return (date_start(self.joined), self.order if self.order is not None else 10_000, self.member)

    @property
    def joined_human(self) -> str:
        return human_date(self.joined)

    @property
    def summary(self) -> str:
        """'joined the ILRS: 5 April 2024 (#9)', with the status when it is not a full member."""
        if self.coalition == "artemis_accords":
            verb = (
                "signed the Artemis Accords"
                if self.status == "member"
                else "accession to the Artemis Accords announced"
            )
        else:
            verb = "joined the ILRS" if self.status == "member" else "reported joining the ILRS"
        order = f" (#{self.order})" if self.order is not None else ""
        status = "" if self.status == "member" else f" [{self.status}]"
        return f"{verb}: {self.joined_human}{order}{status}"

    def to_json(self) -> dict[str, object]:
        return {
            "member": self.member,
            "member_type": self.member_type,
            "coalition": self.coalition,
            "joined": self.joined,
            "status": self.status,
            "order": self.order,
            "article": self.article,
            "sources": list(self.sources),
            "notes": self.notes,
            "signed_with": self.signed_with,
        }


@dataclass
class MemberList:
    """A filtered list of one coalition's members, in joining order."""

    coalition: str
    members: list[Member]
    others: list[Member] = field(default_factory=list)  # announced / unconfirmed, shown apart
    as_of: str | None = None

    def count_line(self) -> str:
        """'Artemis Accords: 59 signatory countries, plus the Isle of Man (territory), as of 27 October 2025 ...'."""
        countries = [m for m in self.members if m.member_type == "country"]
        orgs = [m for m in self.members if m.member_type == "organisation"]
        territories = [m for m in self.members if m.member_type == "territory"]
        if self.coalition == "artemis_accords":
            text = f"{len(countries)} signatory countries"
            if territories:
                text += ", plus " + ", ".join(m.member for m in territories) + " (territory)"
        else:
            parts = [f"{len(countries)} member countries"] if countries or not orgs else []
            if orgs:
                parts.append(f"{len(orgs)} partner organisations")
            text = " and ".join(parts)
        if self.as_of:
            text += f", as of {human_date(self.as_of)}"
        elif self.members:
            latest = max(self.members, key=lambda m: m.sort_key)
            text += f", as of {latest.joined_human} (the latest joining in the registry)"
        line = f"{SHORT_NAMES[self.coalition]}: {text}"
        for status in ("announced", "unconfirmed"):
            names = [m.member for m in self.others if m.status == status]
            if names:
                line += f"; {status}, not counted: {', '.join(names)}"
        return line


@dataclass(frozen=True)
class CoalitionFacts:
    """When a coalition began, who founded it and who leads it, with the articles that say so."""

    coalition: str
    began: str
    began_how: str
    founders: tuple[str, ...]
    led_by: str
    leader_terms: tuple[str, ...]
    began_article: str
    led_article: str
    complete_list: bool  # the articles list every member (so "not listed" means "not a member")
    sources: tuple[str, ...]

    @property
    def began_human(self) -> str:
        return human_date(self.began)


def _csv_rows(
    path: Path,
    fields: tuple[str, ...],
    what: str,
    *,
    required: bool = False,
    optional: tuple[str, ...] = (),
) -> list[tuple[str, dict[str, str]]]:
    """The rows of a registry CSV, values stripped, each with where it is ('events.csv line 3') for error
    messages. A missing optional file has no rows; a missing required one, an unreadable file or a missing
    column raises RegistryError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise RegistryError(f"{what} not found: {path}") from None
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{what} {path} cannot be read: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [f for f in fields if f not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"{path.name}: header is missing column(s) {', '.join(missing)}")
    return [
        (f"{path.name} line {line}", {k: (raw.get(k) or "").strip() for k in fields + optional})
        for line, raw in enumerate(reader, start=2)
    ]


@dataclass(frozen=True)
class Event:
    """A dated event people set times by ('before the Sydney meeting'), with the article that dates it."""

    coalition: str
    label: str  # "the principals' meeting in Milan"
    names: tuple[str, ...]  # lower-case ways of naming it ("milan meeting", "iac milan")
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY
    article: str


EVENT_FIELDS = ("coalition", "event", "names", "date", "article")


def load_events(path: Path, article_ids: set[str] | None = None) -> tuple[Event, ...]:
    """The events file next to the registry (optional: without it, an event sets no time)."""
    out: list[Event] = []
    for where, values in _csv_rows(path, EVENT_FIELDS, "events"):
        if values["coalition"] not in COALITIONS:
            raise RegistryError(f"{where}: unknown coalition {values['coalition']!r}")
        if not _DATE.match(values["date"]):
            raise RegistryError(
                f"{where}: date {values['date']!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
            )
        names = tuple(fold(n) for n in values["names"].split(";") if n.strip())
        if not values["event"] or not names:
            raise RegistryError(f"{where}: an event needs a description and at least one name")
        if article_ids is not None and values["article"] not in article_ids:
            raise RegistryError(f"{where}: article {values['article']!r} is not in the corpus")
        out.append(Event(values["coalition"], values["event"], names, values["date"], values["article"]))
    return tuple(out)


COALITION_FIELDS = (
    "coalition",
    "began",
    "began_how",
    "founders",
    "led_by",
    "leader_terms",
    "began_article",
    "led_article",
    "complete_list",
    "sources",
)


class Registry:
    """Validated registry rows with look-ups."""

    def __init__(
        self,
        rows: Iterable[Member],
        source: str = "",
        coalitions: dict[str, CoalitionFacts] | None = None,
        events: tuple[Event, ...] = (),
    ) -> None:
        self.coalitions = coalitions or {}
        self.events = events
        rows = list(rows)
        self.rows = [
            m
            for c in sorted({m.coalition for m in rows})
            for m in joining_order(m for m in rows if m.coalition == c)
        ]
        self.source = source
        self._names = sorted({m.member for m in self.rows})
        self._by_fold = {fold(n): n for n in self._names}

    # -- names ------------------------------------------------------------------------------
    def resolve_coalition(self, text: str) -> str:
        key = fold(text).replace("the ", "", 1) if fold(text).startswith("the ") else fold(text)
        if key in COALITION_ALIASES:
            return COALITION_ALIASES[key]
        if key.replace(" ", "_") in COALITIONS:
            return key.replace(" ", "_")
        raise UnknownName(
            f"unknown coalition {text!r}; choose one of: {', '.join(COALITIONS)}", list(COALITIONS)
        )

    def resolve_member(self, text: str) -> str:
        """The registry's name for a member, through aliases and small misspellings."""
        key = fold(text)
        if key.startswith("the "):
            key = key[4:]
        if key in self._by_fold:
            return self._by_fold[key]
        alias = ALIASES.get(key)
        if alias and alias in self._names:
            return alias
        # An organisation's acronym: "SARAO" -> its full name.
        for name in self._names:
            if f"({key})" in fold(name):
                return name
        close = difflib.get_close_matches(key, list(self._by_fold), n=1, cutoff=0.85)
        if close:
            return self._by_fold[close[0]]
        suggestions = [n for n in self._names if key and key in fold(n)][:3]
        suggestions += [
            self._by_fold[k]
            for k in difflib.get_close_matches(key, list(self._by_fold), n=3, cutoff=0.6)
            if self._by_fold[k] not in suggestions
        ]
        suggestions = suggestions[:3]
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UnknownName(f"{text!r} is not in the members registry{hint}", suggestions)

    def names(self) -> list[str]:
        return list(self._names)

    def search_names(self, prefix: str, limit: int = 25) -> list[str]:
        """Names for autocomplete: prefix matches first, then substring and alias matches."""
        key = fold(prefix)
        if not key:
            return self._names[:limit]
        starts = [n for n in self._names if fold(n).startswith(key)]
        contains = [n for n in self._names if key in fold(n) and n not in starts]
        aliased = [v for k, v in ALIASES.items() if k.startswith(key) and v in self._names]
        out: list[str] = []
        for name in starts + contains + aliased:
            if name not in out:
                out.append(name)
        return out[:limit]

    # -- look-ups ---------------------------------------------------------------------------
    def members(
        self,
        coalition: str,
        *,
        member_type: str | None = None,
        as_of: str | None = None,
        status: str | None = None,
    ) -> MemberList:
        """One coalition's members in joining order; announced/unconfirmed apart unless asked for."""
        coalition = self.resolve_coalition(coalition)
        if member_type and member_type not in MEMBER_TYPES:
            raise UnknownName(
                f"unknown member type {member_type!r}; choose country, organisation or territory",
                list(MEMBER_TYPES),
            )
        if status and status not in STATUSES:
            raise UnknownName(
                f"unknown status {status!r}; choose one of: {', '.join(STATUSES)}", list(STATUSES)
            )
        cutoff = parse_as_of(as_of) if as_of else None
        rows = [m for m in self.rows if m.coalition == coalition]
        if member_type:
            rows = [m for m in rows if m.member_type == member_type]
        if cutoff:
            rows = [m for m in rows if date_start(m.joined) <= cutoff]
        if status:
            return MemberList(
                coalition, [m for m in rows if m.status == status], [], cutoff.isoformat() if cutoff else None
            )
        return MemberList(
            coalition,
            [m for m in rows if m.status == "member"],
            [m for m in rows if m.status != "member"],
            cutoff.isoformat() if cutoff else None,
        )

    def member(self, name: str) -> list[Member]:
        """Every coalition row of one member (after resolving aliases)."""
        resolved = self.resolve_member(name)
        return [m for m in self.rows if m.member == resolved]

    def overlap(self) -> list[tuple[Member, Member]]:
        """Members listed in both coalitions: (artemis row, ilrs row), by the later joining date."""
        artemis = {m.member: m for m in self.rows if m.coalition == "artemis_accords"}
        pairs = [(artemis[m.member], m) for m in self.rows if m.coalition == "ilrs" and m.member in artemis]
        return sorted(pairs, key=lambda p: max(p[0].sort_key, p[1].sort_key))


def joining_order(rows: Iterable[Member]) -> list[Member]:
    """Rows in joining order. Numbered rows keep their order number's sequence (authoritative where a
    date is only a month); unnumbered rows are merged in by date."""
    rows = list(rows)
    numbered = sorted((m for m in rows if m.order is not None), key=lambda m: (m.order or 0, m.member))
    unnumbered = sorted((m for m in rows if m.order is None), key=lambda m: m.sort_key)
    merged: list[Member] = []
    i = 0
    for m in numbered:
        while i < len(unnumbered) and unnumbered[i].sort_key[0] < m.sort_key[0]:
            merged.append(unnumbered[i])
            i += 1
        merged.append(m)
    return merged + unnumbered[i:]


def parse_as_of(text: str) -> dt.date:
    """A date for --as-of: YYYY-MM-DD, YYYY-MM (end of month) or YYYY (end of year)."""
    text = text.strip()
    if not _DATE.match(text):
        raise UnknownName(f"{text!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY", [])
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(parts[0], 12, 31)
    except ValueError:
        raise UnknownName(f"{text!r} is not a valid date", []) from None


def load_registry(path: Path, article_ids: set[str] | None = None) -> Registry:
    """Parse and validate the CSV; any problem raises RegistryError naming the row."""
    path = Path(path)
    rows: list[Member] = []
    seen: dict[tuple[str, str], int] = {}
    for line, (line_at, raw) in enumerate(
        _csv_rows(path, FIELDS, "members registry", required=True, optional=OPTIONAL_FIELDS), start=2
    ):
        where = f"{line_at} ({raw['member'] or '?'})"
        coalition = raw["coalition"]
        if coalition not in COALITIONS:
            raise RegistryError(
                f"{where}: unknown coalition {coalition!r} (expected {' or '.join(COALITIONS)})"
            )
        member = raw["member"]
        if not member:
            raise RegistryError(f"{where}: member name is empty")
        member_type = raw["member_type"]
        if member_type not in MEMBER_TYPES:
            raise RegistryError(
                f"{where}: member_type must be country, organisation or territory, not {member_type!r}"
            )
        joined = raw["joined"]
        if not is_registry_date(joined):
            raise RegistryError(f"{where}: joined {joined!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        status = raw["status"]
        if status not in STATUSES:
            raise RegistryError(f"{where}: status must be one of {', '.join(STATUSES)}, not {status!r}")
        order_text = raw["order"]
        if order_text and not order_text.isdigit():
            raise RegistryError(f"{where}: order must be a whole number, not {order_text!r}")
        article = raw["article"]
        if not article:
            raise RegistryError(f"{where}: article reference is empty")
        if article_ids is not None and article not in article_ids:
            raise RegistryError(f"{where}: article {article!r} is not in the corpus")
        sources = tuple(raw["sources"].split())
        if not sources or not all(_URL.match(s) for s in sources):
            raise RegistryError(f"{where}: sources must be one or more http(s) links separated by spaces")
        key = (coalition, fold(member))
        if key in seen:
            raise RegistryError(f"{where}: duplicate member (already on line {seen[key]})")
        seen[key] = line
        rows.append(
            Member(
                coalition,
                member,
                member_type,
                joined,
                status,
                int(order_text) if order_text else None,
                article,
                sources,
                raw["notes"],
                raw["signed_with"],
            )
        )
    if not rows:
        raise RegistryError(f"{path.name}: no rows")
    return Registry(
        rows,
        source=str(path),
        coalitions=load_coalition_facts(path.parent / "coalitions.csv", article_ids),
        events=load_events(path.parent / "events.csv", article_ids),
    )


def load_coalition_facts(path: Path, article_ids: set[str] | None = None) -> dict[str, CoalitionFacts]:
    """The coalition facts file next to the registry (optional: without it, such questions go to the articles)."""
    out: dict[str, CoalitionFacts] = {}
    for where, values in _csv_rows(path, COALITION_FIELDS, "coalition facts"):
        if values["coalition"] not in COALITIONS:
            raise RegistryError(f"{where}: unknown coalition {values['coalition']!r}")
        if not _DATE.match(values["began"]):
            raise RegistryError(
                f"{where}: began {values['began']!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
            )
        for key in ("began_article", "led_article"):
            if article_ids is not None and values[key] not in article_ids:
                raise RegistryError(f"{where}: {key} {values[key]!r} is not in the corpus")
        sources = tuple(values["sources"].split())
        if not sources or not all(_URL.match(s) for s in sources):
            raise RegistryError(f"{where}: sources must be one or more http(s) links separated by spaces")
        if values["complete_list"] not in ("yes", "no"):
            raise RegistryError(f"{where}: complete_list must be yes or no, not {values['complete_list']!r}")
        out[values["coalition"]] = CoalitionFacts(
            values["coalition"],
            values["began"],
            values["began_how"],
            tuple(n.strip() for n in values["founders"].split(";") if n.strip()),
            values["led_by"],
            tuple(n.strip() for n in values["leader_terms"].split(";") if n.strip()),
            values["began_article"],
            values["led_article"],
            values["complete_list"] == "yes",
            sources,
        )
    return out


class RegistryHolder:
    """The registry in use; a reload swaps it only when the new file is entirely valid."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._registry: Registry | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def get(self) -> Registry:
        """The current registry, loading it on first use."""
        if self._registry is None:
            self.reload()
        assert self._registry is not None
        return self._registry

    def reload(self, article_ids: set[str] | None = None) -> Registry:
        """Validate the file and swap it in; on error keep the previous one and raise."""
        try:
            registry = load_registry(self.path, article_ids)
        except RegistryError as exc:
            self.last_error = str(exc)
            if self._registry is not None:
                log.warning("Members registry not reloaded, keeping the previous one: %s", exc)
            raise
        with self._lock:
            self._registry = registry
            self.last_error = None
        return registry
