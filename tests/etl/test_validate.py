"""One broken copy of the curated data per rule; each must be named as file:line: column."""
from __future__ import annotations

import pytest

from etl.problems import DataError
from etl.validate import validate_dir
from tests.conftest import append_row, edit_row, read_rows, write_rows


def problems(data_dir) -> list[str]:
    with pytest.raises(DataError) as error:
        validate_dir(data_dir)
    return [str(problem) for problem in error.value.problems]


def test_the_curated_data_are_valid(data_dir):
    dataset = validate_dir(data_dir)
    assert dataset.row_counts()["observations"] > 150


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", '"abc" is not a number'),
        ("96.08%", '"96.08%" must be a plain number: leave out "%"'),
        ("约400", '"约400" must be a plain number: put 约/近/多/余/以上 in the qualifier column'),
        ("四", '"四" is not a number'),
        ("1,5", '"1,5" must be a plain number: leave out the thousands separator'),
        ("-5", '"-5" must not be negative'),
        ("", "is blank; this column is required"),
    ],
)
def test_value_must_be_a_non_negative_number(data_dir, value, reason):
    line = edit_row(data_dir / "observations.csv", 3, value=value)
    found = problems(data_dir)
    assert len(found) == 1
    assert found[0].startswith(f"observations.csv:{line}: value: {reason}")


@pytest.mark.parametrize(
    ("written", "read"),
    [("24,603", 24603.0), ("1,000.5", 1000.5), ("９６．０８", 96.08), ("１，０００", 1000.0)],
)
def test_excel_and_ime_numbers_are_normalised(data_dir, written, read):
    edit_row(data_dir / "observations.csv", 3, value=written, evidence=f"共{read:g}人")  # the evidence states it
    dataset = validate_dir(data_dir)
    assert dataset.frames["observations"]["value"].iloc[3] == read
    assert any("observations.csv: value:" in str(note) for note in dataset.notes)


def test_repeated_header_row_is_named_once(data_dir):
    obs = data_dir / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines(keepends=True)
    obs.write_text("".join(lines[:5] + [lines[0]] + lines[5:]), encoding="utf-8")
    assert problems(data_dir) == [
        "observations.csv:6: repeats the header row; remove it (were two files pasted together?)"
    ]


def test_mixed_encodings_are_refused_by_line(data_dir):
    path = data_dir / "institutions.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    raw = "".join(text[:3]).encode("gbk") + text[3].encode("utf-8") + "".join(text[4:]).encode("gbk")
    path.write_bytes(raw)
    found = problems(data_dir)
    assert found == ["institutions.csv: file mixes encodings: line 4 is UTF-8 but other lines are GBK; save the whole file once as CSV UTF-8"]


def test_percent_over_100(data_dir):
    _, rows = read_rows(data_dir / "observations.csv")
    index = next(i for i, row in enumerate(rows) if row["indicator_id"] == "emp_destination_rate")
    line = edit_row(data_dir / "observations.csv", index, value="196.08")
    assert problems(data_dir) == [
        f"observations.csv:{line}: value: 196.08 is over 100, but emp_destination_rate is a percent"
    ]


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("observations", "qualifier", "roughly"),
        ("observations", "kind", "plan"),
        ("observations", "period_type", "school_year"),
        ("awards", "level", "city"),
        ("awards", "grade", "platinum"),
        ("awards", "recipient", "team"),
        ("institutions", "type", "university"),
        ("indicators", "theme", "sports"),
        ("indicators", "unit", "percentage"),
        ("sources", "kind", "report"),
    ],
)
def test_unknown_vocabulary(data_dir, table, column, value):
    line = edit_row(data_dir / f"{table}.csv", 1, **{column: value})
    found = problems(data_dir)
    assert len(found) == 1
    assert found[0].startswith(f'{table}.csv:{line}: {column}: unknown value "{value}"; use one of: ')


@pytest.mark.parametrize(
    ("table", "column", "parent"),
    [
        ("observations", "institution_id", "institutions"),
        ("observations", "indicator_id", "indicators"),
        ("observations", "source_id", "sources"),
        ("awards", "institution_id", "institutions"),
        ("awards", "source_id", "sources"),
        ("sources", "institution_id", "institutions"),
    ],
)
def test_unknown_ids(data_dir, table, column, parent):
    line = edit_row(data_dir / f"{table}.csv", 0, **{column: "no_such_id"})
    found = problems(data_dir)
    assert f'{table}.csv:{line}: {column}: unknown {column.removesuffix("_id")} "no_such_id": not in {parent}.csv' in found


def test_source_of_another_institution(data_dir):
    line = edit_row(data_dir / "observations.csv", 0, source_id="ningbo_2021_summary")
    assert problems(data_dir) == [
        f'observations.csv:{line}: source_id: source "ningbo_2021_summary" belongs to institution '
        f'"ningbo_tc2", not "dalian_vtc"'
    ]


