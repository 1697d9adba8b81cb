"""The Validate page words what the ETL found in the page's language, names an XLSX upload
by its file and sheet, and says what it read (a percent cell as 96.08)."""
from __future__ import annotations

import logging

from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from pathlib import Path

from tests.conftest import CURATED, ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)
BAD = ROOT / "tests" / "data" / "bad"


def upload(db, monkeypatch, name: str, raw: bytes, lang: str) -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run().switch_page("pages/validate.py").run()
    at.selectbox(key="validate_table").set_value("observations").run()
    return at.file_uploader(key="validate_file").set_value((name, raw, "application/octet-stream")).run()


def table_with(at: AppTest, column: str):
    """The shown table holding `column` (AppTest does not look dataframes up by key here)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def without_rows(curated: Path, tmp_path: Path, institution: str, indicators: set[str], period: str) -> Path:
    """A warehouse of the curated data less some rows, so an upload of them is new."""
    import csv
    import shutil

    from etl.validate import validate_dir
    from etl.warehouse import build

    data = tmp_path / "curated"
    shutil.copytree(curated, data)
    path = data / "observations.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    kept = [row for row in rows[1:] if not (row[header.index("institution_id")] == institution
                                            and row[header.index("indicator_id")] in indicators
                                            and row[header.index("period")] == period)]
    assert len(kept) == len(rows) - 1 - len(indicators)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *kept])
    db = tmp_path / "warehouse.duckdb"
    build(validate_dir(data), db)
    return db


def test_a_formula_without_a_result_is_refused_in_chinese_naming_the_sheet(curated_db, monkeypatch):
    raw = (BAD / "observations_xlsx_formula_without_result.xlsx").read_bytes()
    at = upload(curated_db, monkeypatch, "就业数据.xlsx", raw, "zh")
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("validate_problems", "zh", n=1, file="就业数据.xlsx[Sheet1]")]
    problems = table_with(at, t("validate_reason", "zh"))
    reason = problems[t("validate_reason", "zh")].tolist()
    assert reason == ["公式单元格 =ROUND(2402/2500*100,2) 没有保存计算结果；请在 Excel/WPS 中打开并保存，或以“选择性粘贴 → 数值”粘贴"]
    assert problems[t("validate_row", "zh")].tolist() == [2]


def test_the_same_upload_in_english(curated_db, monkeypatch):
    raw = (BAD / "observations_xlsx_formula_without_result.xlsx").read_bytes()
    at = upload(curated_db, monkeypatch, "rates.xlsx", raw, "en")
    assert [e.value for e in at.error] == [t("validate_problems", "en", n=1, file="rates.xlsx[Sheet1]")]
    reason = table_with(at, t("validate_reason", "en"))[t("validate_reason", "en")].tolist()
    assert reason == ["formula cell =ROUND(2402/2500*100,2) has no saved result; open the file in Excel/WPS and save it, "
                      "or paste the values (选择性粘贴 → 数值)"]


def test_a_percent_cell_is_read_as_shown_and_the_page_says_so(monkeypatch, tmp_path):
    raw = (BAD / "observations_xlsx_percent_format.xlsx").read_bytes()
    # The case holds Dalian's 2021 rate and sessions: against a warehouse without them, so
    # they are new rows, not "already loaded".
    db = without_rows(CURATED, tmp_path, "dalian_vtc", {"emp_destination_rate", "pb_central_group_sessions"}, "2021")
    at = upload(db, monkeypatch, "rates.xlsx", raw, "zh")
    assert not at.exception and not at.error, [e.value for e in at.error]
    preview = table_with(at, "value")
    assert 96.08 in preview["value"].tolist()
    info = at.info[0].value
    assert "rates.xlsx：读取工作表 Sheet1" in info
    assert "1 个百分比格式的单元格按显示读取，如 0.9608 读作 96.08（第 2 行）" in info
