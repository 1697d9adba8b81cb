"""`python -m etl build|check`: exit 0 when the data are good, 1 when invalid, 2 on usage errors."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import DataError
from .validate import validate_dir

DEFAULT_DATA_DIR = Path("data/curated")
DEFAULT_DB = Path(os.environ.get("VOCDASH_DB", "data/warehouse.duckdb"))
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
SHOWN_PROBLEMS = 500  # beyond this a broken 100 MB file would only flood the terminal


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="validate the curated CSVs and build the DuckDB warehouse")
    build.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    build.add_argument("--db", type=Path, default=DEFAULT_DB)
    check = commands.add_parser("check", help="validate the curated CSVs only")
    check.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: data directory {args.data_dir} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:
        dataset = validate_dir(args.data_dir)
    except DataError as error:
        for problem in error.problems[:SHOWN_PROBLEMS]:
            print(problem, file=sys.stderr)
        hidden = len(error.problems) - SHOWN_PROBLEMS
        if hidden > 0:
            print(f"... and {hidden} more", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found in {args.data_dir}; nothing was loaded", file=sys.stderr)
        return EXIT_INVALID
    for note in dataset.notes:
        print(f"note: {note}", file=sys.stderr)

    counts = dataset.row_counts()
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    if args.command == "check":
        print(f"{args.data_dir}: valid ({summary})")
        return EXIT_OK

    from .warehouse import build

    try:
        build(dataset, args.db)
    except KeyboardInterrupt:
        print(f"interrupted; {args.db} was left as it was", file=sys.stderr)
        return 130
    width = max(len(name) for name in counts)
    print(f"built {args.db}")
    for name, count in counts.items():
        print(f"  {name:<{width}}  {count:>8,} rows")
    return EXIT_OK
