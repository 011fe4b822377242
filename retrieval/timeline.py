"""A chart of cumulative membership over time, from the members registry.

Drawn to read on Discord's light and dark themes alike: a transparent background, mid-grey text and
mid-tone lines. A member whose registry date is only a month (or a year) is drawn as a hollow point at
the start of that month and named in the caption, so no day is implied that the sources do not give.
"""

from __future__ import annotations

import io
from pathlib import Path

from retrieval.members_registry import SHORT_NAMES, Member, Registry, date_start

COLOURS = {"artemis_accords": "#4f8fe0", "ilrs": "#e0604f"}  # mid-tone: legible on white and on #313338
TEXT_COLOUR = "#8b929c"  # mid-grey: legible on both themes
TITLES = {
    "artemis_accords": "Artemis Accords: signatory countries over time",
    "ilrs": "ILRS: member countries over time",
}


def timeline_title(coalitions: list[str]) -> str:
    """The chart's title: one per coalition, or both."""
    if len(coalitions) == 1:
        return TITLES[coalitions[0]]
    return "Artemis Accords and ILRS: member countries over time"


def _counted(registry: Registry, coalition: str) -> list[Member]:
    return sorted(registry.members(coalition, member_type="country").members, key=lambda m: m.sort_key)


def imprecise(rows: list[Member]) -> list[Member]:
    """Rows dated to a month or a year only."""
    return [m for m in rows if len(m.joined) < 10]


def timeline_caption(registry: Registry, coalitions: list[str]) -> str:
    """'Latest: Artemis Accords 59 countries (latest joining 27 October 2025); …' plus the month-only dates."""
    parts = []
    vague: list[str] = []
    for coalition in coalitions:
        rows = _counted(registry, coalition)
        if rows:
            latest = max(rows, key=lambda m: m.sort_key)
            parts.append(
                f"{SHORT_NAMES[coalition]} {len(rows)} countries (latest joining {latest.joined_human})"
            )
            vague += [f"{m.member} ({m.joined_human})" for m in imprecise(rows)]
    text = "Member countries over time. Latest: " + "; ".join(parts) + "."
    if vague:
        text += (
            " Hollow points are dated to the month (or year) only, drawn at its start: "
            + ", ".join(vague)
            + "."
        )
    return text


def render_timeline(
    registry: Registry, coalition: str | None = None, out: Path | io.BytesIO | None = None
) -> bytes:
    """Draw the step chart and return the PNG bytes (also written to `out` when given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    coalitions = [registry.resolve_coalition(coalition)] if coalition else ["artemis_accords", "ilrs"]
    title = timeline_title(coalitions)
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
    fig.patch.set_alpha(0.0)
    ax.set_facecolor("none")
    any_vague = False
    for key in coalitions:
        rows = _counted(registry, key)
        if not rows:
            continue
        dates = [date_start(m.joined) for m in rows]
        counts = list(range(1, len(rows) + 1))
        colour = COLOURS[key]
        ax.step(
            dates,  # type: ignore[arg-type]
            counts,
            where="post",
            color=colour,
            linewidth=2.2,
            label=f"{SHORT_NAMES[key]} ({len(rows)} countries)",
        )
        exact = [(d, c) for d, c, m in zip(dates, counts, rows, strict=True) if len(m.joined) == 10]
        vague = [(d, c) for d, c, m in zip(dates, counts, rows, strict=True) if len(m.joined) < 10]
        if exact:
            ax.plot(*zip(*exact, strict=True), "o", color=colour, markersize=3.5)
        if vague:
            any_vague = True
            ax.plot(
                *zip(*vague, strict=True),
                "o",
                markersize=7,
                markerfacecolor="none",
                markeredgecolor=colour,
                markeredgewidth=1.8,
            )
        ax.annotate(
            str(len(rows)),
            (dates[-1], counts[-1]),
            textcoords="offset points",
            xytext=(6, 0),
            color=colour,
            fontweight="bold",
            va="center",
        )
    if any_vague:
        ax.plot(
            [],
            [],
            "o",
            markersize=7,
            markerfacecolor="none",
            markeredgecolor=TEXT_COLOUR,
            label="month (or year) known, day not",
        )
    ax.set_title(title, color=TEXT_COLOUR)
    ax.set_ylabel("member countries (cumulative)", color=TEXT_COLOUR)
    ax.tick_params(colors=TEXT_COLOUR)
    for spine in ax.spines.values():
        spine.set_color(TEXT_COLOUR)
    ax.grid(alpha=0.25, color=TEXT_COLOUR)
    legend = ax.legend(loc="upper left", frameon=False)
    for text in legend.get_texts():
        text.set_color(TEXT_COLOUR)
    fig.autofmt_xdate()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", transparent=True, metadata={"Title": title})
    plt.close(fig)
    data = buffer.getvalue()
    if isinstance(out, Path):
        out.write_bytes(data)
    elif out is not None:
        out.write(data)
    return data
