"""Candidates for observations and awards from a report's text.

A candidate is a proposal: every field can be wrong, and the curator decides. The rules
are in the open here and in etl/extract/context.py, each with a unit test in
tests/etl/extract/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from etl.numbers import Figure, find_figures
from etl.spec import AWARDS, OBSERVATIONS

from . import context as cx
from .layout import CLAUSE_END, SENTENCE_END, Paragraph, paragraphs
from .readers import read_lines
from .suggest import MIN_SCORE, Catalogue

EXTRA_COLUMNS = ("line", "confidence", "suggestions")
# Measure words of durations and dates, not amounts.
NOT_AMOUNTS = {"年", "学年", "年度", "届", "岁", "个月", "天", "周", "小时", "级", "课时", "学时"}
QUOTES = {"“": "”", "《": "》", "\"": "\"", "「": "」", "‘": "’"}
MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}

GRADE = re.compile(
    r"(?P<grade>特等奖|一等奖|二等奖|三等奖|金奖|银奖|铜奖|优秀奖|优胜奖|金牌|银牌|铜牌|冠军|亚军|季军|"
    r"第\s*(?:[一二三四五六七八九十]|\d{1,2})\s*名)"
)
SHORT_MEDALS = re.compile(r"(\d+)\s*([金银铜])(?![奖牌牛])")
TOTAL = re.compile(
    r"(?P<levels>(?:国家|省部|省|市|局|校|院|区|县|国际|世界)级(?:以上)?(?:[、和及与](?:国家|省部|省|市|局|校|院|区|县)级(?:以上)?)*)"
    r"\s*(?:奖项|奖励|荣誉)"
)
GRADES = {
    "特等奖": "first", "一等奖": "first", "二等奖": "second", "三等奖": "third", "金奖": "gold", "银奖": "silver",
    "铜奖": "bronze", "金牌": "gold", "银牌": "silver", "铜牌": "bronze", "冠军": "gold", "亚军": "silver",
    "季军": "bronze", "优秀奖": "excellent", "优胜奖": "excellent", "金": "gold", "银": "silver", "铜": "bronze",
}
LEVEL_WORDS = [
    (re.compile(r"中国国际"), "national"),
    (re.compile(r"省部级"), "provincial"),
    (re.compile(r"世界|国际|全球|亚洲"), "international"),
    (re.compile(r"全国|国家级|国家|国赛|中国|人社部|教育部|部级"), "national"),
    (re.compile(r"省(?!钱|略|去)|自治区|省级|省赛"), "provincial"),
    (re.compile(r"市(?!场)|园区|区级|县级|直属|赛区"), "municipal"),
    (re.compile(r"校级|院级|校内|校赛"), "school"),
]
TEACHER_WORDS = re.compile(r"教师|老师|班主任|辅导员|教职工|教工|师资|名师|教练")
STUDENT_WORDS = re.compile(r"学生|学子|同学|选手|毕业生|学员")
INSTITUTION_WORDS = re.compile(r"学校|学院|我院|我校|院党委|校党委")
COMPETITION_END = re.compile(r"(?:大赛|比赛|竞赛|赛项|选拔赛|评选|联赛|挑战赛|锦标赛|课堂|成果奖?|精模奖|奖学金|评比|考核)")
NAME_TRIM_HEAD = re.compile(r"^(?:其中|并且?|还|在|于|参加|荣获|获得|获|学校|学院|我院|我校|师生|学生|教师|同时|此外|共)+")
NAME_TRIM_TAIL = re.compile(r"(?:中|上|的|里)?(?:接连|连续|再次|先后|分别)?(?:获得了?|荣获|斩获|获评|喜获|取得了?|获|夺得|摘得)?$")


@dataclass
class Candidate:
    table: str  # observations | awards
    row: dict
    line: int
    confidence: float
    suggestions: list[str] = field(default_factory=list)
    paragraph: int = 0
    start: int = 0  # the highlighted span in the paragraph's text
    end: int = 0
    anchor: int = 0  # offset of the figure in the document's text without white space

    def record(self, columns: tuple[str, ...]) -> dict:
        out = {name: self.row.get(name, "") for name in columns}
        out.update(line=self.line, confidence=f"{self.confidence:.2f}", suggestions=" ".join(self.suggestions))
        return out


@dataclass
class Extraction:
    name: str
    paragraphs: list[Paragraph]
    observations: list[Candidate]
    awards: list[Candidate]
    period: int | None
    period_type: str

    def rows(self, table: str) -> list[dict]:
        spec = OBSERVATIONS if table == "observations" else AWARDS
        columns = spec.column_names + EXTRA_COLUMNS
        return [candidate.record(columns) for candidate in (self.observations if table == "observations" else self.awards)]

    @staticmethod
    def columns(table: str) -> tuple[str, ...]:
        return (OBSERVATIONS if table == "observations" else AWARDS).column_names + EXTRA_COLUMNS


@dataclass
class Place:
    """Where a figure sits: its paragraph, sentence and clause, and what leads to it."""

    paragraph: Paragraph
    index: int
    sentence: tuple[int, int]
    clause: tuple[int, int]
    section: cx.Section

    @property
    def text(self) -> str:
        return self.paragraph.text

    def sentence_text(self) -> str:
        return self.text[self.sentence[0]:self.sentence[1]]

    def clause_text(self) -> str:
        return self.text[self.clause[0]:self.clause[1]]


def _spans(text: str, ends: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for index, char in enumerate(text):
        if char in ends:
            out.append((start, index + 1))
            start = index + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _containing(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return spans[-1] if spans else (0, 0)


def _quoted(text: str, offset: int) -> bool:
    """Whether offset lies inside “…” or 《…》 (a name, a slogan, a title)."""
    for opening, closing in QUOTES.items():
        if opening == closing:
            if text[:offset].count(opening) % 2 == 1:
                return True
            continue
        left = text.rfind(opening, 0, offset)
        if left >= 0 and text.rfind(closing, 0, offset) < left and text.find(closing, offset) >= 0:
            return True
    return False


def _evidence(place: Place, start: int, end: int) -> tuple[str, int]:
    """The clause holding text[start:end], grown to the previous clause when it is short,
    never across a dropped page number. Returns (evidence, its offset)."""
    text = place.text
    clauses = _spans(text[place.sentence[0]:place.sentence[1]], CLAUSE_END)
    clauses = [(a + place.sentence[0], b + place.sentence[0]) for a, b in clauses]
    first = next(i for i, (a, b) in enumerate(clauses) if a <= start < b) if clauses else 0
    last = next((i for i, (a, b) in enumerate(clauses) if a < end <= b), first)
    a, b = clauses[first][0], clauses[last][1]
    if b - a - (end - start) < 6 and first > 0:
        a = clauses[first - 1][0]
    for cut in place.paragraph.breaks:
        if a < cut <= start:
            a = cut
        elif end <= cut < b:
            b = cut
    evidence = text[a:b].rstrip("，,。；;：:！？ ").lstrip("，,；;：: ")
    offset = a + (len(text[a:b]) - len(text[a:b].lstrip("，,；;：: ")))
    return evidence, offset


def _squeezed_offsets(paras: list[Paragraph]) -> list[int]:
    base, out = 0, []
    for paragraph in paras:
        out.append(base)
        base += len(re.sub(r"\s+", "", paragraph.text))
    return out


def _anchor(paragraph: Paragraph, base: int, offset: int) -> int:
    return base + len(re.sub(r"\s+", "", paragraph.text[:offset]))


@dataclass
class Options:
    institution_id: str
    source_id: str
    period: int | None = None
    period_type: str | None = None
    province: str = ""
    city: str = ""


def extract_lines(lines: list[str], name: str, options: Options, catalogue: Catalogue | None = None) -> Extraction:
    paras = paragraphs(lines)
    titles = []
    for paragraph in paras[:4]:  # the title lines: short, before the first sentence or heading
        if paragraph.heading_level is not None or len(paragraph.text) > 80 or paragraph.text[-1] in SENTENCE_END:
            break
        titles.append(paragraph.text)
    facts = cx.title_facts(titles)
    if options.period is not None:
        facts.period = options.period
    if options.period_type:
        facts.period_type = options.period_type
    bases = _squeezed_offsets(paras)
    section = cx.Section()
    observations: list[Candidate] = []
    awards: list[Candidate] = []
    for index, paragraph in enumerate(paras):
        text = paragraph.text
        if paragraph.heading_level is not None:
            section = section.enter(paragraph.heading_level, text.split("。")[0])
        figures = find_figures(text)
        if paragraph.heading_level is None and len(text) <= 40 and text[-1] not in SENTENCE_END and index >= 1 \
                and "\t" not in text and not any(f.kind != "year" for f in figures):
            section = section.enter(1, text)  # an unnumbered heading
            continue
        sentences = _spans(text, SENTENCE_END)
        clauses = _spans(text, CLAUSE_END)
        used: set[int] = set()
        running = _running(text, sentences)
        for candidate, figure_ids in _awards(paragraph, index, figures, sentences, clauses, section, facts, options,
                                             bases[index], running):
            awards.append(candidate)
            used.update(figure_ids)
        for candidate in _listed(paragraph, index, figures, sentences, clauses, section, facts, options, bases[index], running):
            observations.append(candidate)
        for number, figure in enumerate(figures):
            if number in used:
                continue
            candidate = _observation(paragraph, index, figure, figures, sentences, clauses, section, facts, options,
                                     bases[index], running)
            if candidate is not None:
                observations.append(candidate)
    if catalogue is not None:
        _suggest(observations, paras, catalogue)
    return Extraction(name, paras, observations, awards, facts.period, facts.period_type)


def _place(paragraph, index, offset, sentences, clauses, section) -> Place:
    return Place(paragraph, index, _containing(sentences, offset), _containing(clauses, offset), section)


def _lead(place: Place, offset: int, figures: list[Figure]) -> str:
    """The clause up to offset, cut after the last figure before it."""
    start = place.clause[0]
    for figure in figures:
        if start <= figure.end <= offset and figure.kind not in ("year",):
            start = figure.end
    return place.text[start:offset]


def _period(place: Place, offset: int, figures: list[Figure], facts: cx.DocumentFacts, running: str = "") -> cx.Period:
    before = place.text[place.sentence[0]:place.clause[0]]
    free = []
    for a, b in _spans(before, CLAUSE_END):
        a, b = a + place.sentence[0], b + place.sentence[0]
        if not any(a <= f.number_start < b and f.kind != "year" for f in figures):
            free.append(place.text[a:b])
    return cx.figure_period(
        before=_lead(place, offset, figures), clause=place.clause_text(), sentence_before=before,
        free_years="".join(free), running=running, section=place.section, facts=facts,
    )


def _running(text: str, sentences: list[tuple[int, int]]) -> dict[int, str]:
    """For each sentence start, the time phrase an earlier sentence opened with that still
    runs: until a sentence opens with another, or a short sentence without figures (an
    inline heading: 协同育人结出新硕果。) closes it."""
    out, current = {}, ""
    for start, end in sentences:
        out[start] = current
        sentence = text[start:end]
        if cx.opens_with_time(sentence):
            current = re.split(r"[，,：:]", sentence, maxsplit=1)[0]
        elif len(sentence) <= 14 and not re.search(r"\d", sentence):
            current = ""
    return out


def _observation(paragraph, index, figure, figures, sentences, clauses, section, facts, options, base, running) -> Candidate | None:
    if figure.kind == "year" or figure.unit in NOT_AMOUNTS:
        return None
    if figure.kind == "ordinal" and figure.unit != "名":
        return None
    text = paragraph.text
    if figure.number_start == 0 and text[figure.number_end:figure.number_end + 1] in (".", "．", "、"):
        return None  # the number of a heading: 1.加强党建
    quoted = _quoted(text, figure.number_start)
    if quoted and (figure.spelled or text[max(0, figure.start - 1)] in "《“" and text[figure.end:figure.end + 1] in "》”"):
        return None
    place = _place(paragraph, index, figure.number_start, sentences, clauses, section)
    period = _period(place, figure.number_start, figures, facts, running.get(place.sentence[0], ""))
    clause = place.clause_text()
    target = cx.section_is_plan(section, facts) or cx.clause_is_plan(clause)
    evidence, _ = _evidence(place, figure.start, figure.end)
    notes = []
    qualifier = figure.qualifier
    if qualifier == "at_most":
        notes.append(f"原文“{figure.text}”是上限，qualifier 无对应取值，请核对")
        qualifier = ""
    if figure.upper is not None:
        notes.append(f"原文“{figure.text}”为区间，上限 {_number(figure.upper)}")
    if period.why and period.why not in ("报告",):
        notes.append(f"时期依据：{period.why}")
    measured, measured_note = cx.as_of(clause, place.sentence_text(), period.period, period.period_type)
    if measured_note:
        notes.append(measured_note)
    basis = cx.basis(clause, re.split(r"[，,。]", text, maxsplit=1)[0], period)
    if basis == "flow" and figure.unit == "%" and not RATE_CHANGE.search(clause):
        basis = "stock"  # a rate is measured at a point in time (the data guide's rule); a change in it is a flow
    confidence = 0.85
    if figure.spelled:
        confidence -= 0.15 if figure.value != 1 else 0.45  # 一处, 一批: mostly words, not counts
    if not figure.unit:
        confidence -= 0.3
    if quoted:
        confidence -= 0.3
    if figure.kind == "ordinal":
        confidence -= 0.2
    if not qualifier:
        confidence -= 0.2
    row = {
        "institution_id": options.institution_id, "indicator_id": "", "period": _text(period.period),
        "period_end": _text(period.period_end), "period_type": period.period_type, "value": _number(figure.value),
        "qualifier": qualifier, "kind": "target" if target else "actual", "source_id": options.source_id,
        "evidence": evidence, "notes": "；".join(notes),
        "basis": basis,
        "since": _text(period.since), "as_of": measured, "derivation": "",
        "_unit": figure.unit, "_words": _words(place, figure),
    }
    return Candidate(
        "observations", row, paragraph.line_at(figure.number_start), round(max(0.05, min(0.99, confidence)), 2),
        paragraph=index, start=figure.start, end=figure.end, anchor=_anchor(paragraph, base, figure.number_start),
    )


HONOUR_CLAUSE = re.compile(
    r"^(?P<subject>[^，,。；;：:]{2,80}?)(?:成功)?(?:获评|获批|荣获|入选|被评为|被授予|被认定为|获)(?P<rest>[^，,。；;]*)")
HONOUR_WORDS = re.compile(r"称号|标杆|示范|先进|品牌|高水平|重点|立项|样板|优秀|卓越|特色|标准化")
ORG_END = re.compile(r"(?:党支部|党总支|党委|支部|学院|专业群|实验室|团队|工作室|院系|中心|基地)$")


def _listed(paragraph, index, figures, sentences, clauses, section, facts, options, base, running) -> list[Candidate]:
    """Observations written as a list instead of a number: 现代农业学院、城市建设学院党总支获批
    全省标杆院系 is 2, counted from the list (derivation counted). Only clauses without a
    figure of their own, and only lists of units (党支部, 学院, 专业群, 实验室...)."""
    text = paragraph.text
    out = []
    for c_start, c_end in clauses:
        if any(c_start <= f.number_start < c_end and f.kind != "year" for f in figures):
            continue
        clause = text[c_start:c_end]
        lead = re.match(r"^\s*(?:(?:19|20)\d{2}\s*年\s*[,，]?\s*)?", clause).end()
        match = HONOUR_CLAUSE.match(clause[lead:])
        if not match or not HONOUR_WORDS.search(match.group("rest")):
            continue
        subject = match.group("subject").strip()
        pieces = [piece for piece in re.split(r"[、]|和|及", subject) if piece]
        if not pieces or not ORG_END.search(pieces[-1]) or len(subject) > 60:
            continue
        at = c_start + lead + clause[lead:].find(subject)
        place = _place(paragraph, index, at, sentences, clauses, section)
        period = _period(place, at, figures, facts, running.get(place.sentence[0], ""))
        evidence, _ = _evidence(place, at, at + len(subject))
        notes = [f"原文未写数字：列出{len(pieces)}个（{subject}），计数" if len(pieces) > 1 else f"原文未写数字：{subject}，计为 1"]
        if period.why and period.why != "报告":
            notes.append(f"时期依据：{period.why}")
        row = {
            "institution_id": options.institution_id, "indicator_id": "", "period": _text(period.period),
            "period_end": _text(period.period_end), "period_type": period.period_type, "value": str(len(pieces)),
            "qualifier": "exact", "kind": "target" if cx.section_is_plan(section, facts) or cx.clause_is_plan(clause) else "actual",
            "source_id": options.source_id, "evidence": evidence, "notes": "；".join(notes),
            "basis": "flow", "since": _text(period.since), "as_of": "", "derivation": "counted",
            "_unit": "个", "_words": f"{text[max(place.sentence[0], at - 24):at]} {clause}",
        }
        out.append(Candidate("observations", row, paragraph.line_at(at), 0.35, paragraph=index, start=at,
                             end=at + len(subject), anchor=_anchor(paragraph, base, at)))
    return out


RATE_CHANGE = re.compile(r"提升|提高|增长|增加|下降|降低|减少|增幅|降幅|同比|环比|百分点")


def _words(place: Place, figure: Figure) -> str:
    """What the suggestion reads: the figure's clause and the words before it within the
    clause (a neighbouring clause's figure would pull towards its own indicator)."""
    before = place.text[max(place.clause[0], figure.start - 24):figure.start]
    return f"{before} {place.clause_text()} {figure.unit}"


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value: float) -> str:
    return f"{int(value)}" if value == int(value) else f"{value:g}"


