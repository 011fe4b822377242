"""Pure rendering for Discord: answers, sources, member lists, splitting under Discord's limits.

No Discord client here (only discord.utils' pure escaping helpers): these take plain data and return
strings and plain dicts, so they are tested with input/output tables. The cogs turn them into embeds
and messages. Titles and outlets are article data: `label` renders them as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from discord.utils import escape_markdown, escape_mentions

from retrieval.answer_types import Answer
from retrieval.catalog import StoredDocument
from retrieval.members_registry import Member, MemberList
from retrieval.quoting import neutralise, safe_url

MESSAGE_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
MAX_SOURCES_SHOWN = 8


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into parts of at most `limit` characters, at paragraph, then line, then word boundaries."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for block in _pieces(text, limit):
        candidate = f"{current}{block}" if current else block.lstrip("\n")
        if len(candidate.rstrip()) <= limit:
            current = candidate
        else:
            if current.strip():
                parts.append(current.rstrip())
            current = block.lstrip("\n")
    if current.strip():
        parts.append(current.rstrip())
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    """Paragraphs (with their separators) small enough to fit; oversized ones broken by lines, then words."""
    out: list[str] = []
    paragraphs = text.split("\n\n")
    for i, paragraph in enumerate(paragraphs):
        sep = "\n\n" if i else ""
        if len(paragraph) <= limit:
            out.append(sep + paragraph)
            continue
        lines = paragraph.split("\n")
        for j, line in enumerate(lines):
            lsep = sep if j == 0 else "\n"
            if len(line) <= limit:
                out.append(lsep + line)
                continue
            words = line.split(" ")
            chunk = ""
            for word in words:
                while len(word) > limit:  # a single huge token: hard cut
                    if chunk:
                        out.append(lsep + chunk)
                        chunk, lsep = "", "\n"
                    out.append(lsep + word[:limit])
                    word, lsep = word[limit:], "\n"
                if len(chunk) + len(word) + 1 > limit:
                    out.append(lsep + chunk)
                    chunk, lsep = word, "\n"
                else:
                    chunk = f"{chunk} {word}" if chunk else word
            if chunk:
                out.append(lsep + chunk)
    return out


def label(text: str) -> str:
    """An article's title or outlet as plain text in a message: its links, URLs and mentions dropped
    (retrieval.quoting), then whatever Markdown is left escaped (discord.utils)."""
    return escape_mentions(escape_markdown(neutralise(text)))


def skipped_line(path: str, error: str) -> str:
    """'• skipped `path`: reason' for an admin report; the reason can quote a file's front matter, so
    its Markdown and mentions are escaped."""
    shown = path.replace("`", "'")
    return f"• skipped `{shown}`: {escape_mentions(escape_markdown(error))}"


def link(url: str) -> str:
    """' <https://…>' (angle brackets stop Discord's link previews), or '' for a link we cannot show safely."""
    safe = safe_url(url)
    return f" <{safe}>" if safe else ""


def source_line(n: int, title: str, outlet: str, published: str, url: str) -> str:
    """'[1] Title — Outlet, 2023-12-06 <https://…>'."""
    meta = ", ".join(x for x in (label(outlet), published) if x)
    return f"[{n}] {label(title)}" + (f" — {meta}" if meta else "") + link(url)


def sources_block(answer: Answer) -> str:
    """The Sources footer, capped at MAX_SOURCES_SHOWN lines."""
    if not answer.citations:
        return ""
    heading = "**Closest sources**" if answer.refused else "**Sources**"
    lines = [
        source_line(c.n, c.title, c.outlet, c.published, c.url) for c in answer.citations[:MAX_SOURCES_SHOWN]
    ]
    if len(answer.citations) > MAX_SOURCES_SHOWN:
        lines.append(f"… and {len(answer.citations) - MAX_SOURCES_SHOWN} more")
    return heading + "\n" + "\n".join(lines)


@dataclass(frozen=True)
class Rendered:
    """How to send an answer: one embed description, or several plain messages."""

    embed_description: str | None
    messages: list[str]


def render_answer(answer: Answer, *, note: str = "") -> Rendered:
    """An embed when the answer and its sources fit one, otherwise plain messages under 2,000 characters."""
    body = answer.text.strip()
    if note:
        body = f"{body}\n\n*{note}*"
    sources = sources_block(answer)
    full = f"{body}\n\n{sources}" if sources else body
    if len(full) <= EMBED_DESCRIPTION_LIMIT:
        return Rendered(embed_description=full, messages=[])
    return Rendered(embed_description=None, messages=split_message(full))


def member_line(i: int, m: Member) -> str:
    """'9. Thailand — 5 April 2024 (#9) <source>'."""
    order = f" (#{m.order})" if m.order is not None else ""
    status = "" if m.status == "member" else f" — *{m.status}*"
    source = f" <{m.sources[0]}>" if m.sources else ""
    return f"{i}. {m.member} — {m.joined_human}{order}{status}{source}"


def pack_pages(head: str, lines: list[str], budget: int = 1850) -> list[str]:
    """Pages of whole lines under Discord's message limit, each starting with `head`, numbered."""
    pages: list[list[str]] = [[]]
    size = len(head) + 20
    for line in lines:
        if pages[-1] and size + len(line) + 1 > budget:
            pages.append([])
            size = len(head) + 20
        pages[-1].append(line[: budget - len(head) - 20])
        size += len(line) + 1
    total = len(pages)
    return [
        head + "\n\n" + "\n".join(page) + (f"\n\nPage {n}/{total}" if total > 1 else "")
        for n, page in enumerate(pages, start=1)
    ]


def member_pages(listing: MemberList) -> list[str]:
    """The count line on every page, then the members in joining order with a source each."""
    lines = [member_line(i, m) for i, m in enumerate(listing.members, start=1)] or ["(no members)"]
    if listing.others:
        lines += ["**Not counted:**"] + [
            f"• {m.member} — {m.joined_human} (*{m.status}*: {m.notes})"
            + (f" <{m.sources[0]}>" if m.sources else "")
            for m in listing.others
        ]
    return pack_pages(f"**{listing.count_line()}**", lines)


def member_detail(rows: list[Member]) -> str:
    """A member's coalitions with dates, notes and sources."""
    lines = [f"**{rows[0].member}**"]
    for m in rows:
        lines.append(f"• {m.summary[0].upper()}{m.summary[1:]}")
        if m.notes:
            lines.append(f"  {m.notes}")
        lines.append("  Sources: " + " ".join(f"<{u}>" for u in m.sources[:3]))
    if len({m.coalition for m in rows}) == 1:
        other = "ILRS" if rows[0].coalition == "artemis_accords" else "Artemis Accords"
        lines.append(f"• Not listed in the {other}.")
    return "\n".join(lines)


def overlap_text(pairs: list[tuple[Member, Member]]) -> str:
    confirmed = [(a, b) for a, b in pairs if a.status == b.status == "member"]
    lines = [f"**Members of both coalitions: {len(confirmed)}**"]
    for artemis, ilrs in pairs:
        flag = (
            ""
            if (artemis, ilrs) in confirmed
            else " — *" + (ilrs.status if ilrs.status != "member" else artemis.status) + "*"
        )
        lines.append(
            f"• {artemis.member}: ILRS {ilrs.joined_human}; Artemis Accords {artemis.joined_human}{flag}"
        )
        lines.append("  Sources: " + " ".join(f"<{u}>" for u in (ilrs.sources[:1] + artemis.sources[:1])))
    return "\n".join(lines)


def source_pages(docs: list[StoredDocument], query: str = "") -> list[str]:
    """Indexed articles, newest first, paginated."""
    head = f"**{len(docs)} indexed articles" + (f" matching “{query}”" if query else "") + ", newest first**"
    lines = [f"{d.published} — {label(d.title)} ({label(d.outlet)}){link(d.url)}" for d in docs] or ["(none)"]
    return pack_pages(head, lines)
