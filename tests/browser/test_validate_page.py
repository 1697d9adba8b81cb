"""The Validate page in the browser: upload a template, see the ETL's verdict, nothing written."""
from __future__ import annotations

import hashlib

import pytest

from tests.browser.helpers import assert_clean, open_page, screenshot, settle

pytestmark = pytest.mark.browser

HEADER = "institution_id,indicator_id,period,period_end,period_type,value,qualifier,kind,basis,source_id,evidence,notes\n"


def upload(page, tmp_path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    settle(page)


def test_bad_rows_are_listed_by_row_and_column(server, page, tmp_path, curated_db):
    before = hashlib.sha256(curated_db.read_bytes()).hexdigest()
    open_page(page, server.url, "validate")
    bad = HEADER + (
        "dalian_vtc,oth_graduates,2022,,calendar_year,约3500,exact,actual,flow,dalian_2021_summary,摘录,\n"
        "dalian_vtc,emp_destination_rate,2022,,calendar_year,196,exact,actual,flow,dalian_2021_summary,摘录,\n"
    )
    upload(page, tmp_path, "observations.csv", bad.encode("gbk"))
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "发现 2 个问题" in body
    # The GBK upload is read as GBK: 约 must not come out as a look-alike letter.
    assert page.locator("[data-testid='stDataFrame']").count() == 1  # the problems, row by row
    screenshot(page, "validate-problems")
    assert hashlib.sha256(curated_db.read_bytes()).hexdigest() == before
    assert_clean(page)


def test_good_rows_are_previewed(server, page, tmp_path):
    open_page(page, server.url, "validate")
    good = HEADER + "dalian_vtc,oth_graduates,2022,,calendar_year,\"3,500\",exact,actual,flow,dalian_2021_summary,摘录,\n"
    upload(page, tmp_path, "new-rows.csv", good.encode("utf-8-sig"))
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "检查通过：以下 1 行可以加入 observations.csv" in body
    assert "千" not in body and "thousands separator" in body  # the normalisation is reported
    screenshot(page, "validate-ok")
    assert_clean(page)
