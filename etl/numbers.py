"""Reading the figures of Chinese report text: where each one is, its value, its qualifier
and the measure word after it.

Two entry points:

- find_figures(text) -> list[Figure]: every figure in a span of text, with character
  offsets into that very text (full-width digits and signs are read as ASCII without
  moving any offset).
- occurs(value, evidence, qualifier=None) -> bool: whether a curated value (with its
  qualifier, when given) is written in its evidence: 1.2万 is 12000, 两 is 2, 百余 is
  100 more_than, 24,603 is 24603, 300万元 is 300 (in 万元) or 3,000,000 (in 元).

What counts as a figure: Arabic digits (ASCII or full-width, with thousands separators
and a decimal point), Chinese numerals followed by a measure word (两个, 十二项, 一百二十人;
a bare Chinese numeral is too often part of a word: 一流, 四史, 一岗双责), fuzzy amounts
(百余, 近千, 数十, 上万), percents (92%, 百分之九十), ratios (7:1) and ranges (3-4个: the lower
bound, at_least, the upper bound kept). 万 and 亿 scale the number (1.2万 = 12000), except
in the money units 万元 / 亿元, whose values are stated in those units. A grade (一等奖,
1等奖) is not a figure. Years (2021年, 2021届, 2020-2021学年) and ordinals (第14名) are
figures of their own kinds, so that a caller can tell them apart.

Chinese numeral strings are converted by cn2an (measured on the cases in
tests/etl/test_numbers.py: it reads 两, 十二, 一百零五, 十万八千 and 二〇二一 correctly in its
"normal" mode; it does not read fuzzy words, qualifiers or measure words, which are
this module's work). Self-contained: no import from the rest of the project.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import cn2an

EXACT, APPROX, MORE_THAN, AT_LEAST, AT_MOST = "exact", "approx", "more_than", "at_least", "at_most"

# Characters a Chinese input method types for digits and number signs, read as ASCII.
# One character for one, so offsets into the folded text are offsets into the original.
# Not the full-width comma: in Chinese text "，" separates clauses (120，150，180人).
_FOLD = str.maketrans("０１２３４５６７８９．％：～－", "0123456789.%:~-")

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_ALL = _CN_DIGITS + "十百千万亿"

# Words before a number, longest first (不超过 before 超过). 近 after 最/附/就 and 约 after
# 节/制/预… belong to other words.
_BEFORE = (
    ("不少于", AT_LEAST), ("不低于", AT_LEAST), ("不下于", AT_LEAST), ("至少", AT_LEAST), ("最少", AT_LEAST),
    ("不超过", AT_MOST), ("未超过", AT_MOST), ("不高于", AT_MOST), ("不多于", AT_MOST), ("至多", AT_MOST),
    ("最多", AT_MOST),
    ("将近", APPROX), ("接近", APPROX), ("大约", APPROX), ("约为", APPROX), ("大概", APPROX), ("近", APPROX),
    ("约", APPROX),
    ("超过", MORE_THAN), ("多于", MORE_THAN), ("高于", MORE_THAN), ("突破", MORE_THAN), ("逾", MORE_THAN),
    ("超", MORE_THAN),
)
_NOT_BEFORE = {"近": "最附就邻临亲贴", "约": "节制预签特邀公违履合条契婚失赴誓", "超": "高赶"}
# Words after a number (or after its unit), longest first.
_AFTER_UNIT = (("以上", AT_LEAST), ("左右", APPROX), ("上下", APPROX), ("以内", AT_MOST), ("以下", AT_MOST),
               ("有余", MORE_THAN), ("开外", MORE_THAN))
_AFTER_NUMBER = (("余", MORE_THAN), ("多", MORE_THAN), ("几", MORE_THAN), ("来", MORE_THAN)) + _AFTER_UNIT

# Measure words and units, longest first. 万元 and 亿元 are units, not magnitudes.
UNITS = (
    "个百分点", "百分点", "万人次", "人次", "场次", "门次", "批次", "项次", "余人", "个月", "课时", "学时",
    "小时", "平方米", "万元", "亿元", "学年", "年度", "%",
    "个", "项", "人", "名", "位", "场", "次", "家", "枚", "篇", "门", "所", "件", "支", "期", "本", "卷",
    "条", "间", "批", "套", "只", "台", "处", "座", "部", "册", "份", "节", "轮", "种", "块", "组", "班",
    "队", "首", "张", "户", "辆", "吨", "米", "倍", "分", "元", "届", "年", "天", "周", "岁", "类", "款",
    "例", "株", "棵", "根", "幅", "集", "门", "路", "艘", "架", "级",
)
# After a Chinese numeral these make it a figure; 年 and 届 too (近两年, 十九届: the caller
# sees the unit and drops what is not an amount).
_UNIT_RE = re.compile(r"\s*(" + "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True)) + ")")
# Units that, with a four-digit number, make it a year.
_YEAR_UNITS = {"年", "届", "学年", "年度", "级"}
# A unit followed by these is part of another word (一次性, 两年制), so not the measure word.
_UNIT_NOT_BEFORE = {"次": "性", "年": "制", "级": "别"}

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CORE = re.compile(
    r"(?P<pct>百分之(?P<pctnum>" + _ARABIC + r"|[" + _CN_ALL + r"]+))"
    r"|(?P<arabic>" + _ARABIC + r")"
    r"|(?P<cn>[" + _CN_ALL + r"]+)"
)
_RANGE_SEP = re.compile(r"\s*(?:-|~|—|–|至|到)\s*")
_RATIO = re.compile(r"\s*(?::|比)\s*1(?![\d.])")
_MAGNITUDE = re.compile(r"\s*([万亿])(?!元)")
_GRADE = re.compile(r"\s*等(?:奖|次)")
_DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日|(?P<iso>\d{4}-\d{1,2}-\d{1,2})")
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
# Fuzzy words made of a bare magnitude: 近千, 上百, 数十, 几百, 百余, 千多.
_FUZZY_BEFORE = {"数": MORE_THAN, "几": MORE_THAN, "上": APPROX}


@dataclass(frozen=True)
class Figure:
    start: int  # the whole figure: qualifier words, number, unit (offsets into the text)
    end: int
    number_start: int  # the number itself
    number_end: int
    value: float
    qualifier: str  # exact | approx | more_than | at_least | at_most
    unit: str  # the measure word or unit as written ("个", "人次", "%", "万元", ":1"), or ""
    kind: str  # amount | percent | ratio | year | ordinal
    upper: float | None = None  # a range's upper bound (3-4个)
    spelled: bool = False  # written in Chinese numerals
    text: str = ""

    @property
    def values(self) -> tuple[float, ...]:
        """Every value the figure may be recorded as: 300万元 is 300 in 万元 and 3,000,000
        in 元; a range is its lower and its upper bound."""
        out = [self.value]
        if self.unit in ("万元", "亿元"):
            out.append(float(Decimal(str(self.value)) * _SCALE[self.unit[0]]))
        if self.upper is not None:
            out.append(self.upper)
        return tuple(out)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int
    day: int


def fold(text: str) -> str:
    """Full-width digits and number signs as ASCII, offsets unchanged."""
    return text.translate(_FOLD)


def _cn_value(run: str) -> Decimal | None:
    """A run of Chinese numerals as a number; None when it is no number (百 alone)."""
    if run[0] in "十百千万亿" and run[0] != "十":
        run = "一" + run
    try:
        value = cn2an.cn2an(run, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return Decimal(str(value))


def _arabic_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _match_word(text: str, at: int, words) -> tuple[str, str] | None:
    for word, qualifier in words:
        if text.startswith(word, at):
            return word, qualifier
    return None


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\u3000\r\n":
        at += 1
    return at


def _before(text: str, at: int) -> tuple[int, str | None, bool]:
    """Look left of a number: (start, qualifier word's qualifier, ordinal 第)."""
    left = at
    while left > 0 and text[left - 1] in " \t\u3000\r\n":
        left -= 1
    if left > 0 and text[left - 1] == "第":
        return left - 1, None, True
    for word, qualifier in _BEFORE:
        begin = left - len(word)
        if begin >= 0 and text[begin:left] == word:
            if begin > 0 and text[begin - 1] in _NOT_BEFORE.get(word, ""):
                continue
            return begin, qualifier, False
    return at, None, False


def _unit_at(text: str, at: int) -> tuple[str, int] | None:
    match = _UNIT_RE.match(text, at)
    if not match:
        return None
    unit = match.group(1)
    after = match.end()
    if after < len(text) and text[after] in _UNIT_NOT_BEFORE.get(unit, ""):
        return None
    return unit, after


def find_dates(text: str) -> list[DateMention]:
    """Month-day dates (12月31日, 2021年12月31日, 2021-12-31)."""
    folded = fold(text)
    out = []
    for match in _DATE.finditer(folded):
        if match.group("iso"):
            year, month, day = (int(part) for part in match.group("iso").split("-"))
        else:
            year = int(match.group("y")) if match.group("y") else None
            month, day = int(match.group("m")), int(match.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            out.append(DateMention(match.start(), match.end(), year, month, day))
    return out


def find_figures(text: str) -> list[Figure]:
    """Every figure in text, in order, with offsets into text."""
    folded = fold(text)
    taken = [(date.start, date.end) for date in find_dates(folded)]
    figures: list[Figure] = []
    position = 0
    while True:
        match = _CORE.search(folded, position)
        if not match:
            break
        position = match.end()
        if any(start <= match.start() < end for start, end in taken):
            position = max(position, next(end for start, end in taken if start <= match.start() < end))
            continue
        figure = _read(folded, match)
        if figure is None:
            continue
        figures.append(replace(figure, text=text[figure.start:figure.end]))
        position = figure.end
    return figures


def _read(text: str, match: re.Match) -> Figure | None:
    """The figure whose number the regex match found, or None when it is no figure."""
    n_start, n_end = match.start(), match.end()
    kind, spelled, unit, upper = "amount", False, "", None
    after_qualifier: str | None = None

    if match.group("pct"):
        raw = match.group("pctnum")
        value = _arabic_value(raw) if raw[0].isdigit() else _cn_value(raw)
        if value is None:
            return None
        kind, unit, spelled = "percent", "%", not raw[0].isdigit()
        end = n_end
    elif match.group("arabic"):
        raw = match.group("arabic")
        # Part of a code or a name: A7, ST18, 3D, 5G, 1+X, "4+5".
        if n_start > 0 and (text[n_start - 1].isascii() and (text[n_start - 1].isalpha() or text[n_start - 1] in "+_/.")):
            return None
        if n_end < len(text) and (text[n_end].isascii() and (text[n_end].isalpha() or text[n_end] in "+_")):
            return None
        if _GRADE.match(text, n_end):
            return None
        value = _arabic_value(raw)
        end = n_end
        # A range: 3-4个, 20至30人, 2020-2021学年.
        sep = _RANGE_SEP.match(text, end)
        if sep:
            second = re.match(_ARABIC, text[sep.end():])
            if second and not (sep.end() + second.end() < len(text) and text[sep.end() + second.end()].isascii()
                               and text[sep.end() + second.end()].isalpha()):
                high = _arabic_value(second.group(0))
                if high > value:
                    upper = high
                    end = sep.end() + second.end()
        if upper is None:
            ratio = _RATIO.match(text, end)
            if ratio:
                kind, unit, end = "ratio", ":1", ratio.end()
    else:
        run = match.group("cn")
        spelled = True
        if run in ("零", "〇"):
            return None  # 零件, 零距离
        if len(run) > 1 and not any(c in "十百千万亿" for c in run) and len(run) != 4:
            digits = "一二三四五六七八九"
            if len(run) == 2 and all(c in digits for c in run) and digits.index(run[1]) == digits.index(run[0]) + 1:
                upper = _cn_value(run[1])  # 三四个: three or four, not 34
                run = run[0]
            else:
                n_start += len(run) - 1  # 唯一一所: the figure is the last 一
                run = run[-1]
        if len(run) > 1 and run[-1] in "万亿" and n_end < len(text) and text[n_end] == "元":
            run, n_end = run[:-1], n_end - 1  # 三十万元 is 30 万元
        value = _cn_value(run)
        if value is None:
            return None
        end = n_end
        if _GRADE.match(text, end):
            return None

    start, before_qualifier, ordinal = _before(text, n_start)
    if ordinal:
        kind = "ordinal"
    mag_done = False

    if kind not in ("percent", "ratio"):
        magnitude = _MAGNITUDE.match(text, end)
        if magnitude and not (match.group("cn") and run[-1] in "万亿"):
            value *= _SCALE[magnitude.group(1)]
            if upper is not None:
                upper *= _SCALE[magnitude.group(1)]
            end, mag_done = magnitude.end(), True
        word = _match_word(text, _skip_space(text, end), _AFTER_NUMBER)
        if word and word[0] in ("余", "多", "几", "来"):
            if word[0] == "来" and not _unit_at(text, _skip_space(text, end) + 1):
                word = None  # 来 of 以来 / 未来, not 十来个
            elif word[0] == "多" and not _unit_at(text, _skip_space(text, end) + 1) and \
                    not _MAGNITUDE.match(text, _skip_space(text, end) + 1):
                word = None  # 多 opening the next word (多功能, 多次)
        if word and word[0] in ("余", "多", "几", "来"):
            after_qualifier = word[1]
            end = _skip_space(text, end) + len(word[0])
            magnitude = _MAGNITUDE.match(text, end)
            if magnitude and not mag_done:  # 500余万: more than five million
                value *= _SCALE[magnitude.group(1)]
                end = magnitude.end()
        found_unit = _unit_at(text, end)
        if found_unit and found_unit[0] == "%":
            kind = "percent"
        if found_unit:
            unit, end = found_unit
            if unit == "余人":  # 600余人 when 余 and 人 were read as one word
                unit, after_qualifier = "人", MORE_THAN

    if match.group("arabic") and kind == "amount" and not unit:
        percent = re.match(r"\s*(?:\.\s*)?%", text[end:end + 4])  # 80.2.% (a typo) is still a percent
        if percent:
            kind, unit, end = "percent", "%", end + percent.end()

    if match.group("cn") and not unit and not (match.group("pct")):
        # A Chinese numeral is a figure only with a measure word (两个) or as a fuzzy
        # amount with one (百余次, 近千篇).
        return None
    if match.group("cn") and run[0] in "百千万亿" and not (before_qualifier or after_qualifier or
                                                        (start > 0 and text[start - 1] in _FUZZY_BEFORE)):
        return None  # 百年, 千家万户, 万众
    if match.group("cn") and start > 0 and text[start - 1] in _FUZZY_BEFORE and run[0] in "十百千万亿" \
            and before_qualifier is None:
        before_qualifier = _FUZZY_BEFORE[text[start - 1]]
        start -= 1

    word = _match_word(text, _skip_space(text, end), _AFTER_UNIT)
    if word:
        after_qualifier = after_qualifier or word[1]
        end = _skip_space(text, end) + len(word[0])

    if kind == "amount" and unit in _YEAR_UNITS and match.group("arabic") and 1900 <= value <= 2100 \
            and value == int(value) and "." not in match.group("arabic") and "," not in match.group("arabic"):
        kind = "year"
    qualifier = before_qualifier or after_qualifier or EXACT
    if upper is not None and kind != "year" and qualifier == EXACT:
        qualifier = AT_LEAST
    return Figure(
        start=start, end=end, number_start=n_start, number_end=n_end, value=float(value), qualifier=qualifier,
        unit=unit, kind=kind, upper=None if upper is None else float(upper), spelled=spelled,
    )


def _as_decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().translate(_FOLD).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def occurs(value, evidence: str, qualifier: str | None = None) -> bool:
    """Whether `value` is written in `evidence` (with `qualifier`, when one is given).

    The value may be a number or its text ("96.08", "1,000"); figures of every kind count
    (a rank is written 第3名, a year 2021年), and a money figure may be recorded in 万元 or
    in 元. A blank qualifier means exact.
    """
    wanted = _as_decimal(value)
    if wanted is None:
        return False
    qualifier = (qualifier or "").strip() or None
    for figure in find_figures(evidence):
        if qualifier is not None and figure.qualifier != qualifier:
            continue
        if any(Decimal(str(candidate)) == wanted for candidate in figure.values):
            return True
    return False
