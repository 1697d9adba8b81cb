"""The Curate page in a real Chromium: upload a report, accept candidates, check, download
the zip, then build the downloaded rows together with a copy of the curated data."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.browser.helpers import assert_clean, open_page, screenshot, settle
from tests.browser.test_downloads import download
from tests.conftest import CURATED, ROOT

pytestmark = pytest.mark.browser
REPORT = ROOT / "tests" / "etl" / "extract" / "fixtures" / "report.txt"


def test_upload_accept_download_and_build(server, page, tmp_path):
    open_page(page, server.url, "curate")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(REPORT))
    settle(page)
    page.locator("[data-testid='stSelectbox']").filter(has_text="院校").first.click()
    page.get_by_role("option", name="大连职业技术学院 (dalian_vtc)").click()
    settle(page)
    source = page.locator("[data-testid='stTextInput']").filter(has_text="来源标识").locator("input")
    source.fill("dalian_2022_demo")
    source.press("Enter")
    settle(page)
    label = page.locator("[data-testid='stTextInput']").filter(has_text="覆盖时期").locator("input")
    label.fill("2022年度")
    label.press("Enter")
    settle(page)
    assert "找到" in page.locator("[data-testid='stAlertContentSuccess']").first.inner_text()
    page.get_by_text("报告原文（候选数字已标出").click()
    settle(page)
    buttons = page.get_by_role("button", name="采用有指标的候选")
    for index in range(buttons.count()):
        buttons.nth(index).click()
        settle(page)
    page.get_by_role("button", name="检查已采用的行").click()
    settle(page)
    assert "检查通过" in page.locator("[data-testid='stAlertContentSuccess']").last.inner_text()
    assert_clean(page)
    screenshot(page, "curate_zh")

    name, path = download(page, "下载 CSV（zip）")
    assert name == "vocdash_dalian_2022_demo.zip"
    target = tmp_path / "curated"
    shutil.copytree(CURATED, target)
    with zipfile.ZipFile(path) as archive:
        assert {"observations.csv", "awards.csv", "sources.csv"} <= set(archive.namelist())
        for member in archive.namelist():
            rows = list(csv.DictReader(io.StringIO(archive.read(member).decode("utf-8-sig"))))
            assert rows and all(row.get("source_id") == "dalian_2022_demo" for row in rows)
            with (target / member).open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle))
            with (target / member).open("a", encoding="utf-8", newline="") as handle:
                csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerows(rows)
    built = subprocess.run([sys.executable, "-m", "etl", "build", "--data-dir", str(target), "--db", str(tmp_path / "w.duckdb")],
                           cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "built" in built.stdout
