"""The extractor's rules, each with its own sentence written in the style of a college's
report (none copied from the five shipped reports)."""
from __future__ import annotations

import pytest

from etl.extract import Options, extract_lines, load_catalogue
from etl.extract.layout import paragraphs

OPTIONS = Options("demo_vtc", "demo_2021", province="浙江", city="宁波")


def extract(text: str, options: Options = OPTIONS, title: str = "示范学院2021年工作总结"):
    return extract_lines([title, *text.splitlines()], "t.txt", options)


def obs(text: str, **kwargs) -> list[tuple]:
    return [(c.row["value"], c.row["qualifier"], c.row["kind"], c.row["period"]) for c in extract(text, **kwargs).observations]


def awards(text: str, **kwargs) -> list[tuple]:
    return [(c.row["count"], c.row["level"], c.row["grade"], c.row["recipient"], c.row["unit"])
            for c in extract(text, **kwargs).awards]


# --- period and kind --------------------------------------------------------------------

def test_review_section_holds_its_own_year():
    text = "一、2020年工作回顾\n全年新增合作企业30家。\n二、2021年重点工作\n新增合作企业40家。"
    assert obs(text, title="示范学院2021年工作报告") == [
        ("30", "exact", "actual", "2020"), ("40", "exact", "actual", "2021")]


def test_plan_section_makes_targets():
    text = "一、2022年工作总结\n开展培训3000人次。\n二、2023年工作思路\n开展培训5000人次。"
    assert obs(text, title="示范学院2022年工作总结") == [
        ("3000", "exact", "actual", "2022"), ("5000", "exact", "target", "2023")]


def test_plan_words_in_the_clause():
    assert obs("力争新增省级课题10项。") == [("10", "exact", "target", "2021")]
    assert obs("全年计划招生1200人。") == [("1200", "exact", "target", "2021")]
    # 将 as the object marker, and a programme's name, are not plans
    assert obs("将原有8个系部整合为6个二级学院。") == [("8", "exact", "actual", "2021"), ("6", "exact", "actual", "2021")]
    assert obs("落实三年行动计划，完成15门课程建设。") == [("15", "exact", "actual", "2021")]


def test_cohort_and_academic_year():
    rows = extract("2021届毕业生共1500人。").observations
    assert (rows[0].row["period"], rows[0].row["period_type"]) == ("2021", "calendar_year")
    academic = extract("本学年共培训800人。", title="示范技师学院2021学年工作总结").observations[0].row
    assert (academic["period"], academic["period_type"]) == ("2021", "academic_year")
    # a calendar year inside the academic year stays on it; 今年 is the year of writing
    rows = extract("2022年市级比赛中获奖12项。今年计划招生600名。", title="示范技师学院2021学年工作总结").observations
    assert [(r.row["period"], r.row["period_type"], r.row["kind"]) for r in rows] == [
        ("2021", "academic_year", "actual"), ("2022", "calendar_year", "target")]


def test_a_comparison_base_is_not_the_period():
    assert obs("确保就业率较2020年提升2%以上。") == [("2", "at_least", "target", "2021")]


def test_years_ago_and_since():
    rows = extract("近两年累计培训教师300人次。\n2019年以来，建成实训基地12个。", title="示范学院2021年工作总结").observations
    assert [(r.row["period"], r.row["period_end"], r.row["since"], r.row["basis"]) for r in rows] == [
        ("2020", "2021", "2020", "cumulative"), ("2019", "2021", "2019", "cumulative")]


def test_a_time_phrase_runs_on_until_an_inline_heading():
    text = "校企合作有新进展。2019年以来，新增订单班8个。另建成大师工作室5个。服务能力有提升。开展技术服务20项。"
    rows = extract(text).observations
    assert [(r.row["value"], r.row["period"]) for r in rows] == [("8", "2019"), ("5", "2019"), ("20", "2021")]


