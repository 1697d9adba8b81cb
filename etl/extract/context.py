"""What a figure's surroundings say about it: its period, whether it is a target, its
measurement date, its basis. Rules over the words of the report, each with its own unit
test (tests/etl/extract/test_rules.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.numbers import find_dates

YEAR = r"(?:19|20)\d{2}"
# A heading (or title) that announces plans: 工作思路, 工作要点, 目标任务...
PLAN_HEADING = re.compile(r"工作思路|工作要点|目标任务|工作计划|工作安排|主要任务|重点任务|工作打算|下一步|展望|总体目标|发展目标|指导思想|努力方向|奋斗目标")
REVIEW_HEADING = re.compile(r"回顾|总结|成绩|完成情况|主要工作|工作成效|取得")
# Plan words in the clause of a figure. 将 only as "will" (将于, 将进一步), not as the object
# marker (将原来12个学院调整为9个); 计划 not as the name of a programme (行动计划, 扩招计划).
PLAN_WORDS = re.compile(
    r"力争|确保|预计|争取|拟|目标是|目标为|计划(?!书)|将(?:于|会|要|在|进一步|继续|全面|力争|着力|重点|新增|完成|实现|达到|建成|打造)|到\d{4}年"
)
NOT_PLAN = re.compile(r"(?:行动|扩招|发展|培养|教学|人才|实施|建设|工作|招生|年度)计划|计划内|按计划|原计划|计划[^，。；]{0,8}已")
HEADING_YEAR = re.compile(rf"({YEAR})\s*(学?年)")
ACADEMIC = re.compile(rf"({YEAR})\s*[-—–~至]\s*(?:{YEAR}|\d{{2}})\s*学年|({YEAR})\s*学年")
CALENDAR_YEAR = re.compile(rf"({YEAR})\s*年(?!\s*[-—–~至]\s*{YEAR})(?!\s*\d{{1,2}}\s*月)")
CALENDAR_ANY = re.compile(rf"({YEAR})\s*年")
COHORT = re.compile(rf"({YEAR})\s*届")
SINCE = re.compile(rf"({YEAR})\s*年\s*(?:以来|来)|自\s*({YEAR})\s*年(?:起|以来)")
RECENT_YEARS = re.compile(r"近(两|二|三|四|五|[2-5])\s*年(?:来|以来)?")
THIS_YEAR = re.compile(r"今年|本年度|年内")
AS_OF = re.compile(r"截[至止](?:到)?\s*(?P<when>(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日|(?:目前|当前|现在|年底|年末))")
CUMULATIVE = re.compile(r"累计|以来|先后|近[两二三四五2-5]\s*年")
# Not 共计: it sums a period's activity as often as it counts what stands (毕业生共计 is a
# year's graduates, a flow in the curated data).
STOCK = re.compile(r"现有|共有|拥有|保持在|在校生|在籍|在册|总数|规模达|已建成|在建")
SMALL_NUMBERS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass
class Section:
    """The headings above a paragraph: their periods and whether they announce plans."""

    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text), outermost first

    def enter(self, level: int, text: str) -> "Section":
        kept = [(lvl, txt) for lvl, txt in self.headings if lvl < level]
        return Section(kept + [(level, text)])

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.headings]


@dataclass
class DocumentFacts:
    period: int | None
    period_type: str
    is_plan: bool  # the whole document is a plan (工作要点)


def title_facts(titles: list[str]) -> DocumentFacts:
    """The report's period and type from its title lines: 2021年工作总结, 2021学年, 2021年度."""
    period, period_type, plan = None, "calendar_year", False
    for title in titles:
        academic = ACADEMIC.search(title)
        if academic and period is None:
            period, period_type = int(academic.group(1) or academic.group(2)), "academic_year"
        year = HEADING_YEAR.search(title)
        if year and period is None:
            period = int(year.group(1))
            if year.group(2) == "学年":
                period_type = "academic_year"
        if PLAN_HEADING.search(title) or re.search(r"计划|规划|要点|思路", title):
            plan = True
        if REVIEW_HEADING.search(title) or re.search(r"总结|报告", title):
            plan = plan and not re.search(r"总结", title)
    return DocumentFacts(period, period_type, plan)


