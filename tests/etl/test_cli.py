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


def test_problems_in_chinese_with_lang_zh(tmp_path, data_dir):
    edit_row(data_dir / "observations.csv", 0, qualifier="about")
    english = run("check", "--data-dir", str(data_dir))
    chinese = run("check", "--data-dir", str(data_dir), "--lang", "zh")
    assert english.returncode == chinese.returncode == 1
    assert 'unknown value "about"' in english.stderr
    assert "未知取值“about”；请从以下选择：" in chinese.stderr
    assert chinese.stderr.splitlines()[0].startswith("observations.csv:2: qualifier: ")


def test_an_internal_error_is_one_line_exit_3_never_a_traceback(monkeypatch, capsys, data_dir):
    from etl import cli, validate

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(validate, "validate_dir", broken)
    assert cli.main(["check", "--data-dir", str(data_dir)]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err == (f"internal error while reading and checking the files in {data_dir} (RuntimeError: a bug); "
                   "nothing was loaded. Please report this with the file\n")


def test_ctrl_c_during_a_build_leaves_the_warehouse_and_exits_130(tmp_path):
    """A real SIGINT to `python -m etl build`, sent once the new file is being written."""
    import os
    import signal
    import time

    data = tmp_path / "synthetic"
    made = subprocess.run([sys.executable, "-m", "etl.synth", "--institutions", "3000", "--years", "10", "--out", str(data)],
                          cwd=ROOT, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    db = tmp_path / "w" / "warehouse.duckdb"
    db.parent.mkdir()
    db.write_bytes(b"the old warehouse")
    child = subprocess.Popen([sys.executable, "-m", "etl", "build", "--data-dir", str(data), "--db", str(db)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(db.parent.glob("*.building*")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert child.poll() is None, "the build ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert err.endswith(f"interrupted; {db} was left as it was\n") and "Traceback" not in err
    assert db.read_bytes() == b"the old warehouse"
    assert os.listdir(db.parent) == ["warehouse.duckdb"]
