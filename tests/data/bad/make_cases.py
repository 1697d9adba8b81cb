"""Writes the corpus cases of issue 11 (files as Excel and WPS on Chinese Windows make them)
from rows of the frozen base: `python tests/data/bad/make_cases.py`. The files are
committed; this script says exactly how each was made, byte for byte.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from xlsx_maker import Cell, Sheet, workbook  # noqa: E402

BASE = HERE / "base"


def rows_of(table: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((BASE / f"{table}.csv").read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def row(table: str, line: int, **changes) -> list[str]:
    header, rows = rows_of(table)
    out = list(rows[line - 2])
    for name, value in changes.items():
        out[header.index(name)] = value
    return out


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([header, *rows])
    return buffer.getvalue()


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


OBS, _ = rows_of("observations")
AWD, _ = rows_of("awards")
SRC, _ = rows_of("sources")
INS, _ = rows_of("institutions")
RATE = 16  # dalian_vtc emp_destination_rate 96.08, evidence 就业去向落实率为96.08%
SESSIONS = 2  # dalian_vtc pb_central_group_sessions 10
ORDER = 9  # 近30个 订单班, approx
VIEWS = 174  # 超过一百万人次, more_than
TWO = 148  # 两项
COUNTED = 155  # two departments listed: counted


def typed(cells: list[str], header: list[str], numbers: tuple[str, ...] = ("period", "value", "count")) -> list:
    """A row as Excel holds it after typing: numbers as numbers, blanks as no cell."""
    out = []
    for name, cell in zip(header, cells):
        if not cell:
            out.append(None)
        elif name in numbers:
            out.append(float(cell) if "." in cell else int(cell))
        else:
            out.append(cell)
    return out


def main() -> None:
    # --- cause 1: number formats, formulas, dates in XLSX --------------------------------
    rate = typed(row("observations", RATE), OBS)
    value = OBS.index("value")
    percent = list(rate)
    percent[value] = Cell(0.9608, fmt="0.00%", digits17=True)
    write("observations_xlsx_percent_format.xlsx", workbook([Sheet("Sheet1", [OBS, percent, typed(row("observations", SESSIONS), OBS)])]))

    rounded = list(rate)
    rounded[value] = Cell(96.08, fmt="0.0")
    write("observations_xlsx_display_rounding.xlsx", workbook([Sheet("Sheet1", [OBS, rounded])]))

    no_result = list(rate)
    no_result[value] = Cell(None, formula="ROUND(2402/2500*100,2)", cached=False)
    write("observations_xlsx_formula_without_result.xlsx", workbook([Sheet("Sheet1", [OBS, no_result])], calc_chain=False))

    zero = list(rate)
    zero[value] = Cell(0, formula="ROUND(2402/2500*100,2)")
    write("observations_xlsx_formula_saved_zero.xlsx",
          workbook([Sheet("Sheet1", [OBS, zero])], calc="full_on_load", calc_chain=False))

    cached = typed(row("observations", SESSIONS), OBS)
    cached[value] = Cell(10, formula="4+6")
    write("observations_xlsx_formula_saved_by_excel.xlsx", workbook([Sheet("Sheet1", [OBS, cached])]))

    published = SRC.index("published")
    jiaxing = typed(row("sources", 6), SRC, numbers=())
    month = list(jiaxing)
    month[published] = Cell(44805, fmt='yyyy"年"m"月"')  # 2022-09-01, typed as 2022年9月
    write("sources_xlsx_month_as_date.xlsx", workbook([Sheet("来源", [SRC, *[typed(r, SRC, ()) for r in rows_of("sources")[1][:4]], month])]))

    day = list(jiaxing)
    day[published] = Cell(44616, fmt="yyyy/m/d")  # 2022-02-24
    write("sources_xlsx_date_cell.xlsx", workbook([Sheet("来源", [SRC, *[typed(r, SRC, ()) for r in rows_of("sources")[1][:4]], day])],
                                                  app="WPS 表格"))

    # --- cause 2: the value against its evidence ----------------------------------------
    H = OBS
    write("observations_value_display_rounded.csv", csv_text(H, [row("observations", RATE, value="96.1")]).encode())
    write("observations_value_as_fraction.csv", csv_text(H, [row("observations", RATE, value="0.9608")]).encode())
    write("observations_value_in_wrong_unit.csv", csv_text(H, [row("observations", VIEWS, value="100")]).encode())
    write("observations_qualifier_not_in_evidence.csv", csv_text(H, [row("observations", ORDER, qualifier="exact")]).encode())
    write("observations_value_in_chinese_numerals.csv", csv_text(H, [row("observations", TWO), row("observations", VIEWS)]).encode())
    write("observations_counted_without_derivation.csv",
          csv_text(H, [row("observations", COUNTED, derivation="")]).encode())
    write("observations_evidence_not_in_document.csv",
          csv_text(H, [row("observations", RATE, value="96.8", evidence="截止到目前，就业去向落实率为96.8%")]).encode())
    fraction = list(rate)
    fraction[value] = Cell(0.9608)
    write("observations_xlsx_fraction_in_general_format.xlsx", workbook([Sheet("Sheet1", [OBS, fraction])]))

    # --- cause 3: quotes ----------------------------------------------------------------
    lines = [row("observations", n) for n in (2, 3, 4, 5, 6)]
    text = csv_text(H, lines).split("\n")
    evidence = H.index("evidence")
    stray = text[2].split(",")
    stray[evidence] = '"' + stray[evidence]  # a quote typed before the excerpt, never closed
    text[2] = ",".join(stray)
    closing = text[5].split(",")
    closing[evidence] = closing[evidence] + '"'  # and a quote at the end of a later excerpt
    text[5] = ",".join(closing)
    write("observations_stray_quotes_swallow_rows.csv", "\n".join(text).encode())
    quoted = csv_text(H, [row("observations", 4)]).split("\n")
    cells = quoted[1].split(",")
    cells[evidence] = '"电气自动化技术"等专业群入围'
    quoted[1] = ",".join(cells)
    write("observations_quote_then_text.csv", "\n".join(quoted).encode())

    # --- cause 4: Excel error values ------------------------------------------------------
    write("observations_excel_error_first_cell.csv",
          csv_text(H, [row("observations", SESSIONS), row("observations", 3, institution_id="#N/A")]).encode())
    write("observations_excel_error_value.csv",
          csv_text(H, [row("observations", SESSIONS), row("observations", RATE, value="#DIV/0!")]).encode())
    error = list(rate)
    error[value] = Cell(error="#REF!")
    write("observations_xlsx_error_value.xlsx", workbook([Sheet("Sheet1", [OBS, error])]))

    # --- cause 5: sheets ------------------------------------------------------------------
    instructions = Sheet("填表说明", [["填表说明"], ["1. 每行一个数字，照原文填写。"], ["2. 百分比填数字，不带 %。"]])
    old = Sheet("旧数据", [OBS, typed(row("observations", RATE, value="95"), OBS)], state="hidden")
    data = Sheet("数据", [OBS, typed(row("observations", SESSIONS), OBS), typed(row("observations", 3), OBS)])
    write("observations_xlsx_hidden_and_instruction_sheets.xlsx", workbook([old, instructions, data]))
    write("observations_xlsx_two_data_sheets.xlsx", workbook([
        Sheet("2021", [OBS, typed(row("observations", SESSIONS), OBS)]), Sheet("2021 (2)", [OBS, typed(row("observations", 3), OBS)])]))
    write("observations_xlsx_instructions_only.xlsx", workbook([instructions]))

    # --- cause 6: keys with invisible characters -----------------------------------------
    first = row("awards", 2)
    competition = AWD.index("competition")
    zw = list(first)
    zw[competition] = zw[competition].replace("互联网", "互联\u200b网")
    write("awards_zero_width_in_key.csv", csv_text(AWD, [first, row("awards", 3), zw]).encode())
    ascii_quotes = list(first)
    ascii_quotes[competition] = ascii_quotes[competition].replace("“", '"').replace("”", '"')
    write("awards_quote_style_near_duplicate.csv", csv_text(AWD, [first, row("awards", 3), ascii_quotes]).encode())
    spaced_a = row("awards", 2, competition="第七届辽宁省 “互联网+”大学生创新创业大赛")
    spaced_b = row("awards", 2, competition="第七届辽宁省\u3000“互联网+”大学生创新创业大赛")
    write("awards_fullwidth_space_in_key.csv", csv_text(AWD, [spaced_a, row("awards", 3), spaced_b]).encode())
    write("observations_zero_width_in_id.csv",
          csv_text(H, [row("observations", SESSIONS, institution_id="dalian\u200b_vtc"), row("observations", 3)]).encode())
    nbsp = typed(row("awards", 2, competition="第七届辽宁省\u00a0“互联网+”大学生创新创业大赛"), AWD)
    write("awards_xlsx_no_break_space_duplicate.xlsx", workbook([Sheet("获奖", [AWD, typed(row("awards", 2, competition="第七届辽宁省 “互联网+”大学生创新创业大赛"), AWD), nbsp])]))

    # --- cause 7: cut off -----------------------------------------------------------------
    whole = csv_text(H, [row("observations", SESSIONS), row("observations", 3)])
    write("observations_cut_off_mid_row.csv", whole[: whole.rindex(",dalian_2021_summary")].encode())
    book = workbook([Sheet("Sheet1", [OBS, typed(row("observations", SESSIONS), OBS)])])
    write("observations_xlsx_cut_off.xlsx", book[: len(book) * 2 // 3])

    # --- cause 8: plausibility ------------------------------------------------------------
    sources = rows_of("sources")[1]
    write("sources_published_2202.csv", csv_text(SRC, [*sources[:4], row("sources", 6, published="2202-02-24")]).encode())
    write("sources_published_excel_day_zero.csv", csv_text(SRC, [*sources[:4], row("sources", 6, published="1899-12-30")]).encode())
    zero_day = list(jiaxing)
    zero_day[published] = Cell(0, fmt="yyyy-mm-dd")
    write("sources_xlsx_published_day_zero.xlsx", workbook([Sheet("来源", [SRC, *[typed(r, SRC, ()) for r in sources[:4]], zero_day])]))
    write("observations_actual_after_published.csv",
          csv_text(H, [row("observations", SESSIONS), row("observations", 157, period="2023")]).encode())
    institutions = rows_of("institutions")[1]
    write("institutions_same_name_new_id.csv",
          csv_text(INS, [*institutions, row("institutions", 2, institution_id="dalian_poly", name_en="Dalian Polytechnic")]).encode())

    # --- cause 9: line ends, headers, title rows ---------------------------------------------
    two = csv_text(H, [row("observations", SESSIONS), row("observations", 3, qualifier="about")], newline="\r\r\n")
    write("observations_cr_cr_lf.csv", two.encode())
    header = list(H)
    header[value] = "value\u200b"
    write("observations_header_zero_width.csv", csv_text(header, [row("observations", SESSIONS)]).encode())
    write("observations_sep_line.csv", ("sep=,\n" + csv_text(H, [row("observations", SESSIONS), row("observations", 3, kind="plan")])).encode())
    title = "大连职业技术学院2021年数据" + "," * (len(H) - 1) + "\n" + "," * (len(H) - 1) + "\n"
    write("observations_title_rows.csv", (title + csv_text(H, [row("observations", SESSIONS)])).encode("gb18030"))
    write("observations_xlsx_title_rows.xlsx", workbook([Sheet("Sheet1", [["大连职业技术学院2021年数据（单位：次）"], [], OBS,
                                                                        typed(row("observations", SESSIONS), OBS)])], app="WPS 表格"))

    # --- cause 10: one read path ---------------------------------------------------------------
    write("observations_double_bom.csv", b"\xef\xbb\xbf\xef\xbb\xbf" + csv_text(H, [row("observations", SESSIONS)]).encode())

    # --- cause 11: UTF-8 without Chinese ---------------------------------------------------------
    latin = row("observations", RATE, evidence="96.08%", notes="± 0.01 · café · 20 °C")
    write("observations_utf8_symbols_only.csv", csv_text(H, [latin]).encode())


if __name__ == "__main__":
    main()
