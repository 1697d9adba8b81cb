"""Checking an uploaded table against what is loaded, as the Validate page does."""
from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook

from etl.validate import check_upload, parse_bytes
from etl.xlsx import parse_xlsx

REFERENCE = {
    "institutions": pd.DataFrame({"institution_id": ["dalian_vtc", "tianjin_livtc"]}),
    "sources": pd.DataFrame({"source_id": ["dalian_2021_summary", "tianjin_2021_report"], "institution_id": ["dalian_vtc", "tianjin_livtc"]}),
    "indicators": pd.DataFrame({"indicator_id": ["emp_destination_rate", "oth_graduates"], "unit": ["percent", "persons"]}),
}
HEADER = "institution_id,indicator_id,period,period_end,period_type,value,qualifier,kind,basis,source_id,evidence,notes\n"
GOOD = "dalian_vtc,oth_graduates,2022,,calendar_year,3500,exact,actual,flow,dalian_2021_summary,毕业生3500人,\n"


def frame_of(text: str) -> pd.DataFrame:
    frame, _, problems = parse_bytes(text.encode("utf-8"), "upload.csv")
    assert problems == []
    return frame


def test_good_rows_come_back_typed():
    rows, problems, _ = check_upload("observations", frame_of(HEADER + GOOD), REFERENCE)
    assert problems == []
    assert rows["value"].tolist() == [3500.0] and rows["period"].tolist() == [2022]


def test_problems_name_row_and_column():
    text = HEADER + GOOD + (
        "dalian_vtc,emp_destination_rate,2022,,calendar_year,196,exact,actual,stock,dalian_2021_summary,摘录196,\n"
        "ghost,oth_graduates,2022,,calendar_year,1,exact,actual,flow,tianjin_2021_report,摘录1人,\n"
        "tianjin_livtc,oth_graduates,2022,,calendar_year,12,exact,actual,flow,dalian_2021_summary,摘录12人,\n"
    )
    rows, problems, _ = check_upload("observations", frame_of(text), REFERENCE)
    assert rows is None
    shown = [str(p) for p in problems]
    assert "observations.csv:3: value: 196 is over 100, but emp_destination_rate is a percent" in shown
    assert 'observations.csv:4: institution_id: unknown institution "ghost": not in institutions.csv' in shown
    assert any(p.startswith("observations.csv:5: source_id: source \"dalian_2021_summary\" belongs to") for p in shown)


def test_a_row_already_loaded_is_named():
    existing = pd.DataFrame([{
        "institution_id": "dalian_vtc", "indicator_id": "oth_graduates", "period": "2022",
        "period_type": "calendar_year", "kind": "actual", "source_id": "dalian_2021_summary",
    }])
    rows, problems, _ = check_upload("observations", frame_of(HEADER + GOOD), REFERENCE, existing)
    assert [str(p) for p in problems] == [
        "observations.csv:2: institution_id+indicator_id+period+period_type+kind+source_id: already loaded: this key is in the warehouse"
    ]


def test_a_basis_other_than_the_loaded_one_is_refused_as_the_build_would():
    """The warehouse's oth_graduates figures are flows; a stock for it would pass on its
    own but fail the next build, so the check says so now, in both languages."""
    reference = dict(REFERENCE, indicators=REFERENCE["indicators"].assign(comparable=["true", "true"]))
    loaded = pd.DataFrame({"indicator_id": ["oth_graduates"], "basis": ["flow"]})
    stock = GOOD.replace(",flow,", ",stock,")
    _, problems, _ = check_upload("observations", frame_of(HEADER + stock), reference, loaded_bases=loaded)
    assert [str(p) for p in problems] == [
        "observations.csv:2: basis: stock, but oth_graduates is comparable and its figures already in the warehouse "
        "are flow; use another indicator for this basis, or set comparable=false in indicators.csv"
    ]
    assert "数据仓库中已有的数字为 flow" in problems[0].reason("zh")
    rows, problems, _ = check_upload("observations", frame_of(HEADER + GOOD), reference, loaded_bases=loaded)
    assert problems == [] and len(rows) == 1
    not_comparable = dict(REFERENCE, indicators=REFERENCE["indicators"].assign(comparable=["true", "false"]))
    _, problems, _ = check_upload("observations", frame_of(HEADER + stock), not_comparable, loaded_bases=loaded)
    assert problems == []


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_keep_excel_row_numbers_and_values():
    header = HEADER.strip().split(",")
    raw = xlsx_bytes([
        header,
        ["# 示例行"] + [None] * 11,
        ["dalian_vtc", "oth_graduates", 2022, None, "calendar_year", 3500, "exact", "actual", "flow", "dalian_2021_summary", "毕业生3500人", None],
        ["dalian_vtc", "emp_destination_rate", 2022, None, "calendar_year", 96.08, "approx", "actual", "stock", "dalian_2021_summary", "约96.08%", None],
        ["dalian_vtc", "emp_destination_rate", 2021.0, None, "calendar_year", "96.08%", "exact", "actual", "stock", "dalian_2021_summary", "96.08%", None],
    ])
    frame, problems, label = parse_xlsx(raw, "upload.xlsx")
    assert problems == [] and label == "upload.xlsx[Sheet]"
    assert frame.column("_line").to_pylist() == [3, 4, 5]
    assert frame.column("period").to_pylist() == ["2022", "2022", "2021"]
    _, found, _ = check_upload("observations", frame, REFERENCE)
    assert [str(p) for p in found] == [
        'observations.csv:5: value: "96.08%" must be a plain number: leave out "%" (the unit comes from indicators.csv)'
    ]


@pytest.mark.parametrize("raw", [b"not a zip", b"PK\x03\x04broken"])
def test_unreadable_xlsx(raw):
    frame, problems, _ = parse_xlsx(raw, "upload.xlsx")
    assert frame is None and "not a readable .xlsx workbook" in str(problems[0])


def test_xlsx_row_cap():
    header = HEADER.strip().split(",")
    raw = xlsx_bytes([header, *[["dalian_vtc", "oth_graduates", 2000 + i] for i in range(20)]])
    frame, problems, _ = parse_xlsx(raw, "big.xlsx", max_rows=10)
    assert frame is None and "more than 10 rows" in str(problems[0])


def test_an_upload_is_checked_on_a_connection_that_cannot_touch_files():
    from etl.validate import _connection

    con = _connection(sandboxed=True)
    for statement in ("COPY (SELECT 1) TO '/tmp/vocdash-upload-escape.csv'", "ATTACH '/tmp/vocdash-x.duckdb' AS x",
                      "SET enable_external_access = true"):
        with pytest.raises(duckdb.Error):
            con.execute(statement)
    con.close()
