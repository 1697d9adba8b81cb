"""`python -m etl build|check` as a curator runs it."""
from __future__ import annotations

import hashlib
import subprocess
import sys

from tests.conftest import ROOT, edit_row


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_check_passes_on_the_curated_data(data_dir):
    result = run("check", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "observations" in result.stdout


def test_build_prints_rows_per_table(tmp_path, data_dir):
    db = tmp_path / "w.duckdb"
    result = run("build", "--data-dir", str(data_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert db.exists()
    for table in ("institutions", "sources", "indicators", "observations", "awards"):
        assert table in result.stdout


def test_invalid_data_exit_1_with_every_problem_and_no_build(tmp_path, data_dir):
    db = tmp_path / "w.duckdb"
    assert run("build", "--data-dir", str(data_dir), "--db", str(db)).returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    first = edit_row(data_dir / "observations.csv", 0, value="x")
    second = edit_row(data_dir / "observations.csv", 1, kind="plan")
    result = run("build", "--data-dir", str(data_dir), "--db", str(db))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"observations.csv:{first}: value: ")
    assert lines[1].startswith(f"observations.csv:{second}: kind: ")
    assert "2 problem(s)" in lines[-1] and "nothing was loaded" in lines[-1]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert run("check", "--data-dir", str(data_dir)).returncode == 1


def test_usage_errors_exit_2(tmp_path):
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("build", "--no-such-flag").returncode == 2
    missing = run("check", "--data-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
