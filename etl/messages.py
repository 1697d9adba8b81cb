"""Every problem and note the ETL reports, in English and Chinese, by key.

A Problem carries its key and values, so that the command line (English by default,
`--lang zh` or VOCDASH_LANG=zh for Chinese) and the Validate page (the page's language)
word the same finding from one place. The English text is the one tests and logs compare.
"""
from __future__ import annotations

# key: (English, Chinese). Values are str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- files and decoding
    "file_missing": ("file is missing", "文件不存在"),
    "file_unreadable": ("cannot be read: {reason}", "无法读取：{reason}"),
    "file_twice": ("both {csv} and {xlsx} are present; keep one", "{csv} 与 {xlsx} 同时存在，请只保留一个"),
    "utf16": ("file is UTF-16; save it as CSV UTF-8 (逗号分隔) instead",
              "文件是 UTF-16 编码；请另存为“CSV UTF-8（逗号分隔）”"),
    "nul_bytes": ("file holds NUL bytes (UTF-16 or not text); save it as CSV UTF-8",
                  "文件含有 NUL 字节（UTF-16 或不是文本）；请另存为 CSV UTF-8"),
    "xlsx_as_csv": ("file is an Excel workbook (.xlsx) with a .csv name; name it .xlsx, or save it as CSV UTF-8 (逗号分隔)",
                    "文件其实是 Excel 工作簿（.xlsx），却以 .csv 命名；请改名为 .xlsx，或另存为“CSV UTF-8（逗号分隔）”"),
    "cut_in_char": ("file ends in the middle of a character: it was cut off; copy or save it again",
                    "文件在一个字符中间结束：文件被截断了；请重新复制或保存"),
    "mixed_gbk_lines": ("file mixes encodings: {lines} not UTF-8 (GBK?) but the rest is UTF-8; save the whole file once as CSV UTF-8",
                        "文件混用了编码：第 {numbers} 行不是 UTF-8（GBK？），其余是 UTF-8；请把整个文件重新另存为 CSV UTF-8"),
    "mixed_utf8_lines": ("file mixes encodings: {lines} UTF-8 but other lines are GBK; save the whole file once as CSV UTF-8",
                         "文件混用了编码：第 {numbers} 行是 UTF-8，其余是 GBK；请把整个文件重新另存为 CSV UTF-8"),
    "not_text": ("file is neither UTF-8 nor GB18030 (GBK) text; save it as CSV UTF-8",
                 "文件既不是 UTF-8 也不是 GB18030（GBK）文本；请另存为 CSV UTF-8"),
    "too_many_rows": ("more than {max_rows} rows; split the file", "超过 {max_rows} 行；请拆分文件"),
    "too_big_unpacked": ("unpacks to more than {mb} MB; split the workbook or save the sheet as CSV UTF-8",
                         "解压后超过 {mb} MB；请拆分工作簿，或把工作表另存为 CSV UTF-8"),
    # --- file shape
    "empty": ("file is empty: it needs at least a header line", "文件是空的：至少需要一行表头"),
    "header_first": ("line 1 must be the header (the column names)", "第 1 行必须是表头（列名）"),
    "header_separator": ("the header is separated by {separator}, not commas; save the file as CSV UTF-8 (逗号分隔)",
                         "表头用{separator_zh}分隔，而不是逗号；请另存为“CSV UTF-8（逗号分隔）”"),
    "sep_other": ('line 1 "{text}" asks Excel for another separator; save the file as CSV UTF-8 (逗号分隔)',
                  "第 1 行“{text}”要求 Excel 使用其他分隔符；请另存为“CSV UTF-8（逗号分隔）”"),
    "title_rows": ("line 1 is not the header: the column names are on line {header}, and the lines above it look like a title "
                   "(a unit such as 单位：万元 there would change every figure); delete the lines above the header",
                   "第 1 行不是表头：列名在第 {header} 行，上面几行像是标题（若标题里写了“单位：万元”之类，会改变每个数字的含义）；"
                   "请删除表头上方的行"),
    "header_blank": ("header cell is blank", "表头单元格为空"),
    "header_twice": ("column appears twice in the header", "该列在表头中出现了两次"),
    "missing_column": ("missing column", "缺少此列"),
    "unknown_column": ("unknown column; the columns are: {columns}", "未知列；应有的列为：{columns}"),
    "no_header_cell": ("cell has no column name in the header", "该单元格在表头中没有列名"),
    "row_too_wide": ("row has {cells} cells but the header has {width}", "该行有 {cells} 个单元格，而表头只有 {width} 列"),
    "repeated_header": ("repeats the header row; remove it (were two files pasted together?)",
                        "重复了表头行；请删除（是否把两个文件粘贴到了一起？）"),
    "unclosed_quote": ('a quote (") opens a cell that never closes', "此处的英文引号（\"）开启了一个单元格，但一直没有闭合"),
    "quote_swallows": ('a quote (") opens a cell here that runs to line {end} and takes in what look like {rows} row(s); '
                       'a quote inside a cell must be doubled ("") or typed as a Chinese quote (“”)',
                       "此处的英文引号（\"）开启的单元格一直延续到第 {end} 行，吞进了看似 {rows} 行数据；"
                       "单元格内的英文引号须写成两个（\"\"），或改用中文引号（“”）"),
    "quote_then_text": ('a quote (") closes a cell but text follows it before the next comma; a quote inside a cell must be '
                        'doubled ("") or typed as a Chinese quote (“”)',
                        "英文引号（\"）闭合了单元格，但在下一个逗号之前后面还有文字；单元格内的英文引号须写成两个（\"\"），或改用中文引号（“”）"),
    "cut_off_row": ("the last row has {cells} of the header's {width} cells and the file does not end with a line break: "
                    "the file was cut off; copy or save it again",
                    "最后一行只有 {cells} 个单元格（表头有 {width} 列），且文件没有以换行结束：文件被截断了；请重新复制或保存"),
    "excel_error": ('"{value}" is an Excel error value: the formula behind it failed; fix the formula, or type the value',
                    "“{value}”是 Excel 的错误值：单元格里的公式出错了；请修正公式，或直接填写数值"),
    # --- XLSX
    "xlsx_unreadable": ("not a readable .xlsx workbook ({reason}); open it in Excel/WPS and save it again as .xlsx",
                        "不是可读取的 .xlsx 工作簿（{reason}）；请在 Excel/WPS 中打开后重新另存为 .xlsx"),
    "xlsx_no_data_sheet": ("no visible sheet has a header row of the expected columns (sheets: {sheets})",
                           "没有哪个可见工作表的表头是所需的列（工作表：{sheets}）"),
    "xlsx_two_data_sheets": ("sheets {sheets} both hold a header of this table; keep the data in one sheet",
                             "工作表 {sheets} 都有这张表的表头；请把数据放在一个工作表中"),
    "formula_no_value": ("formula cell ={formula} has no saved result; open the file in Excel/WPS and save it, or paste the values "
                         "(选择性粘贴 → 数值)",
                         "公式单元格 ={formula} 没有保存计算结果；请在 Excel/WPS 中打开并保存，或以“选择性粘贴 → 数值”粘贴"),
    "formula_untrusted": ("formula cell ={formula}: its saved result cannot be trusted ({why}); open the file in Excel/WPS and "
                          "save it, or paste the values (选择性粘贴 → 数值)",
                          "公式单元格 ={formula}：其保存的结果不可信（{why_zh}）；请在 Excel/WPS 中打开并保存，"
                          "或以“选择性粘贴 → 数值”粘贴"),
    "partial_date": ("the cell shows {shown}, not a full date (year, month and day); Excel stores it as {stored}, a date nobody "
                     "wrote: type the full date as YYYY-MM-DD, or leave the cell blank",
                     "单元格显示为 {shown}，不是完整日期（年、月、日）；Excel 存为 {stored}，这个日期并没有人写过：请按 YYYY-MM-DD 填写完整日期，或留空"),
    # --- cells
    "blank": ("is blank; this column is required", "为空；此列必填"),
    "slug": ('"{text}" is not an id: use lowercase ASCII letters, digits, "_" or "-"',
             "“{text}”不是合法的编号：只能用小写英文字母、数字、“_”或“-”"),
    "vocab": ('unknown value "{text}"; use one of: {choices}', "未知取值“{text}”；请从以下选择：{choices}"),
    "year": ('"{text}" is not a year ({first}-{last}, four digits)', "“{text}”不是年份（{first}—{last}，四位数字）"),
    "number_negative": ('"{text}" must not be negative', "“{text}”不能为负数"),
    "number_percent": ('"{text}" must be a plain number: leave out "%" (the unit comes from indicators.csv)',
                       "“{text}”须为纯数字：请去掉“%”（单位由 indicators.csv 给出）"),
    "number_thousands": ('"{text}" must be a plain number: leave out the thousands separator',
                         "“{text}”须为纯数字：请去掉千位分隔符"),
    "number_qualifier": ('"{text}" must be a plain number: put 约/近/多/余/以上 in the qualifier column (approx, more_than, at_least)',
                         "“{text}”须为纯数字：约/近/多/余/以上 请填在 qualifier 列（approx、more_than、at_least）"),
    "number_linebreak": ('"{text}" is not a number: it holds a line break (Alt+Enter in Excel); keep the number, move the rest to notes',
                         "“{text}”不是数字：其中有换行（Excel 中的 Alt+Enter）；只保留数字，其余移到 notes"),
    "number_invisible": ('"{text}" is not a number: it holds an invisible character; delete the cell and type it again',
                         "“{text}”不是数字：其中有看不见的字符；请清空单元格后重新输入"),
    "number_footnote": ('"{text}" is not a number: it holds a superscript or circled digit (a footnote mark?); leave it out',
                        "“{text}”不是数字：其中有上标或带圈数字（脚注标记？）；请删去"),
    "number": ('"{text}" is not a number', "“{text}”不是数字"),
    "integer": ('"{text}" is not a whole number', "“{text}”不是整数"),
    "too_large": ('"{text}" is too large to be a {what}; is it an id or a code pasted into the wrong cell?',
                  "“{text}”太大，不像是{what_zh}；是否把编号或代码粘贴到了错误的单元格？"),
    "date": ('"{text}" is not a date; write YYYY-MM-DD', "“{text}”不是日期；请写成 YYYY-MM-DD"),
    "boolean": ('"{text}" is not true or false', "“{text}”不是 true 或 false"),
    "too_long": ("is {length} characters long; the limit is {limit}", "长度为 {length} 个字符；上限为 {limit}"),
    "unknown": ('unknown {what} "{text}": not in {parent_file}', "未知的 {what}“{text}”：不在 {parent_file} 中"),
    "over_100": ("{value} is over 100, but {indicator} is a percent", "{value} 超过 100，而 {indicator} 是百分比"),
    "owner": ('source "{value}" belongs to institution "{owner}", not "{institution}"',
              "来源“{value}”属于院校“{owner}”，而不是“{institution}”"),
    "before_period": ("{value} is before period {period}", "{value} 早于 period {period}"),
    "needs_since": ("is cumulative, so `since` needs the year it counts from (2020年以来 -> 2020); a running total with no start year is a stock",
                    "是累计数，`since` 须填写起算年份（2020年以来 -> 2020）；没有起算年份的累计总数属于 stock"),
    "since_not_cumulative": ('is only for cumulative figures, but basis is "{basis}"', "只用于累计数，而 basis 是“{basis}”"),
    "since_after_period": ("{value} is after period {period} (a cumulative figure's period is the year its total stands at)",
                           "{value} 晚于 period {period}（累计数的 period 是累计截至的年份）"),
    "span_not_flow": ("is only for a flow over several years; a {basis} figure has one period (cumulative: put the start year in `since`)",
                      "只用于跨多年的流量数；{basis} 类数字只有一个 period（累计数请把起算年份填在 `since`）"),
    "as_of_outside": ("{value} is outside the figure's period {period}-{end} (the measurement date may fall at most one year after it)",
                      "{value} 不在该数字的期间 {period}-{end} 内（统计时点最多可晚于期间一年）"),
    "derivation_needs_notes": ('is "{value}": say in notes how the figure was {value} from the evidence',
                               "为“{value}”：请在 notes 中说明该数字是如何从证据中得出的"),
    "scope_not_total": ('only a total (is_total=true) can cover "or higher" levels (省部级以上)',
                        "只有合计行（is_total=true）才能表示“以上”级别（省部级以上）"),
    "zero": ("is 0; leave out awards the report does not give (missing is not zero)", "为 0；报告没有给出的奖项请不要填写（缺失不等于零）"),
    "duplicate": ("duplicate key ({listed}); first on line {first}", "主键重复（{listed}）；首次出现在第 {first} 行"),
    "near_duplicate": ("same key as line {first} except for {how} ({listed}); the same row twice would be counted twice: delete one",
                       "与第 {first} 行的主键只差{how_zh}（{listed}）；同一行出现两次会被重复计算：请删除其中一行"),
    "already_loaded": ("already loaded: this key is in the warehouse", "已加载：数据仓库中已有此主键"),
    "mixed_basis": ("{basis}, but {indicator} is comparable and its other figures are {usual} (as on line {usual_line}); "
                    "use another indicator for this basis, or set comparable=false in indicators.csv",
                    "{basis}，而 {indicator} 是可比指标，其他数字为 {usual}（如第 {usual_line} 行）；请为此口径另用指标，"
                    "或在 indicators.csv 中设 comparable=false"),
    "loaded_basis": ("{basis}, but {indicator} is comparable and its figures already in the warehouse are {usual}; "
                     "use another indicator for this basis, or set comparable=false in indicators.csv",
                     "{basis}，而 {indicator} 是可比指标，数据仓库中已有的数字为 {usual}；请为此口径另用指标，"
                     "或在 indicators.csv 中设 comparable=false"),
    "award_overlap": ("lies within the totals on lines {lines}; an award can be part of one total only "
                      "(nested totals such as 省级以上 and 其中国家级: keep the broader one)",
                      "同时属于第 {lines} 行的合计；一个奖项只能属于一个合计（如“省级以上”与“其中国家级”嵌套时，保留范围更大的那个）"),
    "award_over": ("the total is {total}, but the itemised awards it covers add up to {items}; check both, "
                   "or write in `conflict` how the report contradicts itself",
                   "合计为 {total}，而其涵盖的分项相加为 {items}；请核对两者，或在 `conflict` 中写明报告自相矛盾之处"),
    # --- plausibility
    "date_implausible": ('"{text}" is not a plausible publication date (1949-10-01 to today); {hint}',
                         "“{text}”不是合理的发布日期（1949-10-01 至今）；{hint_zh}"),
    "actual_after_published": ("an actual figure for {period} cannot come from source {source}, published {published}; "
                               "is it a target (kind=target), or is the period wrong?",
                               "{period} 年的实际数不可能出自 {published} 发布的来源 {source}；它是目标（kind=target），还是期间填错了？"),
    "same_name": ('"{name}" is already institution "{other}" (line {first}); one college has one id',
                  "“{name}”已是院校“{other}”（第 {first} 行）；同一所学校只能有一个编号"),
    # --- evidence
    "value_not_in_evidence": ("{value} ({qualifier}) is not what the evidence states{found}; copy the figure as written, "
                              "or set `derivation` (counted | summed | converted) and say how in notes",
                              "{value}（{qualifier}）不是证据中写的数字{found_zh}；请照原文填写，或填写 `derivation`"
                              "（counted | summed | converted）并在 notes 中说明"),
    "evidence_not_in_document": ("the evidence is not in the source's document {document} (white space ignored); copy it "
                                 "from the document as it is written",
                                 "证据摘录不在来源文件 {document} 中（忽略空白）；请按原文照录"),
    # --- whole run
    "internal_error": ("internal error while {doing} ({error}); nothing was loaded. Please report this with the file",
                       "{doing_zh}时出现内部错误（{error}）；未加载任何数据。请连同文件一起报告"),
}

