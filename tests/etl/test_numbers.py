"""etl.numbers: each rule with its own sentence, written in the style of a college's report
(none is copied from the five shipped reports)."""
from __future__ import annotations

import pytest

from etl.numbers import find_dates, find_figures, fold, occurs


def only(text: str):
    figures = find_figures(text)
    assert len(figures) == 1, [(f.text, f.value) for f in figures]
    return figures[0]


def amounts(text: str):
    return [(f.value, f.qualifier, f.unit) for f in find_figures(text) if f.kind in ("amount", "percent", "ratio")]


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "unit"),
    [
        # qualifiers before the number
        ("全年接待来访企业近400家", 400, "approx", "家"),
        ("参训教师约120人", 120, "approx", "人"),
        ("共建实训基地将近20个", 20, "approx", "个"),
        ("服务社区居民超过3000人次", 3000, "more_than", "人次"),
        ("线上课程访问量逾5万次", 50000, "more_than", "次"),
        ("年培训规模突破1万人次", 10000, "more_than", "人次"),
        ("双师型教师比例不低于92%", 92, "at_least", "%"),
        ("实习对口率不少于80%", 80, "at_least", "%"),
        ("生均经费至少1.5万元", 1.5, "at_least", "万元"),
        ("单次培训人数不超过50人", 50, "at_most", "人"),
        # qualifiers after the number
        ("开展志愿服务460多次", 460, "more_than", "次"),
        ("举办讲座20余场", 20, "more_than", "场"),
        ("毕业生就业率在95%左右", 95, "approx", "%"),
        ("岗位与毕业生之比达4:1以上", 4, "at_least", ":1"),
        ("企业满意度达90%以上", 90, "at_least", "%"),
        ("参赛选手600 余人", 600, "more_than", "人"),
        # fuzzy amounts
        ("组织各类文体活动百余次", 100, "more_than", "次"),
        ("发表通讯稿件近千篇", 1000, "approx", "篇"),
        ("吸引数十家企业参会", 10, "more_than", "家"),
        ("带动上百名学生参与", 100, "approx", "名"),
        ("完成横向课题十余项", 10, "more_than", "项"),
        ("接收实习学生千余人", 1000, "more_than", "人"),
        # Chinese numerals with a measure word
        ("新增两个省级示范专业", 2, "exact", "个"),
        ("获批十二项市级课题", 12, "exact", "项"),
        ("选派一百二十人赴企业实践", 120, "exact", "人"),
        ("引进四家行业龙头企业", 4, "exact", "家"),
        ("学校是全省唯一一所入选的高职院校", 1, "exact", "所"),
        # magnitudes
        ("服务社会人员1.2万余人次", 12000, "more_than", "人次"),
        ("年培训量达3.5万余", 35000, "more_than", ""),
        ("平台累计访问500余万次", 5_000_000, "more_than", "次"),
        ("线上观看人数超过一百万人次", 1_000_000, "more_than", "人次"),
        ("捐赠防疫物资2 万只", 20000, "exact", "只"),
        ("总阅读量达近 80 万次", 800_000, "approx", "次"),
        ("投入两万元购置设备", 2, "exact", "万元"),
        # money units are units, not magnitudes
        ("获得专项资金300万元", 300, "exact", "万元"),
        ("年度预算三十万元", 30, "exact", "万元"),
        ("科研到账经费1.2亿元", 1.2, "exact", "亿元"),
        # digits as typed: full width, thousands, decimals, percents
        ("全年培训１２３４５人次", 12345, "exact", "人次"),
        ("提供就业岗位24,603个", 24603, "exact", "个"),
        ("资产总值1,000.5万元", 1000.5, "exact", "万元"),
        ("初次就业率为９６．５％", 96.5, "exact", "%"),
        ("学生满意度达到百分之九十五", 95, "exact", "%"),
        ("安全隐患整改率百分之百", 100, "exact", "%"),
        ("一次性通过率为87.25%", 87.25, "exact", "%"),
        ("教师参与率达到80.2.%", 80.2, "exact", "%"),
    ],
)
def test_reads_value_qualifier_and_unit(text, value, qualifier, unit):
    figure = only(text)
    assert (figure.value, figure.qualifier, figure.unit) == (value, qualifier, unit)
    assert text[figure.start:figure.end] == figure.text
    assert figure.number_start >= figure.start and figure.number_end <= figure.end


def test_range_keeps_its_upper_bound():
    figure = only("计划新增3-4个校外实训基地")
    assert (figure.value, figure.upper, figure.qualifier, figure.unit) == (3, 4, "at_least", "个")
    figure = only("每班配备２～３名导师")
    assert (figure.value, figure.upper) == (2, 3)
    figure = only("组建三四个教学团队")
    assert (figure.value, figure.upper, figure.unit) == (3, 4, "个")