# --- awards ------------------------------------------------------------------------------

def _level(text: str, options: Options) -> str:
    """The awarding body's level from the words nearest before the grade. A longer word
    wins over the words inside it (中国国际 is China's own contest; 省部级 is provincial)."""
    found = []
    for pattern, level in LEVEL_WORDS:
        found += [(match.start(), match.end(), level) for match in pattern.finditer(text)]
    for name, level in ((options.city, "municipal"), (options.province, "provincial")):
        if name and len(name) >= 2:
            found += [(match.start(), match.end(), level) for match in re.finditer(re.escape(name), text)]
    found = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0]) for o in found)]
    if not found:
        return ""
    where, _, best = max(found, key=lambda f: (f[0], f[1] - f[0]))
    if best == "municipal" and options.province in MUNICIPALITIES:
        # 天津市 is a province-level city: its 市级 awards are provincial (data guide).
        nearest = text[where:where + 6]
        if not any(word in nearest for word in ("园区", "区级", "赛区", "县")):
            best = "provincial"
    return best


def _recipient(sentence_before: str, section: cx.Section, category: str) -> str:
    teacher = [m.start() for m in TEACHER_WORDS.finditer(sentence_before)]
    student = [m.start() for m in STUDENT_WORDS.finditer(sentence_before)]
    if teacher or student:
        return "teacher" if max(teacher, default=-1) > max(student, default=-1) else "student"
    for heading in reversed(section.texts):
        head = heading[:30]
        if TEACHER_WORDS.search(head):
            return "teacher"
        if STUDENT_WORDS.search(head):
            return "student"
    return "institution" if category in ("research_prize", "product_prize") else "student"


