"""`python -m etl.extract` on .txt, .docx and .pdf, and the clear messages for what it cannot read."""
from __future__ import annotations

import csv
from pathlib import Path

import docx
import pytest
from PIL import Image

from etl.extract.__main__ import main
from etl.spec import AWARDS, OBSERVATIONS
from tests.conftest import CURATED

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = (FIXTURES / "report.txt").read_text(encoding="utf-8")


def run(report: Path, out: Path, *extra: str) -> int:
    return main([str(report), "--institution-id", "demo_vtc", "--source-id", "demo_2022", "--out", str(out),
                 "--data-dir", str(CURATED), *extra])


def rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def as_docx(path: Path) -> Path:
    """The report as Word would hold it: paragraphs, and one figure in a table."""
    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "新建校内实训室", "18个"
    document.save(path)
    return path


def check_the_report(out: Path) -> tuple[list[dict], list[dict]]:
    header, observations = rows(out / "observations.csv")
    assert header == [*OBSERVATIONS.column_names, "line", "confidence", "suggestions"]
    header, awards = rows(out / "awards.csv")
    assert header == [*AWARDS.column_names, "line", "confidence", "suggestions"]
    found = {(r["value"], r["qualifier"], r["kind"], r["period"]) for r in observations}
    assert {("12", "exact", "actual", "2022"), ("100", "more_than", "actual", "2022"), ("2", "exact", "actual", "2022"),
            ("2860", "exact", "actual", "2022"), ("95.6", "exact", "actual", "2022"), ("12000", "more_than", "actual", "2022"),
            ("460", "more_than", "actual", "2022"), ("40", "approx", "target", "2023"), ("92", "at_least", "target", "2023"),
            } <= found
    medals = {(r["grade"], r["count"], r["level"]) for r in awards}
    assert medals == {("first", "2", "provincial"), ("second", "5", "provincial"), ("gold", "3", "national")}
    for row in observations + awards:
        assert row["institution_id"] == "demo_vtc" and row["source_id"] == "demo_2022"
        assert row["evidence"] and int(row["line"]) >= 1 and 0 < float(row["confidence"]) < 1
    for row in observations:
        if row["value"] == "12":
            assert row["indicator_id"] == "pb_central_group_sessions"
            assert row["suggestions"].split()[0] == "pb_central_group_sessions"
    return observations, awards


def test_txt(tmp_path, capsys):
    assert run(FIXTURES / "report.txt", tmp_path) == 0
    observations, _ = check_the_report(tmp_path)
    assert "12 observation" not in capsys.readouterr().err
    rate = next(r for r in observations if r["value"] == "95.6")
    assert "截至12月31日" in rate["evidence"] or "毕业去向落实率为95.6%" in rate["evidence"]
    assert "95.6%" in rate["evidence"]


def test_gbk_txt(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(TEXT.encode("gb18030"))
    assert run(report, tmp_path / "out") == 0
    check_the_report(tmp_path / "out")


def test_docx_paragraphs_and_tables(tmp_path):
    assert run(as_docx(tmp_path / "report.docx"), tmp_path / "out") == 0
    observations, _ = check_the_report(tmp_path / "out")
    assert any(r["value"] == "18" for r in observations)


def test_pdf(tmp_path):
    assert run(FIXTURES / "report.pdf", tmp_path) == 0
    check_the_report(tmp_path)


def test_period_given_on_the_command_line(tmp_path):
    report = tmp_path / "untitled.txt"
    report.write_text("学院全年召开党委理论学习中心组学习12次。\n", encoding="utf-8")
    assert run(report, tmp_path / "out", "--period", "2021", "--period-type", "academic_year") == 0
    _, observations = rows(tmp_path / "out" / "observations.csv")
    assert [(r["period"], r["period_type"]) for r in observations] == [("2021", "academic_year")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", None, "no text layer"),
        ("encrypted.pdf", (FIXTURES / "encrypted.pdf").read_bytes(), "password-protected"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word document (.doc)"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        ("report.xlsx", b"PK\x03\x04" + b"\x00" * 100, "cannot be opened"),
        ("slides.key", b"\x00\x01binary", "unknown file type .key"),
        ("empty.txt", b"", "empty"),
        ("fake.pdf", b"not a pdf at all", "not a PDF"),
    ],
)
def test_clear_message_not_a_traceback(tmp_path, capsys, name, content, message):
    report = tmp_path / name
    if content is None:  # a scan: a page that is only a picture
        Image.new("RGB", (600, 800), "white").save(report)
    else:
        report.write_bytes(content)
    assert run(report, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out" / "observations.csv").exists()


def test_usage_errors(tmp_path, capsys):
    assert run(tmp_path / "missing.txt", tmp_path / "out") == 2
    assert "no such file" in capsys.readouterr().err
    assert run(FIXTURES / "report.txt", tmp_path / "out", "--period", "99") == 2