def test_duplicate_observation_key(data_dir):
    _, rows = read_rows(data_dir / "observations.csv")
    line = append_row(data_dir / "observations.csv", **{**rows[4], "notes": "the same figure again"})
    found = problems(data_dir)
    assert len(found) == 1
    assert found[0].startswith(f"observations.csv:{line}: institution_id+indicator_id+period+period_type+kind+source_id: duplicate key")
    assert found[0].endswith("first on line 6")


def test_duplicate_institution_id(data_dir):
    _, rows = read_rows(data_dir / "institutions.csv")
    line = append_row(data_dir / "institutions.csv", **{**rows[0], "name_zh": "重复"})
    assert problems(data_dir) == [
        f"institutions.csv:{line}: institution_id: duplicate key (institution_id=dalian_vtc); first on line 2"
    ]


def test_duplicate_award_row(data_dir):
    _, rows = read_rows(data_dir / "awards.csv")
    line = append_row(data_dir / "awards.csv", **rows[0])
    assert any(p.startswith(f"awards.csv:{line}: ") and "duplicate key" in p for p in problems(data_dir))


def test_missing_column(data_dir):
    header, rows = read_rows(data_dir / "observations.csv")
    header.remove("qualifier")
    write_rows(data_dir / "observations.csv", header, rows)
    assert problems(data_dir) == ["observations.csv:1: qualifier: missing column"]


def test_optional_column_may_be_left_out(data_dir):
    header, rows = read_rows(data_dir / "observations.csv")
    header.remove("conflict")  # (notes may not go: derived figures say in notes how they were got)
    write_rows(data_dir / "observations.csv", header, rows)
    assert validate_dir(data_dir).frames["observations"]["conflict"].isna().all()


def test_notes_may_not_be_left_out_while_a_figure_is_derived(data_dir):
    header, rows = read_rows(data_dir / "observations.csv")
    assert any(row["derivation"] for row in rows)  # the curated data hold derived figures
    header.remove("notes")
    write_rows(data_dir / "observations.csv", header, rows)
    found = problems(data_dir)
    assert found and all(": derivation: " in line and "say in notes how" in line for line in found)


def test_unknown_column(data_dir):
    header, rows = read_rows(data_dir / "awards.csv")
    write_rows(data_dir / "awards.csv", [*header, "qualifer"], rows)
    found = problems(data_dir)
    assert found[0].startswith("awards.csv:1: qualifer: unknown column; the columns are: institution_id, ")


def test_empty_file(data_dir):
    (data_dir / "awards.csv").write_bytes(b"")
    assert problems(data_dir) == ["awards.csv: file is empty: it needs at least a header line"]


def test_missing_file(data_dir):
    (data_dir / "sources.csv").unlink()
    found = problems(data_dir)
    assert "sources.csv: file is missing" in found


def test_file_in_neither_encoding_is_rejected_by_name(data_dir):
    (data_dir / "indicators.csv").write_bytes("indicator_id\n".encode("utf-16"))
    found = problems(data_dir)
    assert found[0].startswith("indicators.csv: file is UTF-16")


def test_gbk_file_from_wps_is_read(data_dir):
    header, rows = read_rows(data_dir / "institutions.csv")
    write_rows(data_dir / "institutions.csv", header, rows, encoding="gbk")
    dataset = validate_dir(data_dir)
    assert "大连职业技术学院" in dataset.frames["institutions"]["name_zh"].tolist()
    assert dataset.encodings["institutions"] == "gb18030"


def test_excel_booleans_in_capitals_are_read(data_dir):
    edit_row(data_dir / "indicators.csv", 0, higher_is_better="TRUE")
    assert bool(validate_dir(data_dir).frames["indicators"]["higher_is_better"].iloc[0]) is True


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("period", "21", '"21" is not a year'),
        ("period", "2021.0", '"2021.0" is not a year'),
        ("period_end", "2019", "2019 is before period 2021"),
    ],
)
def test_periods(data_dir, column, value, reason):
    line = edit_row(data_dir / "observations.csv", 0, **{column: value})
    assert problems(data_dir) == [f"observations.csv:{line}: {column}: {reason}" + ("" if column == "period_end" else " (1949-2100, four digits)")]


def test_published_must_be_an_iso_date(data_dir):
    line = edit_row(data_dir / "sources.csv", 4, published="2022/2/24")
    assert problems(data_dir) == [f'sources.csv:{line}: published: "2022/2/24" is not a date; write YYYY-MM-DD']


def test_id_must_be_a_slug(data_dir):
    _, rows = read_rows(data_dir / "institutions.csv")
    line = append_row(data_dir / "institutions.csv", **{**rows[0], "institution_id": "大连", "name_zh": "大连某学院",
                                                         "alt_name_zh": ""})
    assert problems(data_dir) == [
        f'institutions.csv:{line}: institution_id: "大连" is not an id: use lowercase ASCII letters, digits, "_" or "-"'
    ]


