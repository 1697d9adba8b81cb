"""Hostile data for the security tests: the curated data plus two colleges whose text is
an attack. The text is legitimate as far as the ETL is concerned (it is just text), so it
goes through the real ETL into a temporary warehouse, as a curator's file would."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CURATED, append_row

# Spreadsheet formulas: Excel and WPS would run these if a cell began with them.
FORMULA_NAME = '=HYPERLINK("http://x","点我")'
FORMULA_NAME_EN = "+cmd|' /C calc'!A0"
FORMULA_TITLE = "@SUM(1)来源"
FORMULA_TITLE_EN = "-2+3 source"
FORMULA_EVIDENCE = "=1+1 摘录"
FORMULA_COMPETITION = "-1+1 大赛"

# HTML, script and Markdown: a page or a chart would interpret these if it took the text
# as markup.
XSS_NAME = '<img src=x onerror="window.__xss=1">测试<script>window.__xss=2</script>'
XSS_NAME_EN = "<b>Bold</b> & <i>College</i> <img src=x onerror=\"window.__xss=5\">"
XSS_ALT_NAME = "**粗** [点我](javascript:window.__xss=4) $x^2$ :red[红]"
XSS_PROVINCE = "<i>测试省</i>"
XSS_TITLE = '<a href="javascript:window.__xss=3">来源</a>'
XSS_EVIDENCE = "<b>粗体</b>"

HOSTILE = {
    "formula_college": dict(
        name_zh=FORMULA_NAME, name_en=FORMULA_NAME_EN, province="测试省", province_en="Testland",
        title=FORMULA_TITLE, title_en=FORMULA_TITLE_EN, evidence=FORMULA_EVIDENCE, notes="@备注",
        alt_name_zh="", competition=FORMULA_COMPETITION,
    ),
    "xss_college": dict(
        name_zh=XSS_NAME, name_en=XSS_NAME_EN, province=XSS_PROVINCE, province_en="<i>Testland</i>",
        title=XSS_TITLE, title_en=XSS_TITLE, evidence=XSS_EVIDENCE, notes="<script>window.__xss=6</script>",
        alt_name_zh=XSS_ALT_NAME, competition="<b>大赛</b>",
    ),
}
# Indicators the real colleges report too, so the hostile names land in shared charts,
# the compare table and the compare deck; on the curated figures' basis (a rate measured at
# a point is a stock), or the ETL refuses the mix.
INDICATORS = (("pb_central_group_sessions", 9, "flow"), ("emp_destination_rate", 95.5, "stock"),
              ("trn_social_training_person_times", 1200, "flow"))


def add_hostile_colleges(data_dir: Path) -> None:
    for iid, text in HOSTILE.items():
        append_row(
            data_dir / "institutions.csv", institution_id=iid, name_zh=text["name_zh"], name_en=text["name_en"],
            type="higher_vocational", alt_name_zh=text["alt_name_zh"], alt_name_en="", secondary_type="",
            province=text["province"], province_en=text["province_en"], city="测试市", city_en="Test City",
            is_synthetic="true",
        )
        source = f"{iid}_2021"
        append_row(
            data_dir / "sources.csv", source_id=source, institution_id=iid, title=text["title"],
            title_en=text["title_en"], kind="annual_summary", published="", period_label="2021年度",
            period_label_en="2021", document="", url="", is_synthetic="true", notes=text["notes"],
        )
        for indicator, value, basis in INDICATORS:
            append_row(
                data_dir / "observations.csv", institution_id=iid, indicator_id=indicator, period="2021",
                period_end="", period_type="calendar_year", value=str(value), qualifier="exact", kind="actual",
                basis=basis, since="", as_of="", derivation="", source_id=source,
                evidence=f"{text['evidence']}：{value}", notes=text["notes"], conflict="",
            )
        append_row(
            data_dir / "awards.csv", institution_id=iid, period="2021", period_end="", period_type="calendar_year",
            competition=text["competition"], competition_en="", category="competition", level="provincial",
            level_scope="", grade="first", recipient="student", count="2", unit="items", qualifier="exact",
            is_total="false", derivation="", source_id=source, evidence=f"{text['evidence']}：2项", notes="", conflict="",
        )


@pytest.fixture(scope="session")
def hostile_data_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("hostile") / "curated"
    shutil.copytree(CURATED, directory)
    add_hostile_colleges(directory)
    return directory


@pytest.fixture(scope="session")
def hostile_db(hostile_data_dir) -> Path:
    """A warehouse built by the real ETL (validate_dir, then build) from the hostile data."""
    from etl.validate import validate_dir
    from etl.warehouse import build

    path = hostile_data_dir.parent / "warehouse.duckdb"
    build(validate_dir(hostile_data_dir), path)
    return path


@pytest.fixture(scope="session")
def hostile_ref(hostile_db):
    from dashboard import db

    return db.current_ref(hostile_db)