def test_year_of_another_figure_does_not_carry():
    text = "一、2020年工作回顾\n在省级考核中由2019年第9名提升至第4名，同时获评优秀单位3个。"
    rows = extract(text, title="示范学院2021年工作报告").observations
    assert [(r.row["value"], r.row["period"]) for r in rows] == [("9", "2019"), ("4", "2020"), ("3", "2020")]


def test_as_of_date_and_basis():
    row = extract("截至12月31日，在校生总数达12000人。").observations[0].row
    assert row["as_of"] == "2021-12-31" and row["basis"] == "stock"
    assert extract("全年开展讲座20场。").observations[0].row["basis"] == "flow"


def test_a_rate_measured_at_a_date_is_a_stock_and_a_years_graduates_a_flow():
    graduates, rate = extract("2021届毕业生共计3447人，截至12月31日，毕业去向落实率为96.08%。").observations
    assert (rate.row["value"], rate.row["as_of"], rate.row["basis"]) == ("96.08", "2021-12-31", "stock")
    assert (graduates.row["value"], graduates.row["basis"]) == ("3447", "flow")


def test_durations_dates_and_names_are_not_candidates():
    assert obs("学习贯彻“四个意识”，开展三年行动，举办第七届技能节，5月20日召开大会。") == []


def test_range_keeps_upper_bound_in_notes():
    row = extract("计划引进3-4家龙头企业。").observations[0].row
    assert (row["value"], row["qualifier"], row["kind"]) == ("3", "at_least", "target")
    assert "上限 4" in row["notes"]


# --- awards -----------------------------------------------------------------------------

def test_each_count_is_its_own_row():
    assert awards("学生在第八届全省职业院校技能大赛中获一等奖2项、二等奖4项、三等奖6项。") == [
        ("2", "provincial", "first", "student", "items"), ("4", "provincial", "second", "student", "items"),
        ("6", "provincial", "third", "student", "items")]


def test_medals_written_short_and_long():
    assert awards("在全国行业技能大赛中获得金牌3枚。") == [("3", "national", "gold", "student", "items")]
    assert [row[:3] for row in awards("在市级中职技能比赛中获得4金7银9铜。")] == [
        ("4", "municipal", "gold"), ("7", "municipal", "silver"), ("9", "municipal", "bronze")]


def test_level_of_the_awarding_body():
    assert awards("在世界技能大赛中获优胜奖1项。")[0][1:3] == ("international", "excellent")
    assert awards("获中国国际“互联网+”大学生创新创业大赛银奖1项。")[0][1] == "national"
    assert awards("获宁波市青年教师教学比赛一等奖1项。")[0][1] == "municipal"
    # in a province-level city, 市级 is provincial
    tianjin = Options("demo", "demo_2021", province="天津", city="天津")
    assert awards("获天津市职业院校技能大赛一等奖3项。", options=tianjin)[0][1] == "provincial"


def test_person_times_and_totals():
    rows = extract("学生获得国家级奖项12人次，省级奖项40人次。").awards
    assert [(r.row["count"], r.row["level"], r.row["unit"], r.row["is_total"]) for r in rows] == [
        ("12", "national", "person_times", "true"), ("40", "provincial", "person_times", "true")]


def test_awards_without_a_number_are_counted():
    rows = extract("张明、李华、王芳获得省级教学能力比赛一等奖。").awards
    assert [(r.row["count"], r.row["unit"], r.row["derivation"]) for r in rows] == [("3", "person_times", "counted")]
    rows = extract("在市中学生足球比赛中获男子、女子冠军。").awards
    assert [(r.row["count"], r.row["grade"]) for r in rows] == [("2", "gold")]
    rows = extract("在全国数控技能大赛、全国机器人比赛中均获二等奖。").awards
    assert [(r.row["competition"], r.row["count"]) for r in rows] == [("全国数控技能大赛", "1"), ("全国机器人比赛", "1")]
    assert extract("获全国教学能力比赛二等奖。").awards[0].row["count"] == "1"


