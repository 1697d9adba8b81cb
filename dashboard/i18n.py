"""Every label the user sees, in Chinese (the default) and English, in one place."""
from __future__ import annotations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

TEXT: dict[str, tuple[str, str]] = {
    # app shell
    "app_title": ("VocDash 职业院校对比看板", "VocDash · Vocational college dashboard"),
    "app_tagline": (
        "每个数字都注明来源、时期，以及是确数、约数还是目标。",
        "Every figure shows its source, its period, and whether it is exact, approximate or a target.",
    ),
    "language": ("语言", "Language"),
    "filters": ("筛选", "Filters"),
    "filter_type": ("院校类型", "Institution type"),
    "filter_province": ("省份", "Province"),
    "filter_institutions": ("院校", "Institutions"),
    "filter_institutions_help": ("留空表示全部符合条件的院校", "Leave empty for every matching institution"),
    "filter_period": ("时期（年份）", "Period (year)"),
    "filter_kind": ("实际 / 目标", "Actual / target"),
    "all": ("全部", "All"),
    "reset_filters": ("重置筛选", "Reset filters"),
    "link_hint": ("筛选条件保存在网址中，复制网址即可分享当前视图。", "Filters live in the URL: copy it to share this view."),
    "data_built": ("数据构建于", "Data built"),
    "no_match": ("当前筛选条件下没有院校。", "No institution matches the current filters."),
    "no_figures": ("当前筛选条件下没有数据。", "No figures match the current filters."),
    # presentation mode
    "present_mode": ("演示模式", "Presentation mode"),
    "present_help": (
        "会议投影用：收起侧栏、放大字号、每屏一张图，附结论与来源，可前后翻页。",
        "For projecting in meetings: sidebar collapsed, large type, one chart per screen with its takeaway and sources.",
    ),
    "present_previous": ("上一张", "Previous"),
    "present_next": ("下一张", "Next"),
    "present_exit": ("退出演示", "Exit"),
    "present_nothing": ("本页没有可演示的图表。", "This page has no chart to present."),
    # pages
    "page_overview": ("总览", "Overview"),
    "page_employment": ("就业", "Employment"),
    "page_training": ("培训", "Training"),
    "page_competition": ("竞赛", "Competition awards"),
    "page_party_building": ("党建", "Party building"),
    "page_compare": ("对比", "Compare"),
    "page_profile": ("院校", "Institution profile"),
    "page_data": ("数据", "Data"),
    "page_validate": ("校验", "Validate a file"),
    # validate
    "validate_intro": (
        "上传填好的模板（CSV 或 XLSX），用与入库完全相同的检查规则核对，结果只在本页显示，不会写入数据仓库。",
        "Upload a filled template (CSV or XLSX) to check it with exactly the rules a build uses. Nothing is written to the warehouse.",
    ),
    "validate_table": ("表", "Table"),
    "validate_auto": ("按表头自动判断", "Detect from the header"),
    "validate_upload": ("上传文件（CSV 或 XLSX，不超过 {mb} MB、{rows} 行）", "Upload a file (CSV or XLSX, at most {mb} MB and {rows} rows)"),
    "validate_too_big": ("文件超过 {mb} MB，请拆分后再上传。", "The file is larger than {mb} MB; split it."),
    "validate_too_many": ("文件超过 {rows} 行，请拆分后再上传。", "The file has more than {rows} rows; split it."),
    "validate_unknown_table": ("无法从表头判断是哪张表，请在上方选择。", "Cannot tell the table from the header; choose it above."),
    "validate_detected": ("按表头判断为：{table}", "Detected from the header: {table}"),
    "validate_problems": ("发现 {n} 个问题，未通过检查", "{n} problem(s): the file does not pass"),
    "validate_ok": ("检查通过：以下 {n} 行可以加入 {file}", "The file passes: these {n} rows can be added to {file}"),
    "validate_row": ("行", "Row"),
    "validate_column": ("列", "Column"),
    "validate_reason": ("问题", "Problem"),
    "validate_notes": ("已自动规范化", "Normalised"),
    "validate_nothing_written": ("未写入任何数据。通过检查的行可下载后加入 data/curated/ 并重新构建。", "Nothing was written. Download the rows that pass, add them to data/curated/ and rebuild."),
    "validate_download_rows": ("下载可加入的行（CSV）", "Download the rows that pass (CSV)"),
    "validate_template": ("下载空白模板：{file}", "Blank template: {file}"),
    # warehouse problems
    "wh_missing_title": ("找不到数据仓库", "The data warehouse is missing"),
    "wh_broken_title": ("数据仓库无法读取", "The data warehouse cannot be read"),
    "wh_how_to_build": (
        "请在项目目录中运行以下命令构建数据仓库。构建完成后本页会自动刷新：",
        "Build it by running this in the project folder. This page reloads by itself once it is built:",
    ),
    "wh_path": ("数据仓库路径", "Warehouse path"),
    "wh_detail": ("详细信息", "Details"),
    # generic
    "not_reported": ("未报告", "not reported"),
    "not_reported_long": ("未报告（不等于 0）", "not reported (not zero)"),
    "institution": ("院校", "Institution"),
    "institutions": ("院校数", "Institutions"),
    "sources": ("来源数", "Sources"),
    "figures": ("数据条数", "Figures"),
    "award_rows": ("奖项记录", "Award rows"),
    "indicator": ("指标", "Indicator"),
    "theme": ("主题", "Theme"),
    "period": ("时期", "Period"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "qualifier": ("限定", "Qualifier"),
    "kind": ("类型", "Kind"),
    "source": ("来源", "Source"),
    "evidence": ("原文摘录", "Evidence"),
    "notes": ("备注", "Notes"),
    "definition": ("定义", "Definition"),
    "higher_is_better": ("越高越好", "Higher is better"),
    "comparable": ("可比", "Comparable"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "no_direction": ("无方向", "no direction"),
    "published": ("发布日期", "Published"),
    "unknown_date": ("不详", "unknown"),
    "document": ("原文文件", "Document"),
    "province": ("省份", "Province"),
    "city": ("城市", "City"),
    "type": ("类型", "Type"),
    "also_known_as": ("又名", "Also"),
    "count": ("数量", "Count"),
    "hover_source": ("来源", "Source"),
    "hover_period": ("时期", "Period"),
    "hover_qualifier": ("限定", "Qualifier"),
    "download_png_hint": ("图表右上角工具栏可导出高清 PNG。", "Export a high-resolution PNG from each chart's toolbar."),
    "lower_is_better": ("名次越小越好", "lower is better"),
    "legend_actual": ("实际", "Actual"),
    "legend_target": ("目标", "Target"),
    "marks_legend": (
        "标记：≈ 约数，> 多于，≥ 不少于；斜线填充为目标值；“未报告”不等于 0。",
        "Marks: ≈ approximate, > more than, ≥ at least; hatched bars are targets; \"not reported\" is not zero.",
    ),
    "any_indicator": ("查看本主题的任一指标", "Chart any indicator of this theme"),
    "all_theme_figures": ("本主题全部数据", "Every figure on this theme"),
    "context_figures": ("背景数据", "Context figures"),
    "none_reported": ("所选院校均未报告（不等于 0）：{names}", "Not reported by any selected institution (not zero): {names}"),
    # overview
    "overview_intro": ("数据覆盖范围、各院校主要数字，以及哪些指标已报告。", "What the data hold, each institution's headline figures, and what is reported."),
    "by_type": ("按类型的院校数", "Institutions by type"),
    "by_province": ("按省份的院校数", "Institutions by province"),
    "figures_per_theme": ("各院校各主题数据条数", "Figures per theme and institution"),
    "headline_figures": ("主要数字", "Headline figures"),
    "completeness": ("完整性：院校 × 指标", "Completeness: institution × indicator"),
    "completeness_help": (
        "每格表示该院校是否报告了该指标：确数、约数（含多于/不少于）、仅有目标、未报告。未报告不等于 0。",
        "Each cell says whether the institution reported the indicator: exact, approximate (incl. more than / at least), target only, or not reported. Not reported is not zero.",
    ),
    "status_exact": ("已报告（确数）", "Reported (exact)"),
    "status_approx": ("已报告（约数）", "Reported (approximate)"),
    "status_target": ("仅有目标", "Target only"),
    "status_missing": ("未报告", "Not reported"),
    "theme_select": ("主题", "Theme"),
    # employment
    "employment_intro": (
        "毕业去向落实率与初次就业率口径不同，分别呈现，不可直接比较。",
        "The graduate destination rate and the initial employment rate are measured differently; they are shown apart and must not be compared directly.",
    ),
    "rates": ("就业率（两种口径）", "Employment rates (two measures)"),
    "graduates_jobs": ("毕业生与岗位", "Graduates and jobs"),
    "fairs": ("招聘活动", "Recruitment events"),
    "order_classes": ("订单培养与合作企业就业", "Order classes and partner hiring"),
    "internships": ("实习", "Internships"),
    # training
    "training_intro": (
        "“人次”与“人”是不同口径，分开呈现。",
        "Person-times and persons are different counts and are shown apart.",
    ),
    "social_training": ("社会培训", "Social training"),
    "certification": ("技能认定与鉴定", "Certification and appraisal"),
    "graduate_certificates": ("毕业生职业资格", "Graduates' qualifications"),
    "partnerships": ("校企合作", "Enterprise partnerships"),
    "training_capacity": ("培训基地与收入", "Training bases and revenue"),
    # competition
    "competition_intro": (
        "奖项按颁奖机构的行政级别计（天津为直辖市，市级即省级）。原文给出合计时以合计为准，不重复计算其中的分项。",
        "Awards count at the administrative level of the awarding body (Tianjin is province-level). Where a report gives a total, the total counts and its itemised rows are not counted twice.",
    ),
    "awards_by_level": ("按级别的获奖数（堆叠）", "Awards by level (stacked)"),
    "awards_by_tier": ("按等次的获奖数（堆叠）", "Awards by grade tier (stacked)"),
    "awards_by_recipient": ("按获奖者的获奖数", "Awards by recipient"),
    "award_unit": ("计数单位", "Counted in"),
    "competitions_table": ("赛事列表", "Competitions"),
    "award_score": ("加权获奖得分", "Weighted award score"),
    "award_score_formula": (
        "得分 = Σ 数量 × 级别权重 × 等次权重。合计行替代其同一来源、时期、级别、获奖者下的分项行；“项”与“人次”按原文计数相加。",
        "Score = Σ count × level weight × tier weight. A total replaces the itemised rows of the same source, period, level and recipient; items and person-times are added as the reports give them.",
    ),
    "level_weights": ("级别权重", "Level weights"),
    "tier_weights": ("等次权重", "Tier weights"),
    "tier_mapping": ("等次对应关系", "Grade-to-tier mapping"),
    "grade": ("原文等次", "Grade"),
    "tier": ("等次", "Tier"),
    "score": ("得分", "Score"),
    "level": ("级别", "Level"),
    "recipient": ("获奖者", "Recipient"),
    "competition": ("赛事", "Competition"),
    "is_total": ("合计行", "Total row"),
    "hosting": ("承办赛事", "Events hosted"),
    "reset_weights": ("恢复默认权重", "Restore default weights"),
    # party building
    "party_intro": ("理论学习、宣讲、样板支部、党员发展与组织建设。", "Study, lectures, model branches, member development and organisation."),
    "study_sessions": ("理论学习", "Study sessions"),
    "lectures": ("宣讲与受众", "Lectures and audiences"),
    "model_branches": ("样板支部与标杆院系", "Model branches and benchmark departments"),
    "member_development": ("党员发展", "Member development"),
    "branches": ("组织建设", "Branches and organisation"),
    "ideology": ("意识形态与思政", "Ideology and ideological-political work"),
    # compare
    "compare_intro": ("选择 2 至 6 所院校，逐项并列比较它们共同报告的指标。", "Pick 2 to 6 institutions to set side by side every indicator they share."),
    "compare_pick": ("对比院校（2–6 所）", "Institutions to compare (2–6)"),
    "compare_need_two": ("请至少选择 2 所院校。", "Pick at least 2 institutions."),
    "compare_too_many": ("最多比较 6 所院校。", "Compare at most 6 institutions."),
    "compare_shared": ("共同报告的指标", "Indicators they share"),
    "compare_shared_help": ("至少两所所选院校报告过的指标；每格含数值、时期、限定与来源。", "Indicators reported by at least two of the chosen institutions; each cell gives value, period, qualifier and source."),
    "compare_none_shared": ("所选院校没有共同报告的指标。", "The chosen institutions share no indicator."),
    "compare_normalised": ("标准化对比（仅可比指标）", "Normalised comparison of comparable indicators"),
    "compare_normalised_help": (
        "每个指标以所选院校中的最大值为 1 缩放（越低越好的指标取倒数方向）；仅含定义一致、可比的指标。缺失处留空。",
        "Each indicator is scaled so the largest value among the chosen institutions is 1 (inverted where lower is better); only indicators measured on the same basis are included. Gaps mean not reported.",
    ),
    "scaled_value": ("缩放值（最大 = 1）", "Scaled value (max = 1)"),
    # profile
    "profile_pick": ("选择院校", "Institution"),
    "profile_sources": ("来源文件", "Sources"),
    "profile_figures": ("按主题的全部数据", "Every figure by theme"),
    "profile_awards": ("获奖", "Awards"),
    "profile_no_figures": (
        "该院校的来源未给出可整理的数字，因此所有指标均为“未报告”（不等于 0）。",
        "This institution's sources give no figures to curate, so every indicator is \"not reported\" (which is not zero).",
    ),
    # data
    "data_intro": ("当前筛选条件下的整洁数据表，可进一步筛选并下载。", "The tidy table under the current filters, to filter further and download."),
    "data_table": ("数据表", "Data"),
    "data_theme": ("主题", "Themes"),
    "data_indicator": ("指标", "Indicators"),
    "data_search": ("搜索（指标、院校、摘录）", "Search (indicator, institution, evidence)"),
    "download_csv": ("下载 CSV（Excel / WPS 可直接打开）", "Download CSV (opens in Excel / WPS)"),
    "rows_shown": ("共 {n} 行", "{n} rows"),
    "glossary": ("指标说明", "Indicator glossary"),
    "source_list": ("来源列表", "Sources"),
    "awards_table": ("奖项表", "Awards"),
    "download_awards_csv": ("下载奖项 CSV", "Download awards CSV"),
    # office exports (Excel workbook, PowerPoint deck)
    "xlsx_sheet_data": ("数据", "Data"),
    "xlsx_sheet_indicators": ("指标说明", "Indicators"),
    "xlsx_sheet_sources": ("来源", "Sources"),
    "xlsx_sheet_about": ("说明", "About"),
    "indicator_id": ("指标编号", "Indicator ID"),
    "source_id": ("来源编号", "Source ID"),
    "source_title": ("标题", "Title"),
    "source_kind": ("文件类型", "Document type"),
    "url": ("网址", "URL"),
    "exported_at": ("导出时间", "Exported"),
    "row_count": ("数据行数", "Rows"),
    "xlsx_note_missing": (
        "“未报告”不等于 0：表中没有出现的数字表示来源未报告，而不是数值为 0。",
        "\"Not reported\" is not zero: a figure missing from this workbook was not reported by its source; it is not a zero.",
    ),
    "xlsx_note_marks": (
        "“数值”列为纯数字，便于计算；“数值（含标记）”列带限定标记：≈ 约数，> 多于，≥ 不少于。目标值在“类型”列标为“目标”。",
        "The Value column holds plain numbers for calculation; \"Value (marked)\" carries the marks: ≈ approximate, > more than, ≥ at least. Targets say \"target\" in the Kind column.",
    ),
    "xlsx_note_quote": (
        "以单引号 ' 开头的文字：原文以 =、+、-、@ 等字符开头，为防止被表格软件当作公式执行而加上单引号，其余与原文一致。",
        "Text starting with a single quote ': the original starts with =, +, -, @ or similar, and the quote keeps spreadsheet software from running it as a formula; the rest is verbatim.",
    ),
    "xlsx_note_ids": (
        "英文小写列（institution_id 等）为机器可读编号，便于与其他数据关联。",
        "Lower-case columns (institution_id, …) are machine-readable IDs for joining with other data.",
    ),
    "notes_heading": ("注意事项", "Notes"),
    "deck_institutions": ("对比院校", "Institutions compared"),
    "deck_theme_title": ("{theme}：共同报告的指标", "{theme}: indicators they share"),
    "deck_method": (
        "每项指标按所选院校中最好的数值缩放为 1（越低越好的指标以最小值为 1）；数据标签为原始数值（≈ 约数，> 多于，≥ 不少于）。空缺表示未报告，不等于 0。仅绘制口径一致的可比指标。",
        "Each indicator is scaled so the best value among the chosen institutions is 1 (the smallest where lower is better); labels give the raw figures (≈ approximate, > more than, ≥ at least). A gap means not reported, not zero. Only indicators measured on the same basis are charted.",
    ),
    "deck_leads": ("{name}在{n}项指标上最好（共{total}项）。", "{name} is best on {n} of {total} indicators."),
    "deck_not_charted": ("未绘制（口径不一致，详见数据表）：{names}", "Not charted (measured differently; see the data table): {names}"),
    "deck_none_comparable": (
        "所选院校共同报告的指标口径均不一致，无法缩放对比，请查看对比表。",
        "The indicators they share are all measured differently and cannot be scaled side by side; see the comparison table.",
    ),
    "deck_nothing_title": ("没有可对比的图表", "Nothing to chart"),
}

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "theme": {
        "employment": ("就业", "Employment"),
        "training": ("培训", "Training"),
        "competition": ("竞赛", "Competition"),
        "party_building": ("党建", "Party building"),
        "other": ("背景", "Context"),
    },
    "type": {
        "higher_vocational": ("高职院校", "Higher vocational college"),
        "secondary_vocational": ("中职学校", "Secondary vocational school"),
        "technician_college": ("技师学院", "Technician college"),
        "open_university": ("开放大学", "Open university"),
    },
    "unit": {
        "percent": ("%", "%"),
        "count": ("个", "count"),
        "persons": ("人", "persons"),
        "person_times": ("人次", "person-times"),
        "items": ("项", "items"),
        "times": ("次", "times"),
        "yuan_10k": ("万元", "10k yuan"),
        "yuan": ("元", "yuan"),
        "ratio": ("比值（x:1）", "ratio (x:1)"),
        "points": ("分", "points"),
        "rank": ("名次", "rank"),
        "places": ("名", "places"),
    },
    "qualifier": {
        "exact": ("确数", "exact"),
        "approx": ("约数", "approximate"),
        "more_than": ("多于", "more than"),
        "at_least": ("不少于", "at least"),
    },
    "source_kind": {
        "annual_summary": ("年度/学年总结", "Annual summary"),
        "work_plan": ("工作计划（要点）", "Work plan"),
        "work_report": ("工作报告", "Work report"),
        "article": ("新闻报道", "News article"),
    },
    "kind": {
        "actual": ("实际", "actual"),
        "target": ("目标", "target"),
    },
    "period_type": {
        "calendar_year": ("年", "calendar year"),
        "academic_year": ("学年", "academic year"),
    },
    "level": {
        "international": ("国际级", "International"),
        "national": ("国家级", "National"),
        "provincial": ("省级", "Provincial"),
        "municipal": ("市级", "Municipal"),
        "school": ("校级", "School"),
    },
    "grade": {
        "gold": ("金奖", "Gold"),
        "silver": ("银奖", "Silver"),
        "bronze": ("铜奖", "Bronze"),
        "first": ("一等奖", "First prize"),
        "second": ("二等奖", "Second prize"),
        "third": ("三等奖", "Third prize"),
        "excellent": ("优秀奖", "Excellence award"),
        "other": ("其他 / 未分等次", "Other / ungraded"),
    },
    "tier": {
        "tier1": ("一档（金奖 / 一等奖）", "Tier 1 (gold / first)"),
        "tier2": ("二档（银奖 / 二等奖）", "Tier 2 (silver / second)"),
        "tier3": ("三档（铜奖 / 三等奖）", "Tier 3 (bronze / third)"),
        "excellent": ("优秀奖", "Excellence"),
        "other": ("其他 / 未分等次", "Other / ungraded"),
    },
    "recipient": {
        "student": ("学生", "Students"),
        "teacher": ("教师", "Teachers"),
        "institution": ("学校", "Institution"),
    },
    "award_unit": {
        "items": ("项", "items"),
        "person_times": ("人次", "person-times"),
    },
    "status": {
        "exact": ("已报告（确数）", "Reported (exact)"),
        "approx": ("已报告（约数）", "Reported (approximate)"),
        "target": ("仅有目标", "Target only"),
        "missing": ("未报告", "Not reported"),
    },
}

# The sign put before a value whose qualifier is not exact.
QUALIFIER_MARKS = {"exact": "", "approx": "≈", "more_than": ">", "at_least": "≥"}


def t(key: str, lang: str, **values) -> str:
    """The label for key in lang; values fill {placeholders}."""
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def v(vocabulary: str, value: str, lang: str) -> str:
    """The label of a vocabulary value; an unknown value is shown as itself."""
    pair = VOCAB[vocabulary].get(value)
    if pair is None:
        return str(value)
    return pair[1] if lang == "en" else pair[0]


def name_column(lang: str, base: str = "name") -> str:
    """The data column holding a name in lang (name_zh / name_en)."""
    return f"{base}_en" if lang == "en" else f"{base}_zh"


def period_label(period: int, period_end, period_type: str, lang: str) -> str:
    """2021, 2021学年 / AY 2021–22, 2020–2021."""
    start = int(period)
    try:
        end = int(period_end)
    except (TypeError, ValueError):  # None, NaN or pd.NA: a single-year figure
        end = None
    if period_type == "academic_year":
        if lang == "en":
            text = f"AY {start}–{str(start + 1)[-2:]}"
        else:
            text = f"{start}学年"
        if end and end != start:
            text += f"–{end}" if lang == "en" else f"至{end}学年"
        return text
    if end and end != start:
        return f"{start}–{end}"
    return f"{start}" if lang == "en" else f"{start}年"


def format_value(value: float, unit: str, qualifier: str = "exact", lang: str = "zh", with_unit: bool = True) -> str:
    """96.08%, ≈400人, >1,400人, ≥7:1."""
    mark = QUALIFIER_MARKS.get(qualifier, "")
    number = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if unit == "percent":
        return f"{mark}{number}%"
    if unit == "ratio":
        return f"{mark}{number}:1"
    if not with_unit or (lang == "en" and unit == "count"):
        return f"{mark}{number}"
    label = v("unit", unit, lang)
    return f"{mark}{number}{label}" if lang == "zh" else f"{mark}{number} {label}"
