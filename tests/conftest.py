"""Shared fixtures: the curated data, copies of it to break, and small warehouses."""
from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "data" / "curated"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the curated CSVs, safe to break."""
    target = tmp_path / "curated"
    shutil.copytree(CURATED, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict], encoding: str = "utf-8") -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def append_row(path: Path, **cells) -> int:
    """Append a row (unnamed columns copied from the file's first row); return its line."""
    header, rows = read_rows(path)
    row = dict(rows[0]) if rows else {name: "" for name in header}
    row.update({name: str(value) for name, value in cells.items()})
    rows.append(row)
    write_rows(path, header, rows)
    return len(rows) + 1  # header is line 1; no quoted line breaks in the curated data


def edit_row(path: Path, index: int, **cells) -> int:
    """Change cells of data row `index` (0-based); return its line."""
    header, rows = read_rows(path)
    rows[index].update({name: str(value) for name, value in cells.items()})
    write_rows(path, header, rows)
    return index + 2


@pytest.fixture(scope="session")
def curated_dataset():
    from etl.validate import validate_dir

    return validate_dir(CURATED)


@pytest.fixture(scope="session")
def curated_db(tmp_path_factory, curated_dataset) -> Path:
    """A warehouse built by the ETL from the shipped curated data."""
    from etl.warehouse import build

    path = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    build(curated_dataset, path)
    return path
