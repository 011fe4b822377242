"""Lists as embeds: /members, /overlap, /sources and /member, packed into as few pages as they need.

Pure functions of registry rows and catalog records (no Discord client). One numbering scheme: the
numbered lines are exactly what the title counts (countries in joining order, or articles newest
first); organisations, territories and rows not counted are bulleted in sections of their own.
Sources are compact clickable `[source](url)` links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.plain_words import ordinal, plain_note
from bot.rendering import (
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_PER_EMBED,
    LIST_COLOUR,
    NOT_FOUND_COLOUR,
    EmbedPage,
    cut_at_word,
    label,
    masked,
    pack_lines,
    short_date,
    source_entry,
)
from retrieval.catalog import StoredDocument
from retrieval.member_names import Lookup
from retrieval.members_registry import SHORT_NAMES, Member, MemberList, date_start, human_date

PAGE_BUDGET = EMBED_TOTAL_LIMIT - 200  # room for the page footer and rounding


@dataclass(frozen=True)
class Section:
    """A titled run of lines; long ones continue in further fields (and pages)."""

    name: str
    lines: list[str]


def paginate(
    title: str, description: str, sections: Sequence[Section], source_note: str = ""
) -> list[EmbedPage]:
    """Sections packed into fields of at most 1,024 characters and pages under Discord's 6,000, greedily:
    no more pages than the content needs. Every page repeats the title and description."""
    blocks = [
        (section.name if i == 0 else f"{section.name} (continued)", block)
        for section in sections
        for i, block in enumerate(pack_lines(section.lines, FIELD_VALUE_LIMIT))
    ]
    pages: list[EmbedPage] = []
    current = EmbedPage(description, title, LIST_COLOUR)
    for name, value in blocks:
        if current.fields and (
            current.size() + len(name) + len(value) > PAGE_BUDGET or len(current.fields) >= FIELDS_PER_EMBED
        ):
            pages.append(current)
            current = EmbedPage(description, title, LIST_COLOUR)
        current.fields.append((name, value))
    pages.append(current)
    for n, page in enumerate(pages, start=1):
        parts = [f"Page {n} of {len(pages)}"] if len(pages) > 1 else []
        page.footer = " · ".join(parts + ([source_note] if source_note else []))
    return pages


def source_links(urls: Sequence[str], limit: int = 1, word: str = "source") -> str:
    """'[source](url)' for the first `limit` links ('[source](u1) · [source 2](u2)' for more)."""
    shown = [masked(word if i == 0 else f"{word} {i + 1}", url) for i, url in enumerate(urls[:limit]) if url]
    return " · ".join(shown)


def _tail(member: Member) -> str:
    links = source_links(member.sources)
    return f" · {links}" if links else ""


def member_line(i: int, member: Member) -> str:
    """'13. Poland — 26 Oct 2021 · [source](url)' (the number is the place in this list)."""
    return f"{i}. {member.member} — {short_date(member.joined)}{_tail(member)}"


def _status_words(member: Member) -> str:
    """'announced Oct 2025, not yet signed' / 'reported Jun 2023, unconfirmed'."""
    if member.status == "announced":
        return f"accession announced {short_date(member.joined)}, not yet signed"
    return f"reported {short_date(member.joined)}, unconfirmed"


def member_pages(listing: MemberList, member_type: str | None = None) -> list[EmbedPage]:
    """A coalition's members: the counted countries numbered in joining order, then organisations,
    territories and rows not counted, each in a section of its own (`member_type` as filtered)."""
    name = SHORT_NAMES[listing.coalition]
    countries = [m for m in listing.members if m.member_type == "country"]
    orgs = [m for m in listing.members if m.member_type == "organisation"]
    territories = [m for m in listing.members if m.member_type == "territory"]
    noun = "signatory countries" if listing.coalition == "artemis_accords" else "member countries"
    if member_type != "organisation" and (countries or not (orgs or territories)):
        title = f"{name}: {len(countries)} {noun if len(countries) != 1 else noun.replace('countries', 'country')}"
    else:
        title = f"{name}: {len(orgs)} partner organisation{'s' if len(orgs) != 1 else ''}"
    if listing.as_of:
        when = f"As of {human_date(listing.as_of)}"
    elif listing.members:
        latest = max(listing.members, key=lambda m: m.sort_key)
        when = f"As of {latest.joined_human} (the latest joining in the members registry)"
    else:
        when = "No members in the registry"
    extras = []
    if countries and orgs:
        extras.append(f"{len(orgs)} partner organisation{'s' if len(orgs) != 1 else ''}")
    if territories:
        extras.append(f"{len(territories)} territor{'ies' if len(territories) != 1 else 'y'}")
    if listing.others:
        extras.append(f"{len(listing.others)} not counted")
    description = f"{when}. Countries in joining order" if countries else f"{when}."
    if countries:
        description += f"; also {', '.join(extras)}, listed after them." if extras else "."
    sections = []
    if countries:
        sections.append(Section("Countries", [member_line(i, m) for i, m in enumerate(countries, start=1)]))
    if orgs:
        sections.append(
            Section(
                "Partner organisations", [f"• {m.member} — {short_date(m.joined)}{_tail(m)}" for m in orgs]
            )
        )
    if territories:
        sections.append(
            Section(
                "Territories (not counted as countries)",
                [f"• {m.member} — {short_date(m.joined)}{_tail(m)}" for m in territories],
            )
        )
    if listing.others:
        sections.append(
            Section("Not counted", [f"• {m.member} — {_status_words(m)}{_tail(m)}" for m in listing.others])
        )
    if not sections:
        sections.append(Section("Members", ["None in the registry for these choices."]))
    return paginate(title, description, sections, "from the members registry")


def overlap_page(pairs: Sequence[tuple[Member, Member]]) -> EmbedPage:
    """Members of both coalitions, numbered; rows where one side is not confirmed apart, not counted."""
    confirmed = [(a, b) for a, b in pairs if a.status == b.status == "member"]
    others = [(a, b) for a, b in pairs if (a, b) not in confirmed]
    lines = [
        f"{i}. {a.member} — ILRS {short_date(b.joined)} ({source_links(b.sources)}) · "
        f"Artemis Accords {short_date(a.joined)} ({source_links(a.sources)})"
        for i, (a, b) in enumerate(confirmed, start=1)
    ]
    sections = [Section("In both", lines or ["None yet."])]
    if others:
        not_counted = []
        for artemis, ilrs in others:
            sides = []
            for row in (ilrs, artemis):
                what = short_date(row.joined) if row.status == "member" else _status_words(row)
                sides.append(f"{SHORT_NAMES[row.coalition]} {what} ({source_links(row.sources)})")
            not_counted.append(f"• {artemis.member} — " + " · ".join(sides))
        sections.append(Section("Not counted", not_counted))
    n = len(confirmed)
    title = f"In both coalitions: {n} countr{'ies' if n != 1 else 'y'}"
    description = "Members of both the Artemis Accords and the ILRS, by the later of their two dates."
    return paginate(title, description, sections, "from the members registry")[0]


def source_pages(docs: Sequence[StoredDocument], query: str = "") -> list[EmbedPage]:
    """Indexed articles, newest first and numbered, each a clickable title; summaries say so."""
    n = len(docs)
    title = f"{n} indexed article{'s' if n != 1 else ''}" + (
        f" matching “{cut_at_word(query, 60)}”" if query else ""
    )
    title += ", newest first"
    summaries = sum(1 for d in docs if d.is_summary)
    description = (
        f"{summaries} of them are summaries written for this corpus; each says what it summarises."
        if summaries
        else ""
    )
    lines = [
        source_entry(
            i, d.title, d.outlet, d.published, d.url, (d.summary_of if d.is_summary else None)
        ).replace(f"[{i}] ", f"{i}. ", 1)
        for i, d in enumerate(docs, start=1)
    ]
    return paginate(title, description, [Section("Articles", lines or ["None."])])


# -- one member -------------------------------------------------------------------------------------------
def _joined_words(m: Member) -> str:
    """'Joined 5 April 2024 — the 9th member country' and the like, in plain words."""
    date = m.joined_human
    if m.status == "announced":
        return f"Accession announced {date}; not yet signed, so not counted"
    if m.status == "unconfirmed":
        return f"Reported as joining in {date}; unconfirmed, so not counted"
    if m.coalition == "artemis_accords":
        if m.member_type == "territory":
            return f"Accords extended to it on {date} (a territory: not counted among signatory countries)"
        place = f" — the {ordinal(m.order)} signatory" if m.order else ""
        return f"Signed {date}{place}"
    if m.member_type == "organisation":
        return f"Joined {date} (a partner organisation)"
    place = f" — the {ordinal(m.order)} member country" if m.order else ""
    return f"Joined {date}{place}"


def member_card(rows: Sequence[Member], as_of: str) -> EmbedPage:
    """One member's coalitions: dates, plain-words notes and compact sources."""
    name = rows[0].member
    coalitions = {m.coalition for m in rows if m.status == "member"}
    other = {"artemis_accords": "ILRS", "ilrs": "Artemis Accords"}
    if coalitions == {"artemis_accords", "ilrs"}:
        description = "In both coalitions."
    elif coalitions:
        (only,) = coalitions
        description = f"In the {SHORT_NAMES[only]}; not in the {other[only]} (members registry, as of {human_date(as_of)})."
    else:
        description = (
            f"Not a counted member of either coalition (members registry, as of {human_date(as_of)})."
        )
    fields = []
    for m in sorted(rows, key=lambda r: date_start(r.joined)):
        lines = [_joined_words(m)]
        note = plain_note(m.notes)
        if note:
            lines.append(cut_at_word(note, 600))
        links = source_links(m.sources, limit=3)
        if links:
            lines.append(links)
        value = "\n".join(lines)
        if len(value) > FIELD_VALUE_LIMIT:
            value = "\n".join(
                [lines[0], cut_at_word(note, FIELD_VALUE_LIMIT - len(lines[0]) - len(links) - 4), links]
            )
        fields.append((SHORT_NAMES[m.coalition], value))
    return EmbedPage(description, cut_at_word(name, 256), LIST_COLOUR, fields, "from the members registry")


def not_member_card(lookup: Lookup) -> EmbedPage:
    """A real country in neither coalition, as of the registry's latest date."""
    lines = [
        f"{lookup.country} is in neither the Artemis Accords nor the ILRS, according to the members registry "
        f"(its latest change: {human_date(lookup.as_of)})."
    ]
    if lookup.related:
        lines.append(f"From {lookup.country}, the registry lists: " + "; ".join(lookup.related) + ".")
    lines.append("Ask about it with `/ask` if you want what the articles say.")
    return EmbedPage("\n".join(lines), lookup.country, NOT_FOUND_COLOUR, [], "from the members registry")


def unknown_name_text(lookup: Lookup) -> str:
    """'I don't know “Wakanda”… did you mean Rwanda?' (a short private reply)."""
    typed = cut_at_word(label(lookup.typed), 80)
    if lookup.suggestions:
        return (
            f"I don't know “{typed}” as a country or organisation. Did you mean "
            + " or ".join(f"**{s}**" for s in lookup.suggestions)
            + "?"
        )
    return f"I don't know “{typed}” as a country or organisation. `/members` lists every member."
