"""XLSX to the same table of text cells the CSV reader gives, rows numbered as in Excel.

What a curator sees is what is read: a percent-formatted 0.8124 is 81.24 (with a note), a
date-formatted serial is its date, a number is its stored value (never Excel's display
rounding: 96.08 shown as 96.1 is 96.08), a failed formula (#N/A) is its error value, which
validation refuses. Refused, with a reason: a formula with no saved result, or whose saved
result cannot be trusted (the writer asked Excel to recalculate on load, as xlsxwriter
does, or calculation is manual); a date shown without a day or a year (2022年9月: Excel
stores 2022-09-01, a day nobody wrote).

The data sheet is the visible sheet whose header row holds a table's columns: hidden
sheets and instruction sheets are skipped, and a note says which sheet was read.

Not openpyxl (18 s and 600 MB on the large cases of the bad-input corpus, and data_only
loses whether a cell was a formula) nor python-calamine (fast, but it exposes neither
number formats nor formulas without results, so 81.24% would load as 0.8124): the parts
are read directly. The package's declared unpacked size is capped first (zipfile never
unpacks more than an entry declares), the sheet is cut after its last cell with data
(300,000 formatted blank rows cost nothing), and rows are parsed one at a time by lxml.
"""
from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
from lxml import etree

from .problems import Note, Problem, note, problem
from .reader import LINE, clean_header, header_problems, is_comment

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
TOO_MANY_ROWS = "too_many_rows"
TOO_BIG_UNPACKED = "too_big_unpacked"
HEADER_SEARCH_ROWS = 20  # a header below this many rows is not looked for
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Built-in number formats (ECMA-376 18.8.30 and the zh-CN locale's): percent, dates.
_PERCENT_IDS = {9, 10}
_DATE_IDS = {14, 15, 16, 22, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56}
_MONTH_IDS = {17, 27, 57}  # mmm-yy, yyyy"年"m"月"
_NO_YEAR_IDS = {16, 28, 29, 58}  # d-mmm, m"月"d"日"
_TIME_IDS = {18, 19, 20, 21, 45, 46, 47}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_COLUMN = re.compile(r"[A-Z]+")
# The end of a value, an inline string or a formula (with or without a namespace prefix):
# the last one in a sheet ends its last row with data.
_DATA_MARKERS = (b"</v>", b"</t>", b"</f>", b"<f ", b"<f/>", b":v>", b":t>", b":f>", b":f ", b":f/>")


def unpacked_size(raw: bytes) -> int | None:
    """The total declared size of the workbook's parts, or None if it is not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            return sum(entry.file_size for entry in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _format_kind(code: str | None, number_id: int) -> str:
    """percent | date | month | noyear | time | number, from a number format."""
    if code is None:
        if number_id in _PERCENT_IDS:
            return "percent"
        if number_id in _MONTH_IDS:
            return "month"
        if number_id in _NO_YEAR_IDS:
            return "noyear"
        if number_id in _DATE_IDS:
            return "date"
        if number_id in _TIME_IDS:
            return "time"
        return "number"
    bare = _QUOTED.sub("", code.split(";")[0]).lower()
    if "%" in bare:
        return "percent"
    if "y" in bare or "d" in bare or ("m" in bare and "h" not in bare and "s" not in bare):
        has_year, has_day = "y" in bare or "e" in bare, "d" in bare
        if has_year and not has_day:
            return "month"
        if has_day and not has_year:
            return "noyear"
        return "date"
    if "h" in bare or "s" in bare:
        return "time"
    return "number"


def _number_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _stored(text: str) -> Decimal:
    """The number Excel stored: its shortest round-trip form (0.81239999999999996 is 0.8124)."""
    return Decimal(repr(float(text)))


class _Workbook:
    def __init__(self, package: zipfile.ZipFile):
        self.package = package
        names = set(package.namelist())
        self.names = names
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for rel in ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels")):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                rels[rel.get("Id")] = path
        self.sheets = []  # (name, path, visible)
        self.date1904 = False
        self.recalc = ""
        for element in workbook.iter():
            tag = _local(element.tag)
            if tag == "sheet":
                self.sheets.append((element.get("name", ""), rels.get(element.get(_REL)), element.get("state", "visible") == "visible"))
            elif tag == "workbookPr":
                self.date1904 = element.get("date1904", "0").lower() in ("1", "true")
            elif tag == "calcPr":
                if element.get("fullCalcOnLoad", "0").lower() in ("1", "true") or element.get("forceFullCalc", "0").lower() in ("1", "true"):
                    self.recalc = "full_calc"
                elif element.get("calcMode") == "manual":
                    self.recalc = "manual"
        self.kinds = self._styles()
        self.strings = self._shared_strings()

    def _styles(self) -> list[str]:
        if "xl/styles.xml" not in self.names:
            return []
        styles = ElementTree.fromstring(self.package.read("xl/styles.xml"))
        codes = {}
        kinds = []
        for element in styles:
            if _local(element.tag) == "numFmts":
                for fmt in element:
                    codes[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
            elif _local(element.tag) == "cellXfs":
                for xf in element:
                    number_id = int(xf.get("numFmtId", "0"))
                    kinds.append(_format_kind(codes.get(number_id), number_id))
        return kinds

    def _shared_strings(self) -> list[str]:
        path = "xl/sharedStrings.xml"
        if path not in self.names:
            return []
        strings = []
        with self.package.open(path) as stream:
            for _, item in etree.iterparse(stream, events=("end",), tag="{*}si", resolve_entities=False, huge_tree=True):
                strings.append(_inline_text(item))
                item.clear()
        return strings


def _inline_text(element) -> str:
    """The text of an <si> or <is>: its runs, without phonetic guides (<rPh>)."""
    parts = []
    for child in element.iter():
        if _local(child.tag) == "t" and _local(child.getparent().tag) != "rPh" and child.text:
            parts.append(child.text)
    return "".join(parts)


def _column_index(ref: str | None, fallback: int) -> int:
    if not ref:
        return fallback
    letters = _COLUMN.match(ref)
    if not letters:
        return fallback
    index = 0
    for char in letters.group(0):
        index = index * 26 + ord(char) - 64
    return index - 1


class _Sheet:
    """The rows of one worksheet: (row number, cells) where each cell is the raw pieces."""

    def __init__(self, book: _Workbook, path: str):
        self.book = book
        data = book.package.read(path)
        # Cut after the row of the last cell with a value, a formula or inline text:
        # formatted blank rows below it are never parsed.
        last = max(data.rfind(marker) for marker in _DATA_MARKERS)
        end = data.find(b"row>", last) if last >= 0 else -1
        self.data = data[: end + 4] if end >= 0 else (data if last >= 0 else b"")

    def rows(self):
        if not self.data:
            return
        parser = etree.XMLPullParser(events=("end",), tag="{*}row", resolve_entities=False, huge_tree=True)
        step = 1 << 20
        number = 0
        for start in range(0, len(self.data), step):
            parser.feed(self.data[start:start + step])
            for _, row in parser.read_events():
                number = int(row.get("r") or number + 1)
                cells = []
                for position, cell in enumerate(row):
                    if _local(cell.tag) != "c":
                        continue
                    value = formula = inline = None
                    for part in cell:
                        tag = _local(part.tag)
                        if tag == "v":
                            value = part.text or ""
                        elif tag == "f":
                            formula = part.text or ""
                        elif tag == "is":
                            inline = _inline_text(part)
                    cells.append((_column_index(cell.get("r"), position), cell.get("t", "n"), int(cell.get("s") or 0),
                                  value, formula, inline))
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                yield number, cells


def _header_of(cells: list[str]) -> list[str]:
    names = list(cells)
    while names and not names[-1]:
        names.pop()
    return names


def _match(names: list[str], tables: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], wanted: str | None) -> str | None:
    """The table whose required columns are all in the header (the wanted one, when given)."""
    present = set(names)
    candidates = [wanted] if wanted else list(tables)
    best = None
    for name in candidates:
        required, _ = tables[name]
        if set(required) <= present and (best is None or len(required) > len(tables[best][0])):
            best = name
    return best


def _looks_like_header(names: list[str], tables, wanted: str | None) -> bool:
    """Half the cells or more are a table's column names: a header, however damaged."""
    cells = [name for name in names if name]
    candidates = [wanted] if wanted else list(tables)
    return any(sum(name in tables[t][1] for name in cells) >= 3 and sum(name in tables[t][1] for name in cells) * 2 >= len(cells)
               for t in candidates)


def parse_xlsx(raw: bytes, name: str, max_rows: int | None = None, table: str | None = None,
               notes: list[Note] | None = None) -> tuple[pa.Table | None, list[Problem], str]:
    """Read the workbook's data sheet. Returns (table of text cells plus `_line`, problems,
    the label problems name the file by: `observations.xlsx[Sheet1]`)."""
    from .spec import TABLES

    tables = {t.name: (tuple(c.name for c in t.columns if not c.optional), t.column_names) for t in TABLES}
    size = unpacked_size(raw)
    if size is None:
        return None, [problem(name, 0, "", "xlsx_unreadable", reason="not a zip package")], name
    if size > MAX_UNPACKED_BYTES:
        return None, [problem(name, 0, "", TOO_BIG_UNPACKED, mb=MAX_UNPACKED_BYTES // (1024 * 1024))], name
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            book = _Workbook(package)
            return _read(book, name, max_rows, table, tables, notes)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, ElementTree.ParseError, etree.XMLSyntaxError,
            InvalidOperation) as error:
        return None, [problem(name, 0, "", "xlsx_unreadable", reason=type(error).__name__)], name


def _read(book: _Workbook, name: str, max_rows, wanted, tables, notes):
    found = []  # (sheet name, path, header row number, header names, rows iterator, title rows above)
    skipped = []
    for sheet_name, path, visible in book.sheets:
        if not visible:
            skipped.append((sheet_name, "hidden"))
            continue
        if path is None or path not in book.names:
            skipped.append((sheet_name, "not a worksheet"))
            continue
        sheet = _Sheet(book, path)
        rows = sheet.rows()
        above = []
        header = None
        for number, cells in rows:
            texts = _header_of([_plain(cell, book) for cell in _dense(cells)])
            if not any(texts):
                continue
            if _match(clean_header(texts, name, None), tables, wanted) or _looks_like_header(clean_header(texts, name, None), tables, wanted):
                header = (number, texts)
                break
            above.append(number)
            if len(above) >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            skipped.append((sheet_name, "no header"))
            continue
        found.append((sheet_name, header[0], header[1], rows, above))
    if not found:
        sheets = ", ".join(sheet for sheet, _, _ in book.sheets) or "none"
        return None, [problem(name, 0, "", "xlsx_no_data_sheet", sheets=sheets)], name
    if len(found) > 1:
        sheets = ", ".join(sheet for sheet, *_ in found)
        return None, [problem(name, 0, "", "xlsx_two_data_sheets", sheets=sheets)], name
    sheet_name, header_row, header, rows, above = found[0]
    label = f"{name}[{sheet_name}]"
    if notes is not None:
        reasons = {"hidden": ("hidden", "隐藏"), "no header": ("no table header", "没有表头"),
                   "not a worksheet": ("not a worksheet", "不是工作表")}
        skipped_en = "; skipped " + ", ".join(f"{s} ({reasons[r][0]})" for s, r in skipped) if skipped else ""
        skipped_zh = "；跳过 " + "、".join(f"{s}（{reasons[r][1]}）" for s, r in skipped) if skipped else ""
        notes.append(note("xlsx_sheet", file=name, sheet=sheet_name, skipped=skipped_en, skipped_zh=skipped_zh))
    if above:
        return None, [problem(label, 1, "", "title_rows", header=header_row)], label
    names = clean_header(header, label, notes, header_row)
    problems = header_problems(names, label, header_row)
    if problems:
        return None, problems, label
    width = len(names)
    columns: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    percent: dict[str, list] = {}
    dates: dict[str, int] = {}
    formulas = 0
    for number, cells in rows:
        texts = [""] * width
        for index, kind, style, value, formula, inline in cells:
            if index >= width:
                shown = _plain((index, kind, style, value, formula, inline), book)
                if shown:
                    problems.append(problem(label, number, f"column {width + 1}", "no_header_cell"))
                continue
            column = names[index]
            text, issue = _cell(book, kind, style, value, formula, inline)
            if issue:
                key, values = issue
                problems.append(problem(label, number, column, key, **values))
                continue
            if formula is not None:
                formulas += 1
            style_kind = book.kinds[style] if style < len(book.kinds) else "number"
            if kind == "n" and value not in (None, ""):
                if style_kind == "percent":
                    percent.setdefault(column, [0, value, text, number])[0] += 1
                elif style_kind in ("date", "time"):
                    dates[column] = dates.get(column, 0) + 1
            texts[index] = text
        if not any(texts) or is_comment(texts[0]):
            continue
        for index, text in enumerate(texts):
            columns[index].append(text)
        lines.append(number)
        if max_rows is not None and len(lines) > max_rows:
            return None, [problem(label, number, "", TOO_MANY_ROWS, max_rows=f"{max_rows:,}")], label
    if problems:
        return None, problems, label
    if notes is not None:
        for column, (count, stored, read, row) in percent.items():
            notes.append(note("xlsx_percent", file=label, column=column, count=count, stored=_number_text(_stored(stored)), read=read, row=row))
        if formulas:
            notes.append(note("xlsx_formulas", file=label, count=formulas))
        for column, count in dates.items():
            notes.append(note("xlsx_dates", file=label, column=column, count=count))
    arrays = [pa.array(column, pa.string()) for column in columns]
    return pa.table([*arrays, pa.array(np.array(lines, dtype=np.int64))], names=[*names, LINE]), [], label


def _dense(cells) -> list:
    out = []
    for cell in cells:
        while len(out) < cell[0]:
            out.append((len(out), "n", 0, None, None, None))
        if cell[0] == len(out):
            out.append(cell)
    return out


def _plain(cell, book: _Workbook) -> str:
    text, _ = _cell(book, *cell[1:])
    return text


def _serial_date(serial: Decimal, date1904: bool) -> dt.datetime:
    days = float(serial)
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif days < 60:
        base = dt.datetime(1899, 12, 31)  # Excel's 1900-02-29 does not exist: serials below it count from here
    else:
        base = dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=days)


def _cell(book: _Workbook, kind: str, style: int, value, formula, inline) -> tuple[str, tuple | None]:
    """A cell as the text a curator sees, or a problem (key, values)."""
    if formula is not None:
        shown = formula.strip() or "(shared formula)"
        if value is None or (value == "" and kind != "str"):
            return "", ("formula_no_value", {"formula": shown})
        if book.recalc:
            why = {"full_calc": ("the file asks to be recalculated when opened: it was written by a program, not saved by Excel/WPS",
                                 "文件要求打开时重新计算：它是由程序生成的，并非由 Excel/WPS 保存"),
                   "manual": ("the workbook calculates manually, so the result may be stale", "工作簿为手动计算，结果可能已过时")}[book.recalc]
            return "", ("formula_untrusted", {"formula": shown, "why": why[0], "why_zh": why[1]})
    if kind == "s":
        try:
            return book.strings[int(value)].strip(), None
        except (IndexError, TypeError, ValueError):
            return "", None
    if kind == "inlineStr":
        return (inline or "").strip(), None
    if kind in ("str", "e"):
        return (value or "").strip(), None
    if kind == "b":
        return ("true" if value in ("1", "true") else "false") if value else "", None
    if kind == "d":
        return (value or "").split("T")[0] if value and value.endswith("T00:00:00") else (value or ""), None
    if value is None or value == "":
        return "", None
    stored = _stored(value)
    style_kind = book.kinds[style] if style < len(book.kinds) else "number"
    if style_kind == "percent":
        return _number_text(stored * 100), None
    if style_kind in ("date", "month", "noyear", "time"):
        moment = _serial_date(stored, book.date1904)
        if style_kind == "month":
            return "", ("partial_date", {"shown": f"{moment.year}年{moment.month}月", "stored": moment.date().isoformat()})
        if style_kind == "noyear":
            return "", ("partial_date", {"shown": f"{moment.month}月{moment.day}日", "stored": moment.date().isoformat()})
        if moment.time() == dt.time():
            return moment.date().isoformat(), None
        return moment.isoformat(sep=" "), None
    return _number_text(stored), None
