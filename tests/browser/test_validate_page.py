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
        "dalian_vtc,emp_destination_rate,2022,,calendar_year,196,exact,actual,stock,dalian_2021_summary,落实率为196%,\n"
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
    good = HEADER + "dalian_vtc,oth_graduates,2022,,calendar_year,\"3,500\",exact,actual,flow,dalian_2021_summary,毕业生3500人,\n"
    upload(page, tmp_path, "new-rows.csv", good.encode("utf-8-sig"))
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "检查通过：以下 1 行可以加入 observations.csv" in body
    assert "去掉了 1 个千位分隔符" in body  # the normalisation is reported, in the page's language
    screenshot(page, "validate-ok")
    assert_clean(page)


def test_a_workbook_with_a_percent_cell_is_read_as_the_curator_sees_it(server, page, tmp_path):
    """Excel stores 96.08% as 0.9608 with a percent format: the page reads 96.08 and says so."""
    from tests.conftest import ROOT

    open_page(page, server.url, "validate")
    raw = (ROOT / "tests" / "data" / "bad" / "observations_xlsx_percent_format.xlsx").read_bytes()
    upload(page, tmp_path, "就业率.xlsx", raw)
    body = page.locator("[data-testid='stMain']").inner_text()
    # The two rows are Dalian's, already in the served warehouse: that is all the check finds.
    # Read as 0.9608 the rate would also fail its evidence ("96.08%") and its percent scale.
    assert "就业率.xlsx[Sheet1]：发现 2 个问题" in body
    assert "就业率.xlsx：读取工作表 Sheet1" in body
    assert "如 0.9608 读作 96.08（第 2 行）" in body
    screenshot(page, "validate-xlsx-percent")
    assert_clean(page)