def test_award_count_of_zero_is_refused(data_dir):
    line = edit_row(data_dir / "awards.csv", 0, count="0")
    assert problems(data_dir) == [
        f"awards.csv:{line}: count: is 0; leave out awards the report does not give (missing is not zero)"
    ]


def test_award_count_must_be_whole(data_dir):
    line = edit_row(data_dir / "awards.csv", 0, count="1.5")
    assert problems(data_dir) == [f'awards.csv:{line}: count: "1.5" is not a whole number']


def test_overlong_cell(data_dir):
    line = edit_row(data_dir / "observations.csv", 0, evidence="证" * 2001)
    assert problems(data_dir) == [f"observations.csv:{line}: evidence: is 2001 characters long; the limit is 2000"]


def test_every_problem_is_reported_not_just_the_first(data_dir):
    obs = data_dir / "observations.csv"
    lines = [
        edit_row(obs, 2, value="n/a"),
        edit_row(obs, 10, qualifier="about"),
        edit_row(obs, 20, indicator_id="nope"),
    ]
    award_line = edit_row(data_dir / "awards.csv", 5, level="galactic")
    header, rows = read_rows(data_dir / "sources.csv")
    header.remove("title")
    write_rows(data_dir / "sources.csv", header, rows)
    found = problems(data_dir)
    where = {problem.split(": ", 1)[0] for problem in found}
    assert where == {
        "sources.csv:1",
        *(f"observations.csv:{line}" for line in lines),
        f"awards.csv:{award_line}",
    }


def test_line_numbers_count_comments_blank_lines_and_multiline_cells(data_dir):
    obs = data_dir / "observations.csv"
    text = obs.read_text(encoding="utf-8").splitlines(keepends=True)
    header, first, second = text[0], text[1], text[2]
    # Line 2 a comment, line 3 blank, line 4 a row whose notes span two lines, line 6 a bad row.
    multiline = first.rstrip("\n").rsplit(",", 1)[0] + ',"第一行\n第二行"\n'
    bad = second.replace(",exact,", ",about,", 1)
    obs.write_text(header + "# 示例行，跳过\n\n" + multiline + bad, encoding="utf-8")
    assert problems(data_dir) == [
        'observations.csv:6: qualifier: unknown value "about"; use one of: exact | approx | more_than | at_least'
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1" + "0" * 400, "is too large to be a number"),
        ("10¹", "it holds a superscript or circled digit"),
        ("⑩", "it holds a superscript or circled digit"),
        ("96.08\n（2021届）", "it holds a line break"),
    ],
)
def test_numbers_that_only_look_like_numbers_are_refused_on_one_line(data_dir, value, reason):
    line = edit_row(data_dir / "observations.csv", 3, value=value)
    found = problems(data_dir)
    assert len(found) == 1 and "\n" not in found[0]
    assert found[0].startswith(f"observations.csv:{line}: value: ") and reason in found[0]


def test_a_cell_gets_the_first_check_it_fails_not_all_of_them(data_dir):
    line = edit_row(data_dir / "observations.csv", 0, indicator_id="Not An Id" * 10)
    assert problems(data_dir) == [
        f'observations.csv:{line}: indicator_id: "{("Not An Id" * 10)[:57]}..." is not an id: use lowercase ASCII letters, digits, "_" or "-"'
    ]


# --- schema 4: basis, since, as_of, derivation, comparability, award totals ---------------

def _test_rows(data_dir):
    """Two synthetic colleges (sources without a document) and an indicator of our own, so
    these rules are tested apart from what the curated rows happen to hold."""
    from tests.conftest import add_test_institutions

    add_test_institutions(data_dir, 2)
    append_row(
        data_dir / "indicators.csv", indicator_id="trn_test_counted", theme="training", name_zh="测试计数",
        name_en="Test count", unit="persons", definition_zh="测试", definition_en="Test", higher_is_better="true",
        comparable="true", standard="",
    )

    def figure(institution, value, **cells):
        row = dict(institution_id=institution, indicator_id="trn_test_counted", period="2021", period_end="",
                   period_type="calendar_year", value=str(value), qualifier="exact", kind="actual", basis="flow",
                   since="", as_of="", derivation="", source_id=f"{institution}_2021",
                   evidence=f"合成测试数据：{value}", notes="", conflict="")
        row.update(cells)
        return append_row(data_dir / "observations.csv", **row)
    return figure