def _category(name: str, clause: str) -> str:
    if re.search(r"成果", name) or (not COMPETITION_END.search(name) and re.search(r"成果奖", clause)):
        return "research_prize"
    if re.search(r"精模|产品|设计奖|金点子", name):
        return "product_prize"
    if re.search(r"赛|竞赛|比赛|课堂|挑战杯", name):
        return "competition"
    return "honour"


def _competition(text: str, stop: int, floor: int) -> str:
    """The competition's name: the words before the grade, back to the clause start."""
    segment = text[floor:stop]
    pieces = re.split(r"[，,；;：:。]", segment)
    name = pieces[-1]
    if not COMPETITION_END.search(name) and len(pieces) > 1:
        name = pieces[-2] + "，" + name if COMPETITION_END.search(pieces[-2]) else name
    name = NAME_TRIM_TAIL.sub("", name.strip())
    name = NAME_TRIM_HEAD.sub("", name).strip("，, 、")
    match = list(COMPETITION_END.finditer(name))
    if match:
        name = name[:match[-1].end()]
    return name.strip()


def _awards(paragraph, index, figures, sentences, clauses, section, facts, options, base, running):
    """Award rows of a paragraph: (candidate, indices of the figures it used)."""
    text = paragraph.text
    by_start = {figure.number_start: number for number, figure in enumerate(figures)}
    out = []
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        mentions = []  # (offset, end, grade, count figure index or None, unit, is_total, level words)
        for match in GRADE.finditer(sentence):
            mentions.append((s_start + match.start(), s_start + match.end(), match.group("grade"), False))
        for match in SHORT_MEDALS.finditer(sentence):
            mentions.append((s_start + match.start(2), s_start + match.end(2), match.group(2), False))
        for match in TOTAL.finditer(sentence):
            mentions.append((s_start + match.start(), s_start + match.end(), match.group("levels"), True))
        mentions.sort()
        previous_name, previous_end = "", s_start
        for start, end, word, is_total in mentions:
            count, count_index, unit_word = None, None, ""
            # The count after the grade (金奖11项, 奖项 1 人次) or before it (11金, 3枚金牌, 2个项目的一等奖).
            for number, figure in enumerate(figures):
                if number in [m for m in ()]:
                    continue
                gap_after = text[end:figure.start]
                gap_before = text[figure.end:start]
                if figure.start >= end and len(gap_after.strip()) == 0 and figure.kind == "amount" and figure.unit in ("项", "个", "枚", "人次", "名", "人", "次", "块", "座", ""):
                    count, count_index, unit_word = figure, number, figure.unit
                    break
                if figure.end <= start and figure.kind == "amount" and (
                        (word in "金银铜" and figure.end == start and not figure.unit) or
                        (figure.unit in ("枚", "项", "个", "人次", "名") and re.fullmatch(r"\s*(?:项目|赛项|个项目)?的?\s*", gap_before))):
                    count, count_index, unit_word = figure, number, figure.unit
                    break
            if word in "金银铜" and count is None:
                continue
            grade = "other" if is_total else GRADES.get(word, "other")
            floor = max(previous_end if not is_total else s_start, s_start)
            name = _competition(text, start if not is_total else start, floor)
            if not name or not COMPETITION_END.search(name):
                name = previous_name or name
            if is_total:
                name = "（合计）"
            previous_name, previous_end = (name if not is_total else previous_name), (count.end if count and count.end > end else end)
            level_text = text[s_start:start + (len(word) if is_total else 0)]
            level = _level(level_text, options)
            category = _category(name, place_clause := text[_containing(clauses, start)[0]:_containing(clauses, start)[1]])
            recipient = _recipient(text[s_start:start], section, category)
            place = _place(paragraph, index, start, sentences, clauses, section)
            period = _period(place, start, figures, facts, running.get(place.sentence[0], ""))
            span_start = min(start, count.start) if count else start
            span_end = max(end, count.end) if count else end
            evidence, _ = _evidence(place, span_start, span_end)
            target = cx.section_is_plan(section, facts) or cx.clause_is_plan(place.clause_text())
            # (competition, count, unit word, how counted, anchor offset) for each row.
            rows = [(name, _number(count.value) if count else "1", unit_word, "", count.number_start if count else start)]
            if count is None and not is_total:
                rows = _counted(text, place.clause[0], floor, start, name)
            for name_i, count_i, unit_i, how, at in rows:
                notes = []
                if target:
                    notes.append("计划或目标中的奖项，请核对")
                if how:
                    notes.append(how)
                if period.why and period.why != "报告":
                    notes.append(f"时期依据：{period.why}")
                confidence = 0.8 if count is not None else 0.55
                if not level:
                    confidence -= 0.2
                if target:
                    confidence -= 0.3
                row = {
                    "institution_id": options.institution_id, "period": _text(period.period),
                    "period_end": _text(period.period_end), "period_type": period.period_type, "competition": name_i,
                    "competition_en": "", "level": level if name_i == name else _level(text[s_start:at] + name_i, options),
                    "grade": grade, "recipient": recipient, "count": count_i,
                    "unit": "person_times" if unit_i == "人次" else "items",
                    "qualifier": count.qualifier if count and count.qualifier in ("exact", "approx", "more_than", "at_least") else "exact",
                    "is_total": "true" if is_total else "false", "source_id": options.source_id, "evidence": evidence,
                    "notes": "；".join(notes), "category": _category(name_i, place.clause_text()),
                    "derivation": "" if count is not None else "counted",
                }
                candidate = Candidate(
                    "awards", row, paragraph.line_at(start), round(max(0.05, confidence), 2), paragraph=index,
                    start=span_start, end=span_end, anchor=_anchor(paragraph, base, at),
                )
                out.append((candidate, {count_index} if count_index is not None else set()))
    return out


