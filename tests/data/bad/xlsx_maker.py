"""Workbooks written part by part as Excel and WPS save them, for the bad-input corpus.

openpyxl and xlsxwriter cannot write what the corpus needs: a formula with the result
Excel saved (and a calcChain), a hidden first sheet in the order Excel keeps it, a number
stored with Excel's 17 digits. So the few parts of an .xlsx are written here directly.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


@dataclass
class Cell:
    value: object = None  # str, int, float or None
    fmt: str | None = None  # a number format code ("0.00%", 'yyyy"年"m"月"')
    formula: str | None = None
    cached: bool = True  # a formula's saved result is written
    error: str | None = None  # an error value (#REF!)
    digits17: bool = False  # write the number with 17 significant digits, as Excel often does


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    state: str = "visible"
    start_row: int = 1
    blank_formatted_rows: int = 0  # rows below the data with a format and no value (Excel's used range)
    columns_wide: int = 0  # cells per formatted blank row


def _col(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def workbook(sheets: list[Sheet], *, calc: str = "auto", calc_chain: bool = True, app: str = "Microsoft Excel",
             date1904: bool = False) -> bytes:
    """calc: auto | full_on_load (as a program that leaves the results to Excel writes) | manual."""
    strings: dict[str, int] = {}
    formats: dict[str, int] = {}
    chain: list[tuple[int, str]] = []
    sheet_xml = []
    for number, sheet in enumerate(sheets, start=1):
        rows = []
        for offset, row in enumerate(sheet.rows):
            r = sheet.start_row + offset
            cells = []
            for index, item in enumerate(row):
                cell = item if isinstance(item, Cell) else Cell(item)
                ref = f"{_col(index)}{r}"
                style = ""
                if cell.fmt:
                    style = f' s="{formats.setdefault(cell.fmt, len(formats) + 1)}"'
                if cell.error:
                    cells.append(f'<c r="{ref}"{style} t="e"><v>{escape(cell.error)}</v></c>')
                    continue
                if cell.formula is not None:
                    chain.append((number, ref))
                    value = ""
                    kind = ""
                    if cell.cached and cell.value is not None:
                        if isinstance(cell.value, str):
                            kind, value = ' t="str"', f"<v>{escape(cell.value)}</v>"
                        else:
                            value = f"<v>{_number(cell.value, cell.digits17)}</v>"
                    cells.append(f'<c r="{ref}"{style}{kind}><f>{escape(cell.formula)}</f>{value}</c>')
                    continue
                if cell.value is None:
                    if style:
                        cells.append(f'<c r="{ref}"{style}/>')
                    continue
                if isinstance(cell.value, str):
                    index_s = strings.setdefault(cell.value, len(strings))
                    cells.append(f'<c r="{ref}"{style} t="s"><v>{index_s}</v></c>')
                else:
                    cells.append(f'<c r="{ref}"{style}><v>{_number(cell.value, cell.digits17)}</v></c>')
            rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        if sheet.blank_formatted_rows:
            blank_style = formats.setdefault("@", len(formats) + 1)
            first = sheet.start_row + len(sheet.rows)
            width = sheet.columns_wide or 16
            template = "".join(f'<c r="{_col(i)}{{r}}" s="{blank_style}"/>' for i in range(width))
            rows.extend(f'<row r="{r}" s="{blank_style}" customFormat="1">{template.format(r=r)}</row>'
                        for r in range(first, first + sheet.blank_formatted_rows))
        sheet_xml.append(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
                         f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
    calc_attrs = {"auto": 'calcId="191029"', "full_on_load": 'calcId="124519" fullCalcOnLoad="1"',
                  "manual": 'calcId="191029" calcMode="manual"'}[calc]
    book_sheets = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{i}"{"" if s.state == "visible" else f" state={chr(34)}{s.state}{chr(34)}"} r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1))
    parts = {
        "[Content_Types].xml": _content_types(len(sheets), bool(chain) and calc_chain),
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                       '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
                       '</Relationships>',
        "docProps/app.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>{escape(app)}</Application></Properties>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS}>'
                           f'<workbookPr{" date1904=" + chr(34) + "1" + chr(34) if date1904 else ""}/>'
                           f'<sheets>{book_sheets}</sheets><calcPr {calc_attrs}/></workbook>',
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets), bool(chain) and calc_chain),
        "xl/styles.xml": _styles(formats),
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
                                + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>",
    }
    for number, xml in enumerate(sheet_xml, start=1):
        parts[f"xl/worksheets/sheet{number}.xml"] = xml
    if chain and calc_chain:
        parts["xl/calcChain.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                     '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                     + "".join(f'<c r="{ref}" i="{sheet}"/>' for sheet, ref in chain) + "</calcChain>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _number(value, digits17: bool) -> str:
    if isinstance(value, int):
        return str(value)
    return format(value, ".17g") if digits17 else repr(value)


def _styles(formats: dict[str, int]) -> str:
    custom = {code: 164 + i for i, code in enumerate(formats)}
    builtin = {"0%": 9, "0.00%": 10, "@": 49}
    numfmts = "".join(f'<numFmt numFmtId="{custom[c]}" formatCode="{escape(c, {chr(34): "&quot;"})}"/>' for c in formats if c not in builtin)
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for code in formats:
        xfs.append(f'<xf numFmtId="{builtin.get(code, custom[code])}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<numFmts count="{numfmts.count("<numFmt ")}">{numfmts}</numFmts>' if numfmts else "")
            + '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs></styleSheet>')


def _content_types(sheets: int, chain: bool) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheets + 1))
    if chain:
        overrides += '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f'{overrides}</Types>')


def _workbook_rels(sheets: int, chain: bool) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheets + 1))
    rels += f'<Relationship Id="rId{sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    rels += f'<Relationship Id="rId{sheets + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    if chain:
        rels += f'<Relationship Id="rId{sheets + 3}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