def test_a_grade_is_not_the_number_one():
    assert amounts("荣获省级技能大赛一等奖2项") == [(2, "exact", "项")]
    assert amounts("获全国职业院校技能大赛二等奖") == []
    assert amounts("学生获1等奖") == []


def test_medals_and_grades_after_counts():
    assert amounts("获得金牌3枚、银牌5枚") == [(3, "exact", "枚"), (5, "exact", "枚")]


def test_ordinals_and_years_are_their_own_kinds():
    figures = find_figures("2022届毕业生在全市考核中由第12名提升至第5名")
    assert [(f.kind, f.value) for f in figures] == [("year", 2022), ("ordinal", 12), ("ordinal", 5)]
    figure = only("2020-2021学年")
    assert (figure.kind, figure.value, figure.upper, figure.unit) == ("year", 2020, 2021, "学年")
    assert only("2023 年").kind == "year"


def test_words_that_hold_numerals_are_not_figures():
    for text in ("坚持“一岗双责”", "落实“三会一课”制度", "推进五育并举", "建设一流专业", "开展四史学习教育",
                 "千方百计稳就业", "百年大计", "进一步提升", "建立统一平台", "参加第七届大赛", "学习十四五规划"):
        assert amounts(text) == [], text


def test_codes_and_names_are_not_figures():
    for text in ("推进1+X证书试点", "建设5G实验室", "通过A7体系审核", "完成ST18型零件", "开设3D打印课程"):
        assert amounts(text) == [], text


def test_clause_comma_is_not_a_thousands_separator():
    assert [f.value for f in find_figures("三个班分别为120，150，180人")] == [3, 120, 150, 180]


def test_near_in_other_words_is_not_approx():
    assert [f.qualifier for f in find_figures("最近3年新增专业5个")] == ["exact", "exact"]
    assert only("节约经费20万元").qualifier == "exact"


def test_more_opening_the_next_word_is_not_more_than():
    figure = only("建成2个多功能报告厅")
    assert (figure.value, figure.qualifier, figure.unit) == (2, "exact", "个")


def test_offsets_point_into_the_original_text():
    text = "学院共有毕业生５２８人，就业率９８．１％。"
    figures = find_figures(text)
    assert [text[f.number_start:f.number_end] for f in figures] == ["５２８", "９８．１"]
    assert fold("５２８") == "528"


def test_spaces_and_line_breaks_between_number_and_unit():
    figure = only("完成 1\n个支部选举")
    assert (figure.value, figure.unit) == (1, "个")


def test_dates():
    dates = find_dates("截至12月31日，2021年6月2日举办，2022-02-24发布")
    assert [(d.year, d.month, d.day) for d in dates] == [(None, 12, 31), (2021, 6, 2), (2022, 2, 24)]
    # a date's numbers are not figures
    assert amounts("截至12月31日，共培训300人") == [(300, "exact", "人")]


@pytest.mark.parametrize(
    ("value", "qualifier", "evidence", "expected"),
    [
        ("24603", None, "累计提供岗位24,603个", True),
        (24603, "exact", "累计提供岗位２４６０３个", True),
        (2, None, "两个产业学院均获立项", True),
        (4, "exact", "获批四个市级以上建设项目", True),
        (100, "more_than", "举办各类活动百余次", True),
        (100, "exact", "举办各类活动百余次", False),
        (12000, "more_than", "服务1.2万余人次", True),
        (1.2, None, "服务1.2万余人次", False),
        (35000, "more_than", "3.5万余", True),
        (5_000_000, "more_than", "总阅读量达500余万次", True),
        (300, "exact", "获得300万元资金支持", True),
        (3_000_000, "exact", "获得300万元资金支持", True),
        (7, "at_least", "提供岗位数比达到7:1以上", True),
        (7, "exact", "提供岗位数比达到7:1以上", False),
        (3, "at_least", "再吸引3-4个企业", True),
        (14, None, "由第14名提升至第3名", True),
        (80.2, "exact", "参与率达到80.2.%", True),
        (96.08, "", "就业去向落实率为96.08%", True),
        ("1,000", "approx", "发布稿件近千篇", True),
        (9, None, "评选示范性党支部19个", False),
        (1, None, "荣获一等奖", False),
        ("x", None, "1", False),
    ],
)
def test_occurs(value, qualifier, evidence, expected):
    assert occurs(value, evidence, qualifier) is expected
