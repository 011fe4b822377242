"""`python -m bench [--only main|postgres] [--sizes 1000 10000 100000] [--work DIR]`: run the benchmarks,
write bench/results."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.run import REPO, SECTIONS, run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10_000, 100_000],
        help="corpus sizes in chunks (the 100k point derives its vectors from the 10k one)",
    )
    parser.add_argument(
        "--work", type=Path, default=REPO / "bench" / "out", help="scratch folder (kept, reused)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        help="run one section (postgres: the catalog in PostgreSQL against SQLite); "
        "the other section's figures are kept from the previous bench.json",
    )
    parser.add_argument(
        "--postgres-sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="corpus sizes of the postgres section (it reuses the main section's indexes in --work)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    # a terminated run still stops the servers it started (they stop when their context managers exit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    run(args.out, args.work, sorted(args.sizes), only=args.only, postgres_sizes=sorted(args.postgres_sizes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
