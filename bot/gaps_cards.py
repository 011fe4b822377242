"""/gaps as embed pages: one field per group of questions, largest first (pure: no Discord client).

Questions and 👎 comments are what members typed, so they are shown as plain text (links, mentions and
Markdown neutralised by `label`) and cut at a word; a group shows at most a few wordings and comments,
and says how many more there are, so that one group stays within one field.
"""

from __future__ import annotations

from bot.lists import Section, paginate
from bot.rendering import NOT_FOUND_COLOUR, EmbedPage, cut_at_word, discord_time, label, masked, short_date
from retrieval.gaps import GapGroup, GapReport

SHOWN_WORDINGS = 3  # other wordings of the example question
SHOWN_COMMENTS = 3
QUESTION_CHARS = 200
COMMENT_CHARS = 200


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def group_heading(n: int, group: GapGroup) -> str:
    """'1 · 3 questions (2 refused, 1 👎)'."""
    detail = [f"{group.refused} refused"] if group.refused else []
    if group.down_votes:
        detail.append(f"{group.down_votes} 👎")
    return f"{n} · {_plural(group.count, 'question')}" + (f" ({', '.join(detail)})" if detail else "")


def _more(lines: list[str], total: int, shown: int, what: str) -> None:
    if total > shown:
        lines.append(f"…and {total - shown} more {what}")


def group_lines(group: GapGroup) -> list[str]:
    """The example, other wordings, the closest article and the 👎 comments, one per line."""
    lines = [f"“{cut_at_word(label(group.example), QUESTION_CHARS)}”"]
    others = [q for q in group.distinct_questions() if q != group.example]
    lines += [f"also “{cut_at_word(label(q), QUESTION_CHARS)}”" for q in others[:SHOWN_WORDINGS]]
    _more(lines, len(others), SHOWN_WORDINGS, "wordings")
    if group.closest is None:
        lines.append("Closest article: none (nothing is indexed)")
    else:
        c = group.closest
        title = masked(cut_at_word(label(c.title), 150), c.url or "")
        when = f" · {short_date(c.published)}" if c.published else ""
        lines.append(f"Closest article: {title}{when}")
    reasons = group.reasons
    lines += [f"👎 “{cut_at_word(label(r), COMMENT_CHARS)}”" for r in reasons[:SHOWN_COMMENTS]]
    _more(lines, len(reasons), SHOWN_COMMENTS, "comments")
    return lines


def gap_pages(report: GapReport) -> list[EmbedPage]:
    """The report as pages under Discord's embed limits; one page saying so when there is nothing."""
    period = report.period
    since = discord_time(report.since.isoformat(), "f")
    title = f"Coverage gaps · {period}"
    if not report.groups:
        return [
            EmbedPage(
                f"No questions were refused or voted 👎 since {since}.",
                title,
                NOT_FOUND_COLOUR,
            )
        ]
    groups = len(report.groups) + report.more_groups
    description = (
        f"{_plural(report.questions, 'question')} refused or voted 👎 since {since}, in "
        f"{_plural(groups, 'group')} of similar questions, largest first. Each names the indexed article "
        "closest to it: add one that answers it, or check why that one did not."
    )
    if report.more_groups:
        description += f"\nShowing the {len(report.groups)} largest; {report.more_groups} smaller left out."
    if report.capped:
        description += f"\nOnly the newest {report.questions} questions were grouped."
    sections = [Section(group_heading(n, g), group_lines(g)) for n, g in enumerate(report.groups, start=1)]
    return paginate(title, description, sections)