def heading_period(text: str) -> int | None:
    match = HEADING_YEAR.search(text)
    return int(match.group(1)) if match else None


def section_is_plan(section: Section, facts: DocumentFacts) -> bool:
    """Whether the section announces plans: a heading says so (工作要点, 2023年工作思路), or
    names a year after the report's and does not review it."""
    plan = facts.is_plan
    for text in section.texts:
        head = text.split("。")[0][:40]
        if PLAN_HEADING.search(head):
            plan = True
        elif REVIEW_HEADING.search(head):
            plan = False
        else:
            year = heading_period(head)
            if year is not None and facts.period is not None and year > facts.period:
                plan = True
    return plan


def clause_is_plan(clause: str) -> bool:
    if NOT_PLAN.search(clause):
        clause = NOT_PLAN.sub("", clause)
    return bool(PLAN_WORDS.search(clause))


def _as_period(year: int, facts: DocumentFacts) -> tuple[int, str]:
    """A calendar year named in the text, on the report's period type: in an academic-year
    report for 2021, 2021 and 2022 both fall in academic year 2021."""
    if facts.period_type == "academic_year" and facts.period is not None and year in (facts.period, facts.period + 1):
        return facts.period, "academic_year"
    return year, "calendar_year" if facts.period_type == "calendar_year" or year not in (facts.period, (facts.period or 0) + 1) else facts.period_type


@dataclass
class Period:
    period: int | None
    period_type: str
    period_end: int | None = None
    since: int | None = None
    why: str = ""


def _span_period(text: str, facts: DocumentFacts, report_year: int | None) -> Period | None:
    """A time phrase in text: 2020年以来, 近两年, 2020-2021学年, 2022届, 今年, 2021年."""
    since = SINCE.search(text)
    if since:
        start = int(since.group(1) or since.group(2))
        end = report_year if report_year and report_year > start else None
        return Period(start, "calendar_year", end, start, f"“{since.group(0)}”")
    recent = RECENT_YEARS.search(text)
    if recent and report_year:
        count = SMALL_NUMBERS.get(recent.group(1)) or int(recent.group(1))
        return Period(report_year - count + 1, "calendar_year", report_year, report_year - count + 1, f"“{recent.group(0)}”")
    academic = ACADEMIC.search(text)
    if academic:
        return Period(int(academic.group(1) or academic.group(2)), "academic_year", why=f"“{academic.group(0)}”")
    cohort = COHORT.search(text)
    if cohort:
        year = int(cohort.group(1))
        if facts.period_type == "academic_year":
            return Period(year - 1, "academic_year", why=f"“{cohort.group(0)}”")
        return Period(year, "calendar_year", why=f"“{cohort.group(0)}”")
    return None


BASE_MARK = re.compile(r"(?:较|比|与|同比|相比|比上)\s*$")


def _calendar(text: str) -> list[re.Match]:
    """Calendar years that name a period: not the base of a comparison (较2020年提升)."""
    return [m for m in CALENDAR_YEAR.finditer(text) if not BASE_MARK.search(text[:m.start()])]


def _last_period(text: str, facts: DocumentFacts, report_year: int | None, years: bool = True) -> Period | None:
    """The last time phrase in text: 2020年以来, 近两年, 2020-2021学年, 2022届, 2021年
    (plain years only when `years`)."""
    found: list[tuple[int, Period]] = []
    for match in SINCE.finditer(text):
        start = int(match.group(1) or match.group(2))
        end = report_year if report_year and report_year > start else None
        found.append((match.start(), Period(start, "calendar_year", end, start, f"“{match.group(0)}”")))
    for match in RECENT_YEARS.finditer(text):
        if report_year:
            count = SMALL_NUMBERS.get(match.group(1)) or int(match.group(1))
            first = report_year - count + 1
            found.append((match.start(), Period(first, "calendar_year", report_year, first, f"“{match.group(0)}”")))
    for match in ACADEMIC.finditer(text):
        found.append((match.start(), Period(int(match.group(1) or match.group(2)), "academic_year", why=f"“{match.group(0)}”")))
    for match in COHORT.finditer(text):
        year = int(match.group(1))
        period = Period(year - 1, "academic_year") if facts.period_type == "academic_year" else Period(year, "calendar_year")
        period.why = f"“{match.group(0)}”"
        found.append((match.start(), period))
    taken = [(m.start(), m.end()) for m in SINCE.finditer(text)] + [(m.start(), m.end()) for m in ACADEMIC.finditer(text)]
    for match in _calendar(text) if years else ():
        if any(a <= match.start() < b for a, b in taken):
            continue
        period, kind = _as_period(int(match.group(1)), facts)
        found.append((match.start(), Period(period, kind, why=f"“{match.group(0)}”")))
    return max(found, key=lambda item: item[0])[1] if found else None


