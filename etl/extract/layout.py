"""From a document's lines to paragraphs, sentences and section headings.

Reports broken by a page layout (a PDF, or text copied out of one) wrap every line at a
fixed width, mid-sentence and even mid-word ("一\n等奖"), and carry page numbers on lines
of their own. A line is joined to the next when it ends mid-sentence: with a comma, or
with a character at the document's usual full width. Lines that hold only a page number
("7", "- 7 -", "第7页") are dropped, and where one was dropped inside a paragraph the
break is remembered, so that no evidence quotes across it (the source text has the page
number there).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*)?(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/／]\s*\d{1,3})?(?:\s*[-—–])?\s*$")
# Headings: 一、 （一） 1. 1、 （1） and 第一章/第一部分.
HEADING = re.compile(
    r"^\s*(?:(?P<l1>[一二三四五六七八九十]+、)|(?P<l2>[（(][一二三四五六七八九十]+[）)])|"
    r"(?P<l3>\d{1,2}[.．、](?!\d))|(?P<l4>[（(]\d{1,2}[）)])|(?P<l0>第[一二三四五六七八九十]+[章部节]))"
)
SENTENCE_END = "。！？!?；;"
CLAUSE_END = SENTENCE_END + "，,：:"
LONG_LINE = 40
MID_SENTENCE_END = "，,、：:（(“‘《—-"


@dataclass
class Paragraph:
    text: str
    starts: list[int]  # offset in text where each source line starts
    lines: list[int]  # its 1-based line number
    breaks: list[int] = field(default_factory=list)  # offsets where a page number was dropped
    heading_level: int | None = None  # 0-4 when the paragraph opens with a heading marker

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


def _full_width(lines: list[str]) -> int:
    """The usual length of a full line in a wrapped layout: the most common length among
    the longer lines (0 when lines are whole paragraphs)."""
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) >= 8)
    if len(lengths) < 10:
        return 0
    counts: dict[int, int] = {}
    for length in lengths:
        counts[length] = counts.get(length, 0) + 1
    # A wrapped layout has many lines of (nearly) the same length.
    best = max(counts, key=lambda length: sum(counts.get(length + d, 0) for d in (-1, 0, 1)))
    share = sum(counts.get(best + d, 0) for d in (-1, 0, 1)) / len(lengths)
    return best if share >= 0.25 else 0


def heading_level(text: str) -> int | None:
    match = HEADING.match(text)
    if not match:
        return None
    for level in range(5):
        if match.group(f"l{level}"):
            return level
    return None


def paragraphs(lines: list[str]) -> list[Paragraph]:
    width = _full_width(lines)
    out: list[Paragraph] = []
    current: Paragraph | None = None
    pending_break = False
    last_line = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        if PAGE_NUMBER.match(line):
            pending_break = True
            continue
        level = heading_level(line)
        if current is not None and level is None and _continues(last_line, line, width):
            if pending_break:
                current.breaks.append(len(current.text))
            current.starts.append(len(current.text))
            current.lines.append(number)
            current.text += line
        else:
            current = Paragraph(line, [0], [number], heading_level=level)
            out.append(current)
        last_line = line
        pending_break = False
    return out


def _continues(last_line: str, line: str, width: int) -> bool:
    """Whether `line` goes on the paragraph whose last source line is `last_line`."""
    last = last_line[-1]
    if last in SENTENCE_END:
        return False
    if last in MID_SENTENCE_END:
        return True
    # A full line that stops mid-sentence was wrapped by the layout (a PDF's lines vary
    # in length with the digits and spaces in them); where lines are whole paragraphs,
    # a long one that stops mid-sentence was broken by hand. Short ones are headings.
    return len(last_line) >= (0.8 * width if width else LONG_LINE)
