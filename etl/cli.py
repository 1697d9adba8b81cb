"""`python -m etl build|check`: exit 0 when the data are good, 1 when invalid, 2 on usage
errors, 3 on an internal error (a bug: the message says what failed, never a traceback),
130 when interrupted (Ctrl-C). Problems and notes are in English, or in Chinese with
`--lang zh` (or VOCDASH_LANG=zh)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .messages import text
from .problems import DataError

DEFAULT_DATA_DIR = Path("data/curated")
DEFAULT_DOCUMENTS = Path("data/documents")
DEFAULT_DB = Path(os.environ.get("VOCDASH_DB", "data/warehouse.duckdb"))
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
SHOWN_PROBLEMS = 500  # beyond this a broken 100 MB file would only flood the terminal


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="validate the curated CSVs and build the DuckDB warehouse")
    check = commands.add_parser("check", help="validate the curated CSVs only")
    for command in (build, check):
        command.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
        command.add_argument("--documents", type=Path, default=DEFAULT_DOCUMENTS,
                             help="the sources' documents, for the evidence check (default: data/documents)")
        command.add_argument("--lang", choices=("en", "zh"),
                             default=os.environ["VOCDASH_LANG"] if os.environ.get("VOCDASH_LANG") in ("en", "zh") else "en",
                             help="language of problems and notes (default: en, or VOCDASH_LANG)")
    build.add_argument("--db", type=Path, default=DEFAULT_DB)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: data directory {args.data_dir} does not exist", file=sys.stderr)
        return EXIT_USAGE
    target = getattr(args, "db", None)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return _interrupted(target)
    except Exception as error:  # a bug, not bad data: say what failed, never a traceback
        if _is_interrupt(error):
            return _interrupted(target)
        stage = _STAGE[0]
        detail = f"{type(error).__name__}: {str(error)[:300]}"
        print(text("internal_error", args.lang, {"doing": stage[0].format(dir=args.data_dir, db=target),
                                                   "doing_zh": stage[1].format(dir=args.data_dir, db=target),
                                                   "error": detail}), file=sys.stderr)
        return EXIT_INTERNAL


def _interrupted(target) -> int:
    where = f"{target} was left as it was" if target else "nothing was loaded"
    print(f"interrupted; {where}", file=sys.stderr)
    return EXIT_INTERRUPTED


def _is_interrupt(error: BaseException) -> bool:
    """Ctrl-C inside a DuckDB query surfaces as DuckDB's own error (InterruptException, or
    a RuntimeError "Query interrupted"), with the KeyboardInterrupt as its context."""
    seen = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt) or type(seen).__name__ == "InterruptException":
            return True
        if isinstance(seen, RuntimeError) and str(seen).strip() == "Query interrupted":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


_READING = ("reading and checking the files in {dir}", "读取并检查 {dir} 中的文件")
_BUILDING = ("building {db}", "构建 {db}")
_STAGE = [_READING]


def _run(args) -> int:
    from .validate import validate_dir

    _STAGE[0] = _READING
    lang = args.lang
    try:
        dataset = validate_dir(args.data_dir, documents=args.documents)
    except DataError as error:
        for problem in error.problems[:SHOWN_PROBLEMS]:
            print(problem.render(lang), file=sys.stderr)
        hidden = len(error.problems) - SHOWN_PROBLEMS
        if hidden > 0:
            print(f"... and {hidden} more", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found in {args.data_dir}; nothing was loaded", file=sys.stderr)
        return EXIT_INVALID
    for note in dataset.notes:
        print(f"note: {note.text(lang)}", file=sys.stderr)

    counts = dataset.row_counts()
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    if args.command == "check":
        print(f"{args.data_dir}: valid ({summary})")
        return EXIT_OK

    from .warehouse import build

    _STAGE[0] = _BUILDING
    build(dataset, args.db)
    width = max(len(name) for name in counts)
    print(f"built {args.db}")
    for name, count in counts.items():
        print(f"  {name:<{width}}  {count:>8,} rows")
    return EXIT_OK
