import pytest

from dashboard import i18n
from etl import spec


@pytest.mark.parametrize(
    ("vocabulary", "values"),
    [
        ("theme", spec.THEMES),
        ("type", spec.INSTITUTION_TYPES),
        ("unit", spec.UNITS),
        ("qualifier", spec.QUALIFIERS),
        ("kind", spec.OBSERVATION_KINDS),
        ("period_type", spec.PERIOD_TYPES),
        ("level", spec.LEVELS),
        ("grade", spec.GRADES),
        ("recipient", spec.RECIPIENTS),
        ("award_unit", spec.AWARD_UNITS),
        ("source_kind", spec.SOURCE_KINDS),
        ("basis", spec.BASES),
        ("derivation", spec.DERIVATIONS),
        ("category", spec.AWARD_CATEGORIES),
        ("standard_set", spec.STANDARD_SETS),
    ],
)
def test_every_vocabulary_value_has_both_labels(vocabulary, values):
    for value in values:
        zh, en = i18n.VOCAB[vocabulary][value]
        assert zh and en and zh != value


def test_every_text_has_chinese_and_english():
    for key, (zh, en) in i18n.TEXT.items():
        assert zh.strip() and en.strip(), key
    assert i18n.t("not_reported", "zh") == "未报告"
    assert i18n.t("not_reported", "en") == "not reported"
    assert i18n.t("rows_shown", "zh", n=3) == "共 3 行"


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "lang", "shown"),
    [
        (96.08, "percent", "exact", "zh", "96.08%"),
        (400, "persons", "approx", "zh", "≈400人"),
        (1400, "persons", "more_than", "zh", ">1,400人"),
        (7, "ratio", "at_least", "zh", "≥7:1"),
        (4593.69, "yuan_10k", "exact", "en", "4,593.69 10k yuan"),
        (80.2, "percent", "exact", "en", "80.2%"),
        # Natural grammar (issue 14): no "1 persons", "14 rank" or "14名次".
        (1, "persons", "exact", "en", "1 person"),
        (2, "persons", "exact", "en", "2 persons"),
        (1, "person_times", "exact", "en", "1 person-time"),
        (1, "items", "exact", "en", "1 item"),
        (14, "rank", "exact", "zh", "第14名"),
        (14, "rank", "exact", "en", "14th"),
        (1, "rank", "exact", "en", "1st"),
        (2, "rank", "exact", "en", "2nd"),
        (3, "rank", "exact", "en", "3rd"),
        (11, "rank", "exact", "en", "11th"),
        (22, "rank", "exact", "en", "22nd"),
        (1, "places", "exact", "en", "1 place"),
    ],
)
def test_values_carry_their_mark(value, unit, qualifier, lang, shown):
    assert i18n.format_value(value, unit, qualifier, lang) == shown


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        ((2021, None, "calendar_year"), "2021年", "2021"),
        ((2021, None, "academic_year"), "2021学年", "AY 2021–22"),
        ((2020, 2021, "calendar_year"), "2020–2021", "2020–2021"),
        ((2021, float("nan"), "calendar_year"), "2021年", "2021"),
    ],
)
def test_period_labels(args, zh, en):
    assert i18n.period_label(*args, "zh") == zh
    assert i18n.period_label(*args, "en") == en


def test_no_label_is_defined_twice():
    """A key written twice in a dict literal silently keeps only the last label."""
    import ast
    import collections
    from pathlib import Path

    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
            assert [key for key, n in collections.Counter(keys).items() if n > 1] == []