def test_a_grade_is_not_an_observation():
    text = "荣获省级技能大赛一等奖2项。"
    assert extract(text).observations == [] and len(extract(text).awards) == 1


def test_teacher_awards():
    assert awards("教师在省级微课比赛中获一等奖2项。")[0][3] == "teacher"


def test_category():
    rows = extract("学校获省级教学成果奖一等奖1项，在全国技能大赛中获二等奖1项。").awards
    assert [r.row["category"] for r in rows] == ["research_prize", "competition"]


def test_listed_units_are_counted():
    rows = extract("机电学院、艺术学院党总支获评省级党建标杆院系。").observations
    assert [(r.row["value"], r.row["derivation"]) for r in rows] == [("2", "counted")]


# --- layout -----------------------------------------------------------------------------

def test_lines_broken_by_the_layout_are_joined_and_page_numbers_dropped():
    wrapped = ["学院获得全国职业院校技能大赛教学能力比赛一"] + ["等奖1项，另获省级教学能力比赛二等奖3项，全年" + "新"] + \
        ["", "7", "", "增合作企业20家。"] + ["院系以专业群为单位开展党建工作，形成了较好的"] * 12
    paras = paragraphs(wrapped)
    assert paras[0].text.startswith("学院获得全国职业院校技能大赛教学能力比赛一等奖1项")
    assert "7" not in paras[0].text and paras[0].breaks
    extraction = extract_lines(["示范学院2021年工作总结", *wrapped], "t.txt", OPTIONS)
    assert [(c.row["grade"], c.row["count"]) for c in extraction.awards] == [("first", "1"), ("second", "3")]
    partners = next(c for c in extraction.observations if c.row["value"] == "20")
    assert partners.row["evidence"] == "增合作企业20家"  # never across the dropped page number
    assert partners.line == 7  # the report's own line (the title is line 1)


def test_headings_are_not_joined_to_their_text():
    paras = paragraphs(["一、党建工作", "全年开展学习12次。"])
    assert [p.text for p in paras] == ["一、党建工作", "全年开展学习12次。"]


# --- indicator suggestions --------------------------------------------------------------

INDICATORS = [
    {"indicator_id": "pb_study_sessions", "unit": "times", "name_zh": "理论学习中心组学习次数",
     "definition_zh": "党委理论学习中心组集中学习的次数。"},
    {"indicator_id": "trn_person_times", "unit": "person_times", "name_zh": "社会培训人次",
     "definition_zh": "面向社会开展培训的人次。"},
    {"indicator_id": "emp_rate", "unit": "percent", "name_zh": "毕业去向落实率",
     "definition_zh": "已落实去向的毕业生占比。"},
]


def test_suggestions_rank_by_words_and_unit():
    catalogue = load_catalogue(None, indicators=INDICATORS, observations=[])
    extraction = extract_lines(["示范学院2021年工作总结", "全年组织理论中心组学习9次，开展各类社会培训5000人次，毕业去向落实率为97%。"],
                               "t.txt", OPTIONS, catalogue)
    assert [c.suggestions[0] for c in extraction.observations] == ["pb_study_sessions", "trn_person_times", "emp_rate"]
    assert all(c.row["indicator_id"] == c.suggestions[0] for c in extraction.observations)


def test_curated_evidence_teaches_the_catalogue():
    catalogue = load_catalogue(None, indicators=INDICATORS, observations=[
        {"indicator_id": "trn_person_times", "source_id": "a", "evidence": "开展职业技能鉴定2000人次"}])
    extraction = extract_lines(["示范学院2021年工作总结", "开展职业技能鉴定3100人次。"], "t.txt", OPTIONS, catalogue)
    assert extraction.observations[0].suggestions[0] == "trn_person_times"


@pytest.mark.parametrize("unit_text", ["近400人", "460多次", "百余次", "两个", "1.2万余人次", "4:1以上", "不低于92%"])
def test_issue_examples_become_candidates(unit_text):
    assert len(extract(f"全年接待企业来访{unit_text}。").observations) == 1
