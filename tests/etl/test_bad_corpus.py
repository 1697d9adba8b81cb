"""The bad-input corpus: every file in tests/data/bad/ replaces one curated table (a .csv,
or a .xlsx kept in its place), and `python -m etl build` must give exactly the outcome
recorded in tests/data/bad/cases.toml; the Validate page's upload path must give the same
problems and notes, worded in Chinese as well as in English.

Rejected: exit 1, exactly the manifest's problem lines, and the warehouse left byte-for-byte
as it was (no leftovers, nothing half-loaded). Normalised: exit 0, exactly the manifest's
`note:` lines, a new warehouse, and the manifest's checks hold in it.

A handful of cases run `python -m etl build` as a subprocess, as a curator would; the rest
call etl.cli.main in-process (the same code, without a ~1 s interpreter start each).
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from etl import cli
from etl.spec import OBSERVATIONS, TABLES, TABLES_BY_NAME
from tests.conftest import ROOT

BAD = ROOT / "tests" / "data" / "bad"
# The tables a case file completes: a frozen copy of the curated data, so curating more
# figures never changes what a corpus case means.
BASE = BAD / "base"
DOC = ROOT / "docs" / "bad-input.md"
CASES: list[dict] = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]
DB_NAME = "warehouse.duckdb"
SHOWN = cli.SHOWN_PROBLEMS

# One of each kind of outcome through a real subprocess: decoding, a cell, the file shape,
# a parse error, a whole-file problem, and a normalised build.
SUBPROCESS_CASES = {
    "institutions_gbk.csv",
    "observations_utf16_no_bom.csv",
    "observations_percent_sign.csv",
    "observations_thousands_separator.csv",
    "observations_stray_quote.csv",
    "awards_empty.csv",
    "observations_crlf.csv",
}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Good:
    db: Path
    digest: str
    counts: dict[str, int]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def row_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {table.name: con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0] for table in TABLES}
    finally:
        con.close()


def build_args(data_dir: Path, db: Path) -> list[str]:
    return ["build", "--data-dir", str(data_dir), "--db", str(db)]


def run_subprocess(data_dir: Path, db: Path) -> Result:
    done = subprocess.run(
        [sys.executable, "-m", "etl", *build_args(data_dir, db)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )
    return Result(done.returncode, done.stdout, done.stderr)


def run_in_process(data_dir: Path, db: Path, capsys) -> Result:
    capsys.readouterr()
    code = cli.main(build_args(data_dir, db))
    out = capsys.readouterr()
    return Result(code, out.out, out.err)


@pytest.fixture(scope="session")
def good_build(tmp_path_factory) -> Good:
    """The warehouse built from the corpus's base tables, once per session."""
    base = tmp_path_factory.mktemp("good")
    data_dir = base / "curated"
    shutil.copytree(BASE, data_dir)
    db = base / "warehouse" / DB_NAME
    db.parent.mkdir()
    result = run_subprocess(data_dir, db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(os.listdir(db.parent)) == [DB_NAME]
    return Good(db, sha256(db), row_counts(db))


@pytest.fixture
def workspace(tmp_path, good_build) -> tuple[Path, Path]:
    """A private copy of the base CSVs and of the good warehouse."""
    data_dir = tmp_path / "curated"
    shutil.copytree(BASE, data_dir)
    db = tmp_path / "warehouse" / DB_NAME
    db.parent.mkdir()
    shutil.copy2(good_build.db, db)
    return data_dir, db


def stderr_lines(result: Result) -> list[str]:
    # Not splitlines(): a shown cell value may hold characters it would split on.
    return result.stderr.rstrip("\n").split("\n") if result.stderr else []


def assert_warehouse_untouched(db: Path, good: Good) -> None:
    assert sorted(os.listdir(db.parent)) == [DB_NAME], "leftover files beside the warehouse"
    assert sha256(db) == good.digest, "the warehouse changed"
    assert row_counts(db) == good.counts


def assert_rejected(case: dict, result: Result, data_dir: Path, db: Path, good: Good) -> None:
    assert result.returncode == cli.EXIT_INVALID, result.stderr
    assert result.stdout == ""
    assert_warehouse_untouched(db, good)
    lines = stderr_lines(result)
    file_names = tuple(f"{table.name}.{ext}" for table in TABLES for ext in ("csv", "xlsx"))
    assert re.fullmatch(rf"\d+ problem\(s\) found in {re.escape(str(data_dir))}; nothing was loaded", lines[-1]), result.stderr
    assert all(line.startswith((*file_names, "... and ")) for line in lines[:-1]), result.stderr
    if "problems" not in case:  # an xfail case whose exact message is not decided yet
        return
    expected_count = case.get("problem_count", len(case["problems"]))
    assert lines[-1] == f"{expected_count} problem(s) found in {data_dir}; nothing was loaded", result.stderr
    shown = lines[:-1]
    if expected_count > SHOWN:
        assert shown[-1] == f"... and {expected_count - SHOWN} more"
        shown = shown[:-1]
    assert len(shown) == min(expected_count, SHOWN)
    if "problem_count" in case:
        head = len(case["problems"])
        assert shown[:head] == case["problems"]
        pattern = re.compile(case["other_problems_match"])
        assert [line for line in shown[head:] if not pattern.fullmatch(line)] == []
    else:
        assert shown == case["problems"]


def assert_normalised(case: dict, result: Result, db: Path, good: Good) -> None:
    assert result.returncode == cli.EXIT_OK, result.stderr
    assert stderr_lines(result) == case["notes"]
    assert result.stdout.startswith(f"built {db}\n")
    assert sorted(os.listdir(db.parent)) == [DB_NAME], "leftover files beside the warehouse"
    assert sha256(db) != good.digest, "the warehouse was not rebuilt"
    con = duckdb.connect(str(db), read_only=True)
    try:
        for check in case.get("check", []):
            run_check(con, check)
    finally:
        con.close()


def run_check(con, check: dict) -> None:
    table = TABLES_BY_NAME[check["table"]]
    where = check.get("where", {})
    for name in [*where, *([check["column"]] if "column" in check else [])]:
        assert name in table.column_names, f"{table.name} has no column {name}"
    clause = " AND ".join(f"{name} = ?" for name in where) or "TRUE"
    params = list(where.values())
    if "rows" in check:
        (count,) = con.execute(f"SELECT count(*) FROM {table.name} WHERE {clause}", params).fetchone()
        assert count == check["rows"], check
        return
    rows = con.execute(f"SELECT {check['column']} FROM {table.name} WHERE {clause}", params).fetchall()
    assert len(rows) == 1, f"{check}: {len(rows)} rows match"
    value = rows[0][0]
    if "is_null" in check:
        assert (value is None) == check["is_null"], f"{check}: got {value!r}"
    if "equals" in check:
        assert value == check["equals"], f"{check}: got {value!r}"
    if "contains" in check:
        assert check["contains"] in value, f"{check}: got {value!r}"


def place(case: dict, data_dir: Path) -> None:
    """Put the case's file in place of its table: <table>.csv, or <table>.xlsx instead of it."""
    if case["file"].endswith(".xlsx"):
        (data_dir / f"{case['table']}.csv").unlink()
        shutil.copyfile(BAD / case["file"], data_dir / f"{case['table']}.xlsx")
    else:
        shutil.copyfile(BAD / case["file"], data_dir / f"{case['table']}.csv")


def _param(case: dict):
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
    return pytest.param(case, id=case["file"], marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input_gets_exactly_its_outcome(case, workspace, good_build, capsys):
    data_dir, db = workspace
    place(case, data_dir)
    if case["file"] in SUBPROCESS_CASES:
        result = run_subprocess(data_dir, db)
    else:
        result = run_in_process(data_dir, db, capsys)
    if case["outcome"] == "rejected":
        assert_rejected(case, result, data_dir, db, good_build)
    else:
        assert_normalised(case, result, db, good_build)


# --- the same files through the Validate page's upload path ----------------------------

@pytest.fixture(scope="session")
def reference() -> dict:
    """The base tables as text frames, as the page's reference holds the warehouse."""
    from etl.ingest import read_input
    from etl.reader import to_frame

    frames = {}
    for table in TABLES:
        read = read_input((BASE / table.file_name).read_bytes(), table.file_name, table.name)
        frames[table.name] = to_frame(read.data).drop(columns=["_line"])
    return frames


def upload_outcome(case: dict, reference: dict):
    """(problems, notes) of the case's file uploaded to the Validate page (its read and check
    path, without Streamlit), against the base as what is loaded."""
    from dashboard.uploads import read_upload
    from etl.validate import check_upload

    ext = case["file"].rsplit(".", 1)[1]
    upload = read_upload((BAD / case["file"]).read_bytes(), f"{case['table']}.{ext}", case["table"])
    assert upload.refusal is None
    if upload.frame is None:
        return upload.problems, upload.notes
    others = {name: frame for name, frame in reference.items() if name != case["table"]}
    _, problems, notes = check_upload(case["table"], upload.frame, others, label=upload.label,
                                      documents=ROOT / "data" / "documents")
    return problems, [*upload.notes, *notes]


@pytest.mark.parametrize("case", [_param(case) for case in CASES if "upload" not in case])
def test_the_upload_path_gives_the_same_outcome_in_both_languages(case, reference):
    problems, notes = upload_outcome(case, reference)
    if case["outcome"] == "rejected":
        lines = [problem.render("en") for problem in problems]
        if "upload_problems" in case:  # the build's refusal follows from another table's rows
            assert lines == case["upload_problems"]
        elif "problem_count" in case:
            assert len(lines) == case["problem_count"] and lines[:len(case["problems"])] == case["problems"]
        else:
            assert lines == case["problems"]
        # Every problem has a Chinese wording for the Chinese page, and it is not the English one.
        for problem in problems:
            assert problem.key, str(problem)
            assert problem.reason("zh") != problem.reason("en") and re.search("[\u4e00-\u9fff]", problem.reason("zh"))
    else:
        assert problems == [], [str(problem) for problem in problems]
        assert [f"note: {note}" for note in notes] == case["notes"]
        assert all(re.search("[\u4e00-\u9fff]", note.text("zh")) for note in notes)


# --- the manifest itself ---------------------------------------------------------------

def test_the_manifest_and_the_corpus_match():
    files = [case["file"] for case in CASES]
    assert len(files) == len(set(files)), "a file is listed twice"
    on_disk = sorted(path.name for pattern in ("*.csv", "*.xlsx") for path in BAD.glob(pattern))
    assert sorted(files) == on_disk
    assert len(CASES) >= 40
    assert SUBPROCESS_CASES <= set(files)
    file_names = tuple(f"{table.name}.{ext}" for table in TABLES for ext in ("csv", "xlsx"))
    for case in CASES:
        assert case["table"] in TABLES_BY_NAME, case["file"]
        assert case["file"].startswith(case["table"] + "_"), case["file"]
        assert case["outcome"] in ("rejected", "normalised"), case["file"]
        assert case["why"] and case["what"], case["file"]
        assert (BAD / case["file"]).stat().st_size <= 64 * 1024, f"{case['file']} is not small"
        if case["outcome"] == "rejected":
            assert "problems" in case or "xfail" in case, case["file"]
            assert "notes" not in case and "check" not in case, case["file"]
            assert all(line.startswith(file_names) for line in case.get("problems", [])), case["file"]
        else:
            assert "problems" not in case, case["file"]
            assert all(note.startswith("note: ") for note in case["notes"]), case["file"]
            assert case.get("check") or "xfail" in case, f"{case['file']}: a normalised case needs a check"


def test_every_case_is_in_the_doc():
    doc = DOC.read_text(encoding="utf-8")
    missing = [case["file"] for case in CASES if f"`{case['file']}`" not in doc]
    assert missing == []


def test_the_doc_states_each_outcome_as_the_manifest_does():
    """Curators read docs/bad-input.md, not cases.toml: each row must show the exact
    problem and note lines the ETL gives."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"\| `([^`]+\.(?:csv|xlsx))` \|", line):
            rows[match.group(1)] = line.replace("\\|", "|")
    wrong = []
    for case in CASES:
        row = rows[case["file"]]
        expected = case.get("problems", []) if "problem_count" not in case else case["problems"][:1]
        expected = expected + case.get("notes", [])
        if case["outcome"] not in row or any(f"`{line}`" not in row for line in expected):
            wrong.append(case["file"])
    assert wrong == []


# --- generated at test time --------------------------------------------------------------

HUNDRED_MB = 100 * 1024 * 1024
GOOD_ROW = (
    "dalian_vtc,pb_central_group_sessions,2021,,calendar_year,10,exact,actual,flow,,,,dalian_2021_summary,"
    "组织了 10 次理论中心组学习,,"
)
DUPLICATE = (
    "observations.csv:{line}: institution_id+indicator_id+period+period_type+kind+source_id: duplicate key "
    "(institution_id=dalian_vtc, indicator_id=pb_central_group_sessions, period=2021, period_type=calendar_year, "
    "kind=actual, source_id=dalian_2021_summary); first on line 2"
)


@pytest.mark.slow
def test_100_mb_of_repeated_rows_is_refused_with_500_problems_shown(workspace, good_build, tmp_path):
    """One valid row repeated to 100 MB, with three bad rows: every repeat is a duplicate key.
    The build must refuse in reasonable time, show only the first 500 problems, and leave
    the warehouse as it was."""
    data_dir, db = workspace
    header = ",".join(OBSERVATIONS.column_names) + "\n"
    row = (GOOD_ROW + "\n").encode()
    rows = math.ceil((HUNDRED_MB - len(header)) / len(row))
    last = rows + 1  # the header is line 1
    bad = {
        3: GOOD_ROW.replace(",10,exact,", ",10%,exact,"),  # also a duplicate
        5: GOOD_ROW.replace(",2021,", ",2021.0,", 1),  # a different key: not a duplicate
        last: GOOD_ROW.replace(",exact,", ",about,"),  # also a duplicate, hidden among the "more"
    }
    path = data_dir / "observations.csv"
    with path.open("wb") as handle:
        handle.write(header.encode())
        line = 2
        while line <= last:
            if line in bad:
                handle.write((bad[line] + "\n").encode())
                line += 1
                continue
            upto = min([last + 1, line + 50_000, *(number for number in bad if number > line)])
            handle.write(row * (upto - line))
            line = upto
    assert path.stat().st_size >= HUNDRED_MB

    expected_count = (rows - 2) + 3  # every row but lines 2 and 5 repeats line 2, plus the three bad cells
    expected = []
    for number in range(3, last + 1):
        if number != 5:
            expected.append(DUPLICATE.format(line=number))
        if number == 3:
            expected.append('observations.csv:3: value: "10%" must be a plain number: leave out "%" (the unit comes from indicators.csv)')
        if number == 5:
            expected.append('observations.csv:5: period: "2021.0" is not a year (1949-2100, four digits)')
        if len(expected) >= SHOWN:
            break

    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    started = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        child = subprocess.Popen([sys.executable, "-m", "etl", *build_args(data_dir, db)], cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    peak_mb = usage.ru_maxrss / 1024  # Linux reports KiB
    print(f"\n100 MB file ({rows:,} rows): refused in {elapsed:.1f} s, child peak RSS {peak_mb:.0f} MB")

    assert child.returncode == cli.EXIT_INVALID
    assert stdout.read_text(encoding="utf-8") == ""
    lines = stderr.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines[:SHOWN] == expected[:SHOWN]
    assert lines[SHOWN:] == [
        f"... and {expected_count - SHOWN} more",
        f"{expected_count} problem(s) found in {data_dir}; nothing was loaded",
    ]
    assert elapsed < 60
    assert_warehouse_untouched(db, good_build)


# --- generated large cases: the same outcome by both paths, in bounded time and memory -----

def measured_build(data_dir: Path, db: Path, tmp_path: Path) -> tuple[Result, float, float]:
    """`python -m etl build` in a child process: (result, seconds, the child's peak RSS in MB)."""
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    started = time.monotonic()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        child = subprocess.Popen([sys.executable, "-m", "etl", *build_args(data_dir, db)], cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    result = Result(os.waitstatus_to_exitcode(status), stdout.read_text(encoding="utf-8"), stderr.read_text(encoding="utf-8"))
    return result, elapsed, usage.ru_maxrss / 1024


def timed_upload(raw: bytes, name: str, table: str, reference: dict):
    from etl.validate import check_upload
    from dashboard.uploads import read_upload

    started = time.monotonic()
    upload = read_upload(raw, name, table)
    problems, notes = upload.problems, upload.notes
    if upload.refusal is None and upload.frame is not None:
        others = {key: frame for key, frame in reference.items() if key != table}
        _, problems, checked = check_upload(table, upload.frame, others, label=upload.label)
        notes = [*notes, *checked]
    return upload, problems, notes, time.monotonic() - started


BASE_ROWS = (BASE / "observations.csv").read_text(encoding="utf-8").split("\n")


@pytest.mark.slow
def test_an_unclosed_quote_before_200_kb_of_text_is_named_where_it_opens(workspace, good_build, tmp_path, reference):
    """Past the csv module's 128 KB field limit: a line, never a traceback, by both paths."""
    data_dir, db = workspace
    row = BASE_ROWS[1].split(",")
    row[13] = '"' + "原文很长" * 50_000  # 200,000 characters, the quote never closed
    raw = ("\n".join([BASE_ROWS[0], BASE_ROWS[2], ",".join(row), BASE_ROWS[3]]) + "\n").encode()
    (data_dir / "observations.csv").write_bytes(raw)
    result, elapsed, peak = measured_build(data_dir, db, tmp_path)
    print(f"\nunclosed quote before 200 KB: refused in {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    expected = 'observations.csv:3: a quote (") opens a cell that never closes'
    assert result.returncode == cli.EXIT_INVALID and stderr_lines(result)[0] == expected, result.stderr
    assert "Traceback" not in result.stderr
    assert_warehouse_untouched(db, good_build)
    _, problems, _, _ = timed_upload(raw, "observations.csv", "observations", reference)
    assert [str(problem) for problem in problems] == [expected]


@pytest.mark.slow
def test_250000_blank_comma_lines_are_read_alike_by_build_and_upload(workspace, good_build, tmp_path, reference):
    """Excel's used range saved as lines of bare commas: no rows, by either path."""
    data_dir, db = workspace
    raw = ("\n".join(BASE_ROWS[:3]) + "\n").encode() + b"," * 15 * 1 + b"\n" + (b"," * 15 + b"\n") * 250_000
    (data_dir / "observations.csv").write_bytes(raw)
    result, elapsed, peak = measured_build(data_dir, db, tmp_path)
    print(f"\n250,000 blank comma lines: built in {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    assert result.returncode == cli.EXIT_OK and result.stderr == "", result.stderr
    assert row_counts(db)["observations"] == 2
    upload, problems, notes, seconds = timed_upload(raw, "observations.csv", "observations", reference)
    print(f"the same through the upload path: {seconds:.1f} s")
    assert upload.refusal is None and problems == [] and len(upload.frame) == 2
    assert seconds < 30 and elapsed < 60


def big_workbook(rows: int, blank_rows: int = 0, unique_notes: bool = False) -> bytes:
    """Observations as a workbook: the base's second row repeated with new periods, each row's
    notes unique text (a large shared-strings table) when asked, then formatted blank rows."""
    import base64
    import hashlib as digests

    from tests.data.bad.xlsx_maker import Sheet, workbook

    header = BASE_ROWS[0].split(",")
    first = BASE_ROWS[1].split(",")
    body = []
    for number in range(rows):
        cells = list(first)
        cells[2] = 1950 + number % 150  # period
        cells[5] = 10
        if unique_notes:
            seed = str(number).encode()  # 132 characters, none alike and hardly compressible
            cells[14] = base64.b64encode(digests.sha512(seed).digest() + digests.sha256(seed).digest()).decode()
        body.append([cell if cell != "" else None for cell in cells])
    return workbook([Sheet("数据", [header, *body], blank_formatted_rows=blank_rows, columns_wide=4)])


@pytest.mark.slow
def test_a_5_mb_workbook_with_a_large_shared_strings_table(workspace, good_build, tmp_path, reference):
    data_dir, db = workspace
    raw = big_workbook(40_000, unique_notes=True)
    print(f"\nworkbook: {len(raw) / 1e6:.1f} MB")
    assert len(raw) > 4_000_000
    (data_dir / "observations.csv").unlink()
    (data_dir / "observations.xlsx").write_bytes(raw)
    result, elapsed, peak = measured_build(data_dir, db, tmp_path)
    print(f"large shared strings: refused in {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    # 40,000 rows over 150 periods: every row past the first 150 repeats a key.
    assert result.returncode == cli.EXIT_INVALID
    assert stderr_lines(result)[-1] == f"{40_000 - 150} problem(s) found in {data_dir}; nothing was loaded"
    assert_warehouse_untouched(db, good_build)
    upload, problems, _, seconds = timed_upload(raw, "observations.xlsx", "observations", reference)
    print(f"the same through the upload path: {seconds:.1f} s")
    assert upload.refusal is None and len(problems) == 40_000 - 150
    assert elapsed < 120 and peak < 1024 and seconds < 120


@pytest.mark.slow
def test_300000_formatted_blank_rows_are_never_parsed(workspace, good_build, tmp_path, reference):
    data_dir, db = workspace
    raw = big_workbook(2, blank_rows=300_000)
    (data_dir / "observations.csv").unlink()
    (data_dir / "observations.xlsx").write_bytes(raw)
    result, elapsed, peak = measured_build(data_dir, db, tmp_path)
    print(f"\n300,000 formatted blank rows ({len(raw) / 1e6:.1f} MB): built in {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    assert result.returncode == cli.EXIT_OK, result.stderr
    assert row_counts(db)["observations"] == 2
    upload, problems, _, seconds = timed_upload(raw, "observations.xlsx", "observations", reference)
    print(f"the same through the upload path: {seconds:.1f} s")
    assert upload.refusal is None and problems == [] and len(upload.frame) == 2
    assert elapsed < 60 and peak < 1024 and seconds < 30