# Notes: what was read and how, for the log and the page.
NOTES: dict[str, tuple[str, str]] = {
    "read_gb18030": ("{file}: read as GB18030 (GBK)", "{file}：按 GB18030（GBK）编码读取"),
    "double_bom": ("{file}: the file starts with {count} byte-order marks (BOM); read as one",
                   "{file}：文件开头有 {count} 个字节顺序标记（BOM），按一个处理"),
    "sep_line": ("{file}: line 1 is Excel's separator hint (sep=,); skipped, the header is line 2",
                 "{file}：第 1 行是 Excel 的分隔符提示（sep=,），已跳过，第 2 行为表头"),
    "full_width": ("{file}: {column}: {count} full-width cell(s) read as ASCII", "{file}：{column}：{count} 个全角单元格按半角读取"),
    "thousands": ("{file}: {column}: {count} thousands separator(s) removed", "{file}：{column}：去掉了 {count} 个千位分隔符"),
    "header_invisible": ("{file}: column {column}: invisible character(s) {chars} removed from the header",
                         "{file}：列 {column}：已从表头中删去看不见的字符 {chars}"),
    "key_invisible": ("{file}: {column}: {count} key cell(s) held invisible or odd space characters ({chars}); removed or made plain spaces",
                      "{file}：{column}：{count} 个主键单元格含有看不见的字符或特殊空格（{chars}），已删除或改为普通空格"),
    "xlsx_sheet": ("{file}: read sheet {sheet}{skipped}", "{file}：读取工作表 {sheet}{skipped_zh}"),
    "xlsx_percent": ("{file}: {column}: {count} percent-formatted cell(s) read as shown, e.g. {stored} as {read} (row {row})",
                     "{file}：{column}：{count} 个百分比格式的单元格按显示读取，如 {stored} 读作 {read}（第 {row} 行）"),
    "xlsx_formulas": ("{file}: {count} formula cell(s) read by the result Excel/WPS saved", "{file}：{count} 个公式单元格按 Excel/WPS 保存的结果读取"),
    "xlsx_dates": ("{file}: {column}: {count} date cell(s) read as YYYY-MM-DD", "{file}：{column}：{count} 个日期单元格按 YYYY-MM-DD 读取"),
    "evidence_unchecked": ("{count} figure(s) of source(s) {sources} not checked against a document: {document} is not in {folder}",
                           "来源 {sources} 的 {count} 个数字未与原文核对：{folder} 中没有 {document}"),
}


def text(key: str, lang: str, values: dict) -> str:
    """A message in lang ("en" or "zh"); Chinese-only fields (name_zh) fall back to
    their English ones."""
    table = MESSAGES if key in MESSAGES else NOTES
    template = table[key][1 if lang == "zh" else 0]
    filled = dict(values)
    for name in list(filled):
        filled.setdefault(f"{name}_zh", filled[name])
    return template.format_map(_Fallback(filled))


class _Fallback(dict):
    def __missing__(self, name: str) -> str:
        if name.endswith("_zh"):
            return self.get(name[:-3], "")
        return ""
