"""The load test's own code, small: three simultaneous Chromium users on the curated data,
against one process and through nginx to two (`make load LOAD_TARGET=proxy`). Checks that
every round succeeds and the figures are sane, not the aims' exact timings (those are for
`make load` on a quiet machine; see docs/reliability.md)."""
from __future__ import annotations

import pytest

from benchmarks import load
from tests.browser.conftest import _need_browser, _need_nginx

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("procs", [0, 2], ids=["one-process", "two-processes-behind-nginx"])
def test_three_users_at_once(curated_db, tmp_path, procs):
    _need_browser()
    if procs:
        _need_nginx()
    result = load.run(users=3, db=curated_db, rounds=1, downloads=tmp_path, procs=procs)
    assert result["failures"] == [] and result["success_rate"] == 1.0
    summary = result["summary"]
    for step in ("open", "rerun", "switch", "download"):
        assert summary[step]["n"] == 3, step
        assert 0 < summary[step]["p50"] <= summary[step]["max"] < load.STEP_TIMEOUT, (step, summary[step])
    # Sane, not the aim: three sessions must not cost the server hundreds of MB each.
    assert 0 < result["rss_warm_mb"] <= result["rss_peak_mb"]
    assert result["memory_per_user_mb"] < 200, result
    # CPU is counted per serving process; behind nginx every process was warmed and got users.
    assert len(result["server_cpu_by_process_s"]) == max(1, procs)
    assert all(cpu is not None and cpu > 0 for cpu in result["server_cpu_by_process_s"].values()), result["server_cpu_by_process_s"]
    if procs:
        assert sorted(result["warmed_processes"]) == sorted(result["sessions_by_process"])
        assert sum(result["sessions_by_process"].values()) == 3 and min(result["sessions_by_process"].values()) >= 1, result["sessions_by_process"]
        assert result["proxy_cpu_s"] is not None
    assert "| curated |" in load.table_row("curated", result)
