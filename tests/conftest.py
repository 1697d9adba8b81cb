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


def add_test_institutions(data_dir: Path, count: int) -> list[str]:
    """Add `count` plainly-synthetic institutions, each with a source and two figures on
    indicators the real colleges also report, so compare has six to choose from."""
    from tests.conftest import append_row as _append

    ids = []
    for number in range(1, count + 1):
        iid = f"test_college_{number}"
        ids.append(iid)
        _append(
            data_dir / "institutions.csv", institution_id=iid, name_zh=f"测试学院{number}", name_en=f"Test College {number}",
            type="higher_vocational", alt_name_zh="", alt_name_en="", secondary_type="", province="测试省",
            province_en="Testland", city="测试市", city_en="Test City", is_synthetic="true",
        )
        source = f"{iid}_2021"
        _append(
            data_dir / "sources.csv", source_id=source, institution_id=iid, title=f"测试学院{number}2021年总结",
            title_en="Test summary", kind="annual_summary", published="", period_label="2021年度",
            period_label_en="2021", document="", url="", is_synthetic="true", notes="合成测试数据",
        )
        for indicator, value in (("pb_central_group_sessions", 8 + number), ("trn_social_training_person_times", 1000 * number)):
            _append(
                data_dir / "observations.csv", institution_id=iid, indicator_id=indicator, period="2021", period_end="",
                period_type="calendar_year", value=str(value), qualifier="exact", kind="actual", basis="flow", since="",
                as_of="", derivation="", source_id=source, evidence=f"合成测试数据：{value}", notes="", conflict="",
            )
    return ids


@pytest.fixture(scope="session")
def seven_college_db(tmp_path_factory) -> Path:
    """The curated data plus two synthetic test colleges: seven institutions."""
    from etl.validate import validate_dir
    from etl.warehouse import build

    directory = tmp_path_factory.mktemp("seven") / "curated"
    shutil.copytree(CURATED, directory)
    add_test_institutions(directory, 2)
    path = directory.parent / "warehouse.duckdb"
    build(validate_dir(directory), path)
    return path


SYNTH_INSTITUTIONS = 60  # more than the distribution threshold (30), small enough to build in a second


@pytest.fixture(scope="session")
def synth_db(tmp_path_factory) -> Path:
    """A warehouse the ETL built from etl.synth's plainly synthetic data: 60 institutions
    over 3 years, enough for the theme pages' distribution mode. Two indicators have their
    direction changed so direction rules get tested: pb_warning_education_meetings is
    lower-is-better and oth_papers_published has no direction."""
    from etl import synth
    from etl.validate import validate_dir
    from etl.warehouse import build

    directory = tmp_path_factory.mktemp("synth") / "csv"
    assert synth.main(["--institutions", str(SYNTH_INSTITUTIONS), "--years", "3", "--out", str(directory)]) == 0
    _, rows = read_rows(directory / "indicators.csv")
    for index, row in enumerate(rows):
        if row["indicator_id"] == "pb_warning_education_meetings":
            edit_row(directory / "indicators.csv", index, higher_is_better="false")
        if row["indicator_id"] == "oth_papers_published":
            edit_row(directory / "indicators.csv", index, higher_is_better="")
    path = directory.parent / "warehouse.duckdb"
    build(validate_dir(directory), path)
    return path
