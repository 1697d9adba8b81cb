import csv
import io

from dashboard import exports, queries, transforms
from dashboard.filters import Filters


def test_csv_download_bytes(ref):
    obs = queries.observations(ref, Filters(types=("technician_college",)))
    table = transforms.tidy_table(obs, "zh")
    raw = exports.csv_bytes(table)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS read UTF-8
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["院校", "主题", "指标", "时期"]
    assert len(rows) == 1 + len(obs)
    assert {row[0] for row in rows[1:]} == {"宁波第二技师学院"}
    assert "\r\n" in text  # Excel's line ends
    assert any("80.2.%" in cell for row in rows for cell in row)  # evidence kept verbatim


def test_download_names_are_safe_and_say_what_and_when():
    assert exports.download_name("数据", Filters(period_from=2019, period_to=2022), "xlsx") == "vocdash_数据_2019-2022.xlsx"
    assert exports.download_name("compare", Filters(period_from=2021, period_to=2021), "pptx") == "vocdash_compare_2021.pptx"
    assert exports.download_name('a/b: c?*"', Filters(), "csv") == "vocdash_a_b_c.csv"  # nothing Windows refuses


def test_download_names_differ_per_view():
    """Two downloads of different filters or page settings never get the same name; the
    same view always gets the same one."""
    span = dict(period_from=2019, period_to=2022)
    views = [
        (Filters(**span), ()),
        (Filters(provinces=("浙江",), **span), ()),
        (Filters(provinces=("辽宁",), **span), ()),
        (Filters(types=("technician_college",), **span), ()),
        (Filters(institutions=("dalian_vtc",), **span), ()),
        (Filters(kinds=("actual",), **span), ()),
        (Filters(**span), (("employment",), (), "", "value", True)),
        (Filters(**span), (("training",), (), "", "value", True)),
        (Filters(**span), ((), (), "大连", "", False)),
    ]
    names = [exports.download_name("数据", filters, "csv", view) for filters, view in views]
    assert len(set(names)) == len(names), names
    assert names[0] == "vocdash_数据_2019-2022.csv"
    assert all(name.startswith("vocdash_数据_2019-2022") for name in names)
    assert exports.download_name("数据", views[1][0], "csv") == names[1]


def test_filter_summary_names_what_was_chosen(ref):
    institutions = queries.institutions(ref)
    everything = exports.filter_summary(Filters(period_from=2019, period_to=2022), institutions, "zh")
    assert everything == {"院校类型": "全部", "省份": "全部", "院校": "全部", "时期（年份）": "2019–2022", "实际 / 目标": "全部"}
    some = Filters(types=("technician_college",), provinces=("浙江",), institutions=("ningbo_tc2", "jiaxing_vtc"),
                   period_from=2021, period_to=2021, kinds=("target",))
    assert exports.filter_summary(some, institutions, "en") == {
        "Institution type": "Technician college", "Province": "Zhejiang",
        "Institutions": "Ningbo No. 2 Technician College, Jiaxing Vocational & Technical College",
        "Period (year)": "2021", "Actual / target": "target",
    }


def test_deck_subtitle_says_period_kind_and_time(ref):
    institutions = queries.institutions(ref)
    text = exports.deck_subtitle(Filters(period_from=2020, period_to=2021, kinds=("actual",)), institutions, "zh", "T")
    assert text == "时期（年份）：2020–2021；实际 / 目标：实际；导出时间：T"
