"""deploy/publish-warehouse.sh: stage a copy beside every target, check it, then rename each
into place; a failure anywhere while staging changes no target. (Over ssh it runs the same
commands on the remote machine; here the destinations are local paths.)"""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "deploy" / "publish-warehouse.sh"


def publish(source: Path, *destinations: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), str(source), *map(str, destinations)], capture_output=True, text=True)


def test_every_machine_gets_the_whole_file_by_a_rename(tmp_path):
    source = tmp_path / "built.duckdb"
    source.write_bytes(b"new warehouse " * 10000)
    targets = []
    for host in ("a", "b"):
        (tmp_path / host).mkdir()
        target = tmp_path / host / "warehouse.duckdb"
        target.write_bytes(b"old")
        targets.append(target)
    inodes = [t.stat().st_ino for t in targets]
    result = publish(source, *targets)
    assert result.returncode == 0, result.stderr
    for target, inode in zip(targets, inodes):
        assert target.read_bytes() == source.read_bytes()
        assert target.stat().st_ino != inode  # a new file renamed in, not the old one overwritten
        assert sorted(p.name for p in target.parent.iterdir()) == ["warehouse.duckdb"]  # nothing staged left


def test_a_failure_while_staging_changes_no_machine(tmp_path):
    source = tmp_path / "built.duckdb"
    source.write_bytes(b"new")
    (tmp_path / "a").mkdir()
    good = tmp_path / "a" / "warehouse.duckdb"
    good.write_bytes(b"old")
    result = publish(source, good, tmp_path / "missing-dir" / "warehouse.duckdb")
    assert result.returncode != 0
    assert good.read_bytes() == b"old"
    assert sorted(p.name for p in good.parent.iterdir()) == ["warehouse.duckdb"]


def test_paths_that_would_need_quoting_are_refused(tmp_path):
    source = tmp_path / "built.duckdb"
    source.write_bytes(b"new")
    result = publish(source, tmp_path / "a b; rm -rf x" / "warehouse.duckdb")
    assert result.returncode == 2 and "absolute path" in result.stderr
