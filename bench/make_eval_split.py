"""One-off: merge the evaluation question pools and split them once into tuning and a frozen test set.

Run once (2026-11-27) and committed with its output, `tests/data/questions.jsonl`; it is kept to show
how the split was made, not to be re-run. The older development set (qa_dev.jsonl, which the answerer
was tuned on before) goes wholly to tuning. The fresh pools, written against the corpus by people who
never saw the answerer's code and checked by a second reviewer (tests/data/REVIEW.md), are split at
random with a fixed seed, stratified by kind so that every kind has test questions. Nobody tuning the
answerer reads the test questions: the evaluation prints only aggregate figures for them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20261127
TEST_SHARE = 0.4
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    out: list[dict[str, object]] = []
    for line in (DATA / "qa_dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row.setdefault("kind", "dev")
            row.setdefault("style", "informal")
            row.setdefault("polarity", None)
            row.setdefault("context", None)
            row["split"] = "tuning"
            out.append(row)
    pool: dict[str, list[dict[str, object]]] = {}
    for name in ("pool_structured.jsonl", "pool_free.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                pool.setdefault(str(row["kind"]), []).append(row)
    rng = random.Random(SEED)
    for kind in sorted(pool):
        rows = sorted(pool[kind], key=lambda r: str(r["id"]))
        rng.shuffle(rows)
        n_test = round(len(rows) * TEST_SHARE)
        for i, row in enumerate(rows):
            row["split"] = "test" if i < n_test else "tuning"
        out += sorted(rows, key=lambda r: str(r["id"]))
    with (DATA / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[tuple[str, str], int] = {}
    for row in out:
        key = (str(row["kind"]), str(row["split"]))
        counts[key] = counts.get(key, 0) + 1
    for kind in sorted({k for k, _ in counts}):
        print(f"{kind:15} tuning {counts.get((kind, 'tuning'), 0):3}  test {counts.get((kind, 'test'), 0):3}")
    print("total", len(out), "test", sum(1 for r in out if r["split"] == "test"))


if __name__ == "__main__":
    main()