NAMES = re.compile(r"^([\u4e00-\u9fff]{2,3}(?:、[\u4e00-\u9fff]{2,3})+)(?=[^，,。；]{0,40}?(?:获得|荣获|获评|斩获|喜获|获))")
GROUPS = re.compile(r"((?:[\u4e00-\u9fffA-Za-z]{1,6}、)+[\u4e00-\u9fffA-Za-z]{1,6})$")
GROUP_WORDS = re.compile(r"男|女|组|团体|个人|队")


def _counted(text: str, clause_start: int, floor: int, grade_at: int, name: str) -> list[tuple]:
    """Rows for an award written without a number, counted from the text:
    - 在A赛、B赛、C赛中获一等奖: one row for each competition;
    - 获高中男子、女子冠军: as many as the groups listed;
    - 张三、李四、王五获得一等奖: as many person-times as the names listed;
    - otherwise one."""
    area = text[floor:grade_at]
    inner = NAME_TRIM_HEAD.sub("", area.split("，")[-1].split(",")[-1].strip())
    inner = re.sub(r"(?:中|上)?(?:均|都|接连|连续|再次|先后|分别|共)*(?:获得了?|荣获|斩获|获评|喜获|取得了?|获|夺得|摘得)?$", "", inner)
    inner = re.sub(r"中$", "", inner)
    pieces = [piece for piece in inner.split("、") if piece]
    if len(pieces) >= 2 and all(COMPETITION_END.search(piece) for piece in pieces):
        where, rows = text.find(inner, floor), []
        for piece in pieces:
            at = text.find(piece, where)
            rows.append((piece, "1", "", f"原文列出{len(pieces)}项赛事共写一个等次，每项记 1 项", at))
            where = at + len(piece)
        return rows
    groups = GROUPS.search(text[clause_start:grade_at])
    if groups and GROUP_WORDS.search(groups.group(1)) and not GRADE.search(groups.group(1)):
        count = groups.group(1).count("、") + 1
        return [(name, str(count), "", f"原文列出{count}个组别", grade_at)]
    names = NAMES.search(text[clause_start:grade_at])
    if names:
        count = names.group(1).count("、") + 1
        return [(name, str(count), "人次", f"原文列出{count}人，按{count}人次记录", grade_at)]
    return [(name, "1", "", "原文未写数量，按 1 项记录", grade_at)]


def _suggest(candidates: list[Candidate], paras: list[Paragraph], catalogue: Catalogue) -> None:
    queries = [(c.row["_words"], c.row["_unit"]) for c in candidates]
    for candidate, ranked in zip(candidates, catalogue.suggest(queries)):
        candidate.suggestions = [indicator for indicator, _ in ranked]
        if ranked and ranked[0][1] >= MIN_SCORE:
            candidate.row["indicator_id"] = ranked[0][0]


def extract_file(path: Path, options: Options, catalogue: Catalogue | None = None) -> Extraction:
    return extract_bytes(Path(path).read_bytes(), Path(path).name, options, catalogue)


def extract_bytes(raw: bytes, name: str, options: Options, catalogue: Catalogue | None = None) -> Extraction:
    return extract_lines(read_lines(raw, name), name, options, catalogue)