def figure_period(
    *, before: str, clause: str, sentence_before: str, running: str, section: Section, facts: DocumentFacts,
    free_years: str = "",
) -> Period:
    """The period of a figure, from the nearest statement of one:

    1. a time phrase just before the figure in its clause (`before`: the clause up to the
       figure, cut at any earlier figure); 2020-2021学年, 2022届 or 2020年以来 anywhere in
       the clause; 今年 in the clause;
    2. the last time phrase earlier in its sentence (`sentence_before`: the clauses before
       the figure's own); a plain year only from clauses without figures of their own
       (`free_years`: in 由2019年第14名提升至第3名 the year is the 14's), and never the
       base of a comparison (较2020年);
    3. a time phrase that opened an earlier sentence of the paragraph and still runs
       (`running`: 2020年以来，…。…);
    4. the nearest heading that names a year (一、2020年工作回顾);
    5. the report's own period (its title, or --period).
    """
    report_year = facts.period
    found = _last_period(before[-16:], facts, report_year)
    if found:
        return found
    for pattern in (SINCE, RECENT_YEARS, ACADEMIC, COHORT):
        match = pattern.search(clause)
        if match:
            found = _last_period(match.group(0), facts, report_year)
            if found:
                return found
    if THIS_YEAR.search(clause) and report_year:
        if facts.period_type == "academic_year":
            return Period(report_year + 1, "calendar_year", why="“今年”：学年总结写于学年的第二个自然年")
        return Period(report_year, "calendar_year", why="“今年”")
    found = _last_period(sentence_before, facts, report_year, years=False) or \
        _last_period(free_years, facts, report_year) or _last_period(running, facts, report_year)
    if found:
        return found
    for text in reversed(section.texts):
        year = heading_period(text.split("。")[0][:40])
        if year is not None:
            period, kind = _as_period(year, facts)
            return Period(period, kind, why="标题")
    return Period(report_year, facts.period_type, why="报告")


def opens_with_time(sentence: str) -> bool:
    """Whether a sentence opens with a time phrase that may run on (2020年以来，近两年来，2021年，)."""
    head = re.split(r"[，,：:]", sentence, maxsplit=1)[0][:12]
    return bool(SINCE.search(head) or RECENT_YEARS.search(head) or _calendar(head))


def as_of(clause: str, sentence: str, period: int | None, period_type: str) -> tuple[str, str]:
    """(measurement date YYYY-MM-DD or "", a note) from 截至12月31日 / 截止到目前."""
    match = AS_OF.search(clause) or AS_OF.search(sentence)
    if not match:
        return "", ""
    dates = find_dates(match.group("when"))
    if dates and period is not None:
        date = dates[0]
        year = date.year or (period + 1 if period_type == "academic_year" and date.month < 9 else period)
        return f"{year:04d}-{date.month:02d}-{date.day:02d}", f"原文“{match.group(0)}”"
    return "", f"统计时点：原文“{match.group(0)}”"


def basis(clause: str, paragraph_head: str, period: Period) -> str:
    """flow (done during the period), stock (what exists), cumulative (since a year)."""
    if period.since is not None or CUMULATIVE.search(clause) or SINCE.search(paragraph_head) or RECENT_YEARS.search(paragraph_head):
        return "cumulative"
    if STOCK.search(clause):
        return "stock"
    return "flow"
