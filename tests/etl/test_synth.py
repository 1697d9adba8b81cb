"""etl.synth: national-scale demo data in the curated format, plainly synthetic, reproducible."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import synth
from etl.cli import main as etl_main
from etl.spec import TABLES
from etl.validate import validate_dir
from etl.warehouse import build
from tests.conftest import CURATED, ROOT

FILES = [table.file_name for table in TABLES]


def generate(out: Path, institutions: int = 300, years: int = 3, seed: int | None = None) -> Path:
    argv = ["--institutions", str(institutions), "--years", str(years), "--out", str(out)]
    if seed is not None:
        argv += ["--seed", str(seed)]
    assert synth.main(argv) == 0
    return out


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "etl.synth", *args], cwd=ROOT, capture_output=True, text=True)


def read(directory: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(directory / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """300 institutions × 3 years, seed 1."""
    return generate(tmp_path_factory.mktemp("synth") / "small")


@pytest.fixture(scope="module")
def small_dataset(small):
    return validate_dir(small)


def test_writes_the_five_files_header_first(small):
    for table in TABLES:
        raw = (small / table.file_name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(table.column_names)


def test_passes_validation_and_builds(tmp_path, small, small_dataset):
    counts = small_dataset.row_counts()
    assert counts["institutions"] == 300
    assert counts["sources"] >= 300 * 3
    assert counts["observations"] > 1000 and counts["awards"] > 100
    db = tmp_path / "synth.duckdb"
    build(small_dataset, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == counts["observations"]
        # every figure's source belongs to its institution (also a validation rule)
        assert con.execute(
            "SELECT count(*) FROM observations o JOIN sources s USING (source_id) WHERE s.institution_id <> o.institution_id"
        ).fetchone()[0] == 0
    finally:
        con.close()


def test_etl_cli_checks_and_builds_it(tmp_path, small, capsys):
    assert etl_main(["check", "--data-dir", str(small)]) == 0
    assert etl_main(["build", "--data-dir", str(small), "--db", str(tmp_path / "x.duckdb")]) == 0
    assert "valid" in capsys.readouterr().out


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, small):
    again = generate(tmp_path / "again", seed=1)
    other = generate(tmp_path / "other", seed=2)
    for name in FILES:
        assert (again / name).read_bytes() == (small / name).read_bytes(), name
    for name in FILES:
        if name not in ("indicators.csv", "standards.csv"):  # copied from the real files, the same for every seed
            assert (other / name).read_bytes() != (small / name).read_bytes(), name


def test_plainly_marked_synthetic(small):
    institutions, sources = read(small, "institutions"), read(small, "sources")
    assert institutions["is_synthetic"].eq("true").all() and sources["is_synthetic"].eq("true").all()
    assert institutions["institution_id"].str.fullmatch(r"syn\d{5}").all()
    assert institutions["name_zh"].str.contains("合成院校").all() and institutions["name_zh"].str.endswith("（演示数据）").all()
    assert institutions["name_en"].str.startswith("Synthetic College").all()
    assert sources["title"].str.startswith("【合成数据】").all()
    assert sources["document"].eq("").all() and sources["url"].eq("").all()
    for name in ("observations", "awards"):
        assert read(small, name)["evidence"].str.contains("合成数据").all()


def test_indicators_are_the_real_rows(small):
    real = read(CURATED, "indicators").set_index("indicator_id")
    copied = read(small, "indicators").set_index("indicator_id")
    assert 25 <= len(copied) <= 40
    pd.testing.assert_frame_equal(copied, real.loc[copied.index])
    observed = set(read(small, "observations")["indicator_id"])
    assert observed == set(copied.index)
    assert set(copied["theme"]) == {"employment", "training", "competition", "party_building", "other"}


def test_gaps_and_no_zeros(small_dataset):
    observations = small_dataset.frames["observations"]
    indicators = small_dataset.frames["indicators"].set_index("indicator_id")
    actual = observations[observations["kind"] == "actual"]
    assert len(actual) < 0.8 * 300 * len(indicators) * 3  # far from every institution × indicator × year
    per_institution = actual.groupby("institution_id").size()
    assert per_institution.min() < 0.5 * per_institution.median()  # some colleges report much less
    unit = observations["indicator_id"].astype(str).map(indicators["unit"])
    assert (observations["value"] > 0).all()
    assert (observations.loc[unit.eq("percent"), "value"] <= 100).all()
    counts = observations.loc[~unit.isin(["percent", "yuan_10k"]), "value"]
    assert (counts == counts.round()).all()
    assert (small_dataset.frames["awards"]["count"] >= 1).all()


def test_realistic_values(small_dataset):
    observations = small_dataset.frames["observations"]
    actual = observations[observations["kind"] == "actual"]
    by = actual.groupby(actual["indicator_id"].astype(str))["value"].median()
    assert 85 <= by["emp_destination_rate"] <= 99
    assert by["emp_initial_rate"] < by["emp_destination_rate"]
    assert 100 <= by["oth_graduates"] <= 5000
    assert 1000 <= by["trn_social_training_person_times"] <= 50000


def test_qualifiers_periods_and_targets(small_dataset):
    observations = small_dataset.frames["observations"]
    shares = observations["qualifier"].value_counts(normalize=True)
    assert shares["exact"] > 0.85 and {"approx", "more_than", "at_least"} <= set(shares.index)
    actual = observations[observations["kind"] == "actual"]
    assert set(actual["period"]) == {2022, 2023, 2024}
    targets = observations[observations["kind"] == "target"]
    assert len(targets) > 0 and set(targets["period"]) == {2025}
    sources = small_dataset.frames["sources"].set_index("source_id")
    assert set(sources.loc[targets["source_id"].astype(str), "kind"]) == {"work_plan"}
    key = ["institution_id", "indicator_id"]
    last = actual[actual["period"] == 2024].set_index(key)["value"]
    assert (targets.set_index(key)["value"] >= last.reindex(targets.set_index(key).index)).all()
    institutions = small_dataset.frames["institutions"].set_index("institution_id")
    academic = observations[observations["period_type"] == "academic_year"]["institution_id"].astype(str)
    assert set(institutions.loc[academic.unique(), "type"]) <= {"technician_college"}


def test_awards_at_every_level(small_dataset):
    awards = small_dataset.frames["awards"]
    assert {"national", "provincial", "municipal", "school"} <= set(awards["level"])
    assert {"student", "teacher", "institution"} <= set(awards["recipient"])
    assert (awards["unit"] == "items").mean() > 0.5
    assert not awards["is_total"].any()
    assert awards["competition"].str.endswith("（合成）").all()


def test_types_in_national_proportions(tmp_path):
    out = generate(tmp_path / "n2000", institutions=2000, years=1)
    institutions = read(out, "institutions")
    shares = institutions["type"].value_counts(normalize=True)
    total = sum(synth.NATIONAL_COUNTS)
    for name, national in zip(("higher_vocational", "secondary_vocational", "technician_college", "open_university"),
                              synth.NATIONAL_COUNTS):
        assert shares[name] == pytest.approx(national / total, abs=0.01), name
    assert institutions["province"].nunique() == 31
    assert institutions.groupby("province")["province_en"].nunique().eq(1).all()
    assert institutions.groupby("city")["province"].nunique().eq(1).all()
    counts = institutions["province"].value_counts()
    assert counts["广东"] > counts["宁夏"] > 0


def test_refuses_to_write_into_curated():
    """As a curator would run it: a subprocess from the repository root."""
    before = {path.name: path.read_bytes() for path in CURATED.iterdir()}
    result = run_cli("--institutions", "3", "--years", "1", "--out", "data/curated")
    assert result.returncode == 2
    assert "refusing" in result.stderr and "data/curated" in result.stderr
    assert result.stdout == ""
    assert {path.name: path.read_bytes() for path in CURATED.iterdir()} == before


@pytest.mark.parametrize("target", ["data/curated/", "data/curated/demo", "data/../data/curated/x/y", "link"])
def test_refuses_any_path_inside_curated(tmp_path, monkeypatch, capsys, target):
    monkeypatch.chdir(ROOT)
    if target == "link":
        target = tmp_path / "looks-harmless"
        target.symlink_to(CURATED)
    before = sorted(path.name for path in CURATED.rglob("*"))
    assert synth.main(["--institutions", "3", "--years", "1", "--out", str(target)]) == 2
    assert "refusing" in capsys.readouterr().err
    assert sorted(path.name for path in CURATED.rglob("*")) == before


@pytest.mark.parametrize("argv", [
    [],
    ["--institutions", "0", "--years", "1"],
    ["--institutions", "x", "--years", "1"],
    ["--institutions", "3", "--years", "0"],
    ["--institutions", "3", "--years", "200"],
])
def test_usage_errors_exit_2(tmp_path, argv):
    with pytest.raises(SystemExit) as exit_:
        synth.main(argv + (["--out", str(tmp_path)] if argv else []))
    assert exit_.value.code == 2


def test_prints_a_one_line_summary(tmp_path, capsys):
    assert synth.main(["--institutions", "20", "--years", "2", "--out", str(tmp_path / "cli"), "--seed", "7"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    for table in TABLES:
        assert table.name in lines[0]
    assert " s " in lines[0]
