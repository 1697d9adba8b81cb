"""The load test's own code, small: three simultaneous Chromium users on the curated data.
Checks that every round succeeds and the figures are sane, not the aims' exact timings
(those are for `make load` on a quiet machine; see docs/reliability.md)."""
from __future__ import annotations

import pytest

from benchmarks import load
from tests.browser.conftest import _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_three_users_at_once(curated_db, tmp_path):
    _need_browser()
    result = load.run(users=3, db=curated_db, rounds=1, downloads=tmp_path)
    assert result["failures"] == [] and result["success_rate"] == 1.0
    summary = result["summary"]
    for step in ("open", "rerun", "switch", "download"):
        assert summary[step]["n"] == 3, step
        assert 0 < summary[step]["p50"] <= summary[step]["max"] < load.STEP_TIMEOUT, (step, summary[step])
    # Sane, not the aim: three sessions must not cost the server hundreds of MB each.
    assert 0 < result["rss_warm_mb"] <= result["rss_peak_mb"]
    assert result["memory_per_user_mb"] < 200, result
