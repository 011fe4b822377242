"""Pure rendering for Discord: answers as embeds, sources as clickable titles, splitting under Discord's limits.

No Discord client here (only discord.utils' pure escaping helpers): these take plain data and return
strings and `EmbedPage`s (plain data in Discord's embed shape), so they are tested with input/output
tables; the cogs turn them into `discord.Embed`s. Titles and outlets are article data: `label` renders
them as plain text, and a link is only ever a source's own (`masked`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from discord.utils import escape_markdown, escape_mentions

from retrieval.answer_types import Answer, Citation
from retrieval.quoting import neutralise, safe_url

MESSAGE_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # title, description, field names and values, footer and author together
MAX_SOURCES_SHOWN = 8

# Colours chosen to read on both Discord themes (mid-tone, not near white or near black).
ANSWER_COLOUR = 0x3B82C4  # blue
REFUSAL_COLOUR = 0xC98A1B  # amber: not an answer
LIST_COLOUR = 0x5B6EAE  # slate blue: lists, status and help
NOT_FOUND_COLOUR = 0x8A8F98  # grey

_MACHINE_NOTE = re.compile(r"[a-z_]+:[\w:-]+")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class EmbedPage:
    """One embed as plain data (Discord's embed JSON via `to_dict`)."""

    description: str = ""
    title: str = ""
    colour: int = ANSWER_COLOUR
    fields: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""
    content: str = ""  # text sent with the embed in the same message (outside it)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"type": "rich", "color": self.colour}
        if self.title:
            data["title"] = self.title
        if self.description:
            data["description"] = self.description
        if self.fields:
            data["fields"] = [{"name": n, "value": v, "inline": False} for n, v in self.fields]
        if self.footer:
            data["footer"] = {"text": self.footer}
        return data

    def size(self) -> int:
        """Characters Discord counts towards the 6,000 per message."""
        return (
            len(self.title)
            + len(self.description)
            + sum(len(n) + len(v) for n, v in self.fields)
            + len(self.footer)
        )


# -- text helpers -----------------------------------------------------------------------------------------
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


def cut_at_word(text: str, limit: int) -> str:
    """`text` if it fits, else cut at the last word boundary before `limit` with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # the cut falls inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


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


def link_target(url: str) -> str:
    """A link safe inside `[text](…)`: an http(s) URL with nothing that could close it; '' otherwise."""
    safe = safe_url(url)
    return re.sub(r"[()]", lambda m: urllib.parse.quote(m.group(0)), safe) if safe else ""


def masked(text: str, url: str) -> str:
    """'[text](url)', a clickable text; the plain text when there is no link we can show safely."""
    shown = text.replace("[", "\\[").replace("]", "\\]")
    target = link_target(url)
    return f"[{shown}]({target})" if target else shown


def short_date(date: str) -> str:
    """'2023-12-06' -> '6 Dec 2023', '2023-10' -> 'Oct 2023', '2021' -> '2021' (day first, as answers write it)."""
    parts = date.split("-") if date else []
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return date
    return date


def discord_time(iso: str, style: str = "R") -> str:
    """'<t:1700000000:R>' (Discord shows it in the reader's time zone: 'in 2 hours', '3 days ago'), or ''."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return f"<t:{int(moment.timestamp())}:{style}>"


def pack_lines(lines: Sequence[str], limit: int) -> list[str]:
    """Consecutive lines joined into blocks of at most `limit` characters (a longer line is cut at a word)."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        line = line if len(line) <= limit else cut_at_word(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            blocks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(current)
    return blocks


# -- answers ----------------------------------------------------------------------------------------------
def source_entry(
    n: int, title: str, outlet: str, published: str, url: str, summary_of: str | None = None
) -> str:
    """'[1] [Title](url) — Outlet · 6 Dec 2023'; a summary written from a report says so:
    '[1] [Title](url) — summary of SpaceNews report · 5 Apr 2024'."""
    shown = cut_at_word(label(title), 150) or "Untitled"
    if summary_of is not None:
        who = f"summary of {label(summary_of) or (label(outlet) + ' report').strip()}"
    else:
        who = label(outlet)
    meta = " · ".join(x for x in (who, short_date(published)) if x)
    line = f"[{n}] {masked(shown, url)}" + (f" — {meta}" if meta else "")
    if len(line) > FIELD_VALUE_LIMIT:  # an absurdly long link: the title without it
        line = f"[{n}] {shown}" + (f" — {meta}" if meta else "")
    return line


def source_entries(citations: Sequence[Citation], summaries: Mapping[str, str]) -> list[str]:
    """One entry per citation (capped at MAX_SOURCES_SHOWN), summaries presented as such."""
    lines = [
        source_entry(c.n, c.title, c.outlet, c.published, c.url, summaries.get(c.doc_id))
        for c in citations[:MAX_SOURCES_SHOWN]
    ]
    if len(citations) > MAX_SOURCES_SHOWN:
        lines.append(f"… and {len(citations) - MAX_SOURCES_SHOWN} more")
    return lines


def footer_for(answer: Answer) -> str:
    """'From 2 articles · answered offline' (none for a refusal: its sources are only the closest)."""
    if answer.refused or not answer.citations:
        return ""
    n = len({c.doc_id for c in answer.citations})
    how = "answered offline" if answer.answerer == "offline" else "answered by a language model"
    return f"From {n} article{'s' if n != 1 else ''} · {how}"


@dataclass(frozen=True)
class AnswerCard:
    """Everything shown with one answer, besides the answer itself."""

    title: str  # the question as asked (cleaned)
    read_as: str = ""  # the question as read, when a follow-up was made standalone
    summaries: Mapping[str, str] = field(default_factory=dict)  # doc_id -> what a summary summarises
    next_steps: Sequence[str] = ()  # for a refusal: commands and a rephrasing hint
    hint: str = ""  # how to follow up (the first answer in a thread)


def render_answer(answer: Answer, card: AnswerCard) -> list[EmbedPage]:
    """The answer as embeds: the question as title, the answer, a Sources field, a plain footer.

    A refusal has its own colour, the closest sources and next steps. An answer too long for one
    embed continues in more (one per message); the last carries the sources and the footer."""
    colour = REFUSAL_COLOUR if answer.refused else ANSWER_COLOUR
    body = answer.text.strip()
    if card.read_as:
        body = f"*Read as: {escape_markdown(card.read_as)}*\n\n{body}"
    if answer.note and not _MACHINE_NOTE.fullmatch(answer.note):  # "registry:member" is for logs, not people
        body = f"{body}\n\n*{answer.note}*"
    fields: list[tuple[str, str]] = []
    sources = source_entries(answer.citations, card.summaries)
    heading = "Closest sources" if answer.refused else "Sources"
    for i, block in enumerate(pack_lines(sources, FIELD_VALUE_LIMIT)):
        fields.append((heading if i == 0 else f"{heading} (continued)", block))
    if answer.refused and card.next_steps:
        steps = pack_lines([f"• {s}" for s in card.next_steps], FIELD_VALUE_LIMIT)
        fields.append(("Try", steps[0]))
    if card.hint:
        fields.append(("Follow up", card.hint))
    title = cut_at_word(card.title, EMBED_TITLE_LIMIT) or "Your question"
    footer = footer_for(answer)
    tail = sum(len(n) + len(v) for n, v in fields) + len(footer)
    room = min(EMBED_DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - len(title) - tail - 50)
    parts = split_message(body, room) if len(body) > room else [body]
    if len(parts) == 1:
        return [EmbedPage(parts[0], title, colour, fields, footer)]
    pages = [EmbedPage(parts[0], title, colour)]
    pages += [EmbedPage(p, "", colour) for p in parts[1:-1]]
    pages.append(EmbedPage(parts[-1], "", colour, fields, footer))
    return pages
