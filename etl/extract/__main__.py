"""`python -m etl.extract REPORT --institution-id ID --source-id ID --out DIR`

Writes DIR/observations.csv and DIR/awards.csv: candidate rows in the curated format (the
columns of etl.spec) plus line, confidence and suggestions. Exit 0 on success, 1 when the
report cannot be read (the message says why), 2 on usage errors.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from pathlib import Path

from etl.spec import PERIOD_TYPES

from .core import Extraction, Options, extract_bytes
from .readers import ExtractError
from .suggest import _read, load_catalogue

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl.extract", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path, help="the report: .txt, .docx or .pdf (with a text layer)")
    parser.add_argument("--institution-id", required=True)
    parser.add_argument("--source-id", required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder for observations.csv and awards.csv")
    parser.add_argument("--period", type=int, help="the report's year, when its title does not say (2021)")
    parser.add_argument("--period-type", choices=PERIOD_TYPES)
    parser.add_argument("--data-dir", type=Path, default=Path("data/curated"),
                        help="the curated tables: the indicator catalogue and the institution's city")
    return parser


def csv_text(extraction: Extraction, table: str) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(Extraction.columns(table)), lineterminator="\n")
    writer.writeheader()
    writer.writerows(extraction.rows(table))
    return buffer.getvalue()


def options_for(institution_id: str, source_id: str, data_dir: Path | None, period=None, period_type=None) -> Options:
    place = next((row for row in (_read(data_dir / "institutions.csv") if data_dir else [])
                  if row.get("institution_id") == institution_id), {})
    return Options(institution_id, source_id, period, period_type, place.get("province", ""), place.get("city", ""))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.period is not None and not 1949 <= args.period <= 2100:
        print(f"error: --period {args.period} is not a year", file=sys.stderr)
        return EXIT_USAGE
    try:
        raw = args.report.read_bytes()
    except FileNotFoundError:
        print(f"error: {args.report}: no such file", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"error: {args.report}: cannot be read: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    data_dir = args.data_dir if args.data_dir.is_dir() else None
    if data_dir is None:
        print(f"note: {args.data_dir} not found: no indicator suggestions", file=sys.stderr)
    options = options_for(args.institution_id, args.source_id, data_dir, args.period, args.period_type)
    try:
        extraction = extract_bytes(raw, args.report.name, options, load_catalogue(data_dir) if data_dir else None)
    except ExtractError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    args.out.mkdir(parents=True, exist_ok=True)
    for table in ("observations", "awards"):
        target = args.out / f"{table}.csv"
        temporary = target.with_suffix(".csv.tmp")
        temporary.write_bytes(csv_text(extraction, table).encode("utf-8-sig"))
        os.replace(temporary, target)
    print(f"{args.report.name}: {len(extraction.observations)} observation and {len(extraction.awards)} award candidates "
          f"(period {extraction.period or '?'} {extraction.period_type}) -> {args.out}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
