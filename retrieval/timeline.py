"""A chart of cumulative membership over time for both coalitions, from the members registry."""

from __future__ import annotations

import io
from pathlib import Path

from retrieval.members_registry import SHORT_NAMES, Registry, date_start

COLOURS = {"artemis_accords": "#1f5fa8", "ilrs": "#c0392b"}


def timeline_caption(registry: Registry, coalitions: list[str]) -> str:
    """'Latest: Artemis Accords 59 countries (27 October 2025); ILRS 16 countries (April 2025).'"""
    parts = []
    for coalition in coalitions:
        rows = [m for m in registry.members(coalition, member_type="country").members]
        if rows:
            latest = max(rows, key=lambda m: m.sort_key)
            parts.append(f"{SHORT_NAMES[coalition]} {len(rows)} countries (latest joining {latest.joined_human})")
    return "Member countries over time. Latest: " + "; ".join(parts) + "."


def render_timeline(registry: Registry, coalition: str | None = None, out: Path | io.BytesIO | None = None) -> bytes:
    """Draw the step chart and return the PNG bytes (also written to `out` when given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    coalitions = [registry.resolve_coalition(coalition)] if coalition else ["artemis_accords", "ilrs"]
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
    for key in coalitions:
        rows = sorted(registry.members(key, member_type="country").members, key=lambda m: m.sort_key)
        dates = [date_start(m.joined) for m in rows]
        counts = list(range(1, len(rows) + 1))
        if not rows:
            continue
        ax.step(dates, counts, where="post", color=COLOURS[key], linewidth=2,  # type: ignore[arg-type]
                label=f"{SHORT_NAMES[key]} ({len(rows)} countries)")
        ax.annotate(str(len(rows)), (dates[-1], counts[-1]), textcoords="offset points", xytext=(6, 0),
                    color=COLOURS[key], fontweight="bold", va="center")
    ax.set_title("Countries in each coalition over time")
    ax.set_ylabel("member countries (cumulative)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = buffer.getvalue()
    if isinstance(out, Path):
        out.write_bytes(data)
    elif out is not None:
        out.write(data)
    return data