def test_a_cumulative_figure_needs_the_year_it_counts_from(data_dir):
    figure = _test_rows(data_dir)
    line = figure("test_college_1", 30, basis="cumulative", since="")
    assert problems(data_dir) == [f"observations.csv:{line}: basis: is cumulative, so `since` needs the year it counts "
                                  "from (2020年以来 -> 2020); a running total with no start year is a stock"]


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"basis": "flow", "since": "2019"}, "since", 'is only for cumulative figures, but basis is "flow"'),
        ({"basis": "cumulative", "since": "2022"}, "since", "2022 is after period 2021"),
        ({"basis": "stock", "period_end": "2022"}, "period_end", "is only for a flow over several years"),
        ({"as_of": "2019-12-31"}, "as_of", "2019-12-31 is outside the figure's period 2021-2021"),
        ({"derivation": "summed"}, "derivation", 'is "summed": say in notes how'),
    ],
)
def test_basis_rules_name_the_cell(data_dir, cells, column, reason):
    figure = _test_rows(data_dir)
    line = figure("test_college_1", 30, **cells)
    found = problems(data_dir)
    assert len(found) == 1 and found[0].startswith(f"observations.csv:{line}: {column}: {reason}")


def test_a_measurement_date_may_fall_a_year_after_the_period(data_dir):
    figure = _test_rows(data_dir)
    figure("test_college_1", 30, basis="stock", as_of="2022-08-31")
    figure("test_college_2", 31, basis="stock", as_of="2021-12-26", derivation="counted", notes="数列举的名称")
    assert validate_dir(data_dir).row_counts()["observations"] > 0


def test_a_comparable_indicator_may_not_mix_bases(data_dir):
    figure = _test_rows(data_dir)
    first = figure("test_college_1", 30, period="2020")
    figure("test_college_2", 31, period="2020")
    odd = figure("test_college_1", 40, basis="cumulative", since="2019")
    assert problems(data_dir) == [
        f"observations.csv:{odd}: basis: cumulative, but trn_test_counted is comparable and its other figures are flow "
        f"(as on line {first}); use another indicator for this basis, or set comparable=false in indicators.csv"
    ]
    header, rows = read_rows(data_dir / "indicators.csv")
    for row in rows:
        if row["indicator_id"] == "trn_test_counted":
            row["comparable"] = "false"
    write_rows(data_dir / "indicators.csv", header, rows)
    validate_dir(data_dir)  # not comparable: each basis may stand on its own


def _award(data_dir, **cells):
    row = dict(institution_id="test_college_1", period="2021", period_end="", period_type="calendar_year",
               competition="测试大赛", competition_en="Test contest", category="competition", level="national",
               level_scope="", grade="first", recipient="student", count="2", unit="items", qualifier="exact",
               is_total="false", derivation="", source_id="test_college_1_2021", evidence="合成测试数据：2项",
               notes="", conflict="")
    row.update({key: str(value) for key, value in cells.items()})
    if "evidence" not in cells:
        row["evidence"] = f"合成测试数据：{row['count']}项"  # the count as its evidence states it
    return append_row(data_dir / "awards.csv", **row)


def test_items_inside_a_total_may_not_exceed_it(data_dir):
    _test_rows(data_dir)
    _award(data_dir, competition="甲赛", count=3)
    _award(data_dir, competition="乙赛", level="provincial", grade="second", count=4)
    total = _award(data_dir, competition="各类竞赛（合计）", level="provincial", level_scope="or_higher", grade="other",
                   count=5, is_total="true", period="2020", period_end="2021")
    assert problems(data_dir) == [
        f"awards.csv:{total}: is_total: the total is 5, but the itemised awards it covers add up to 7; check both, "
        "or write in `conflict` how the report contradicts itself"
    ]


def test_a_total_with_a_conflict_note_is_kept(data_dir):
    _test_rows(data_dir)
    _award(data_dir, competition="甲赛", count=3)
    _award(data_dir, competition="各类竞赛（合计）", grade="other", count=1, is_total="true", unit="items",
           conflict="报告称国家级奖项1项，与分项3项不符")
    validate_dir(data_dir)


def test_an_award_inside_two_totals_is_refused(data_dir):
    _test_rows(data_dir)
    item = _award(data_dir, competition="甲赛", count=1)
    first = _award(data_dir, competition="合计一", grade="other", count=5, is_total="true")
    second = _award(data_dir, competition="合计二", level="provincial", level_scope="or_higher", grade="other",
                    count=9, is_total="true")
    assert problems(data_dir) == [
        f"awards.csv:{item}: count: lies within the totals on lines {first}, {second}; an award can be part of one total "
        "only (nested totals such as 省级以上 and 其中国家级: keep the broader one)"
    ]


def test_or_higher_belongs_to_totals(data_dir):
    _test_rows(data_dir)
    line = _award(data_dir, level_scope="or_higher")
    assert problems(data_dir) == [
        f'awards.csv:{line}: level_scope: only a total (is_total=true) can cover "or higher" levels (省部级以上)'
    ]
