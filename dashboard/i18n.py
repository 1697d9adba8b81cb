"""Every label the user sees, in Chinese (the default) and English, in one place."""
from __future__ import annotations

import pandas as pd

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
    "loading": ("正在加载…", "Loading…"),
    "compare_default_like": (
        "默认对比{a}与{b}：在 {n} 所院校的两两组合中，二者同期、同口径共同报告的指标最多（{like} 项）。",
        "Compared by default: {a} and {b}, the pair of the {n} colleges that report the most indicators like for like ({like}).",
    ),
    "compare_default_shared": (
        "{n} 所院校中没有任何两所有同期、同口径的共同指标；默认对比共同报告指标最多的{a}与{b}（{shared} 项，时期或口径不同，见下方说明）。",
        "No two of the {n} colleges report an indicator like for like; compared by default: {a} and {b}, who report the most "
        "indicators in common ({shared}, of other periods or bases, listed below).",
    ),
    "compare_default_none": (
        "{n} 所院校中没有任何两所报告过相同指标；默认显示前两所：{a}、{b}。",
        "No two of the {n} colleges report the same indicator; showing the first two: {a} and {b}.",
    ),
    "search_institutions": ("查找院校", "Find an institution"),
    "search_institutions_placeholder": ("输入名称或代码，在 {n} 所中查找", "Type a name or id to search {n}"),
    "search_no_match": ("没有名称或代码包含该词的院校。", "No institution's name or id contains that."),
    "no_match": ("当前筛选条件下没有院校。", "No institution matches the current filters."),
    "no_figures": ("当前筛选条件下没有数据。", "No figures match the current filters."),
    # access control (off unless configured in .streamlit/secrets.toml)
    "access_title": ("请登录", "Please sign in"),
    "access_intro": ("本看板仅限授权人员访问。", "This dashboard is for authorised staff only."),
    "access_password": ("访问密码", "Password"),
    "access_submit": ("进入", "Enter"),
    "access_wrong": ("密码不正确。", "Wrong password."),
    "access_locked": ("尝试次数过多，请 {seconds} 秒后再试。", "Too many attempts; try again in {seconds} s."),
    "access_login_oidc": ("使用单位账号登录", "Sign in with your organisation account"),
    "access_signed_in": ("已登录：{who}", "Signed in: {who}"),
    "access_logout": ("退出登录", "Sign out"),
    "access_not_allowed": ("账号 {who} 无权访问本看板，请联系管理员。", "The account {who} may not use this dashboard; ask the administrator."),
    "access_misconfigured": (
        "访问控制配置有误（{detail}），已拒绝所有访问。请管理员检查 .streamlit/secrets.toml。",
        "Access control is misconfigured ({detail}); every visit is refused. The administrator should check .streamlit/secrets.toml.",
    ),
    # presentation mode
    "present_mode": ("演示模式", "Presentation mode"),
    "present_help": (
        "会议投影用：收起侧栏、放大字号、每屏一张图，附结论与来源，可前后翻页。",
        "For projecting in meetings: sidebar collapsed, large type, one chart per screen with its takeaway and sources.",
    ),
    "present_previous": ("上一张", "Previous"),
    "headline_national_competitions": ("国家级及以上竞赛获奖", "National+ competition awards"),
    "present_next": ("下一张", "Next"),
    "present_exit": ("退出演示", "Exit"),
    "present_nothing": ("本页没有可演示的图表。", "This page has no chart to present."),
    "present_choose": ("选择图表（{k}/{n}）", "Charts ({k}/{n})"),
    "present_choose_help": (
        "勾选要放映的图表。只有一所院校数字的图表默认不放映。键盘 ← → 、PageUp / PageDown、空格翻页（翻页笔亦可）。",
        "Tick the charts to show. Charts with a single college's figure are left out by default. Page with ← →, PageUp / PageDown or space (a presenter's clicker works too).",
    ),
    "present_near_empty": ("（仅一所院校的数字）", " (one college's figure only)"),
    "present_none_chosen": (
        "没有选中的图表：本页的图表都只有一所院校的数字，默认不放映。可在“选择图表”中勾选。",
        "No chart chosen: every chart on this page holds a single college's figure and is left out by default. Tick them under Charts.",
    ),
    # pages
    "page_overview": ("总览", "Overview"),
    "page_employment": ("就业", "Employment"),
    "page_training": ("培训", "Training"),
    "page_competition": ("竞赛", "Competition awards"),
    "page_party_building": ("党建", "Party building"),
    "page_compare": ("对比", "Compare"),
    "page_profile": ("院校档案", "Institution profile"),
    "page_data": ("数据", "Data"),
    "page_validate": ("校验", "Validate a file"),
    "page_curate": ("整理", "Curate"),
    # curate
    "curate_intro": (
        "从院校报告中找出数字：上传报告，逐条核对候选数据，检查后下载，加入 data/curated/。每一行仍由整理人员决定，并引用原文。",
        "Find the figures in a college's report: upload it, review each candidate, check and download the rows for data/curated/. A person still decides every row, and every row quotes its document.",
    ),
    "curate_from": ("报告来源", "Report"),
    "curate_from_upload": ("上传报告", "Upload a report"),
    "curate_from_shared": ("共享报告目录", "Shared reports folder"),
    "curate_upload": ("上传报告（.txt、.docx 或带文字层的 .pdf，不超过 {mb} MB）", "Upload a report (.txt, .docx or a .pdf with a text layer, at most {mb} MB)"),
    "curate_pick": ("选择报告", "Report"),
    "curate_too_big": ("文件超过 {mb} MB。", "The file is larger than {mb} MB."),
    "curate_institution": ("院校", "Institution"),
    "curate_new_institution": ("新院校（不在数据库中）", "New institution (not in the warehouse)"),
    "curate_institution_id": ("院校标识（英文小写，如 jiaxing_vtc）", "Institution id (lowercase, e.g. jiaxing_vtc)"),
    "curate_name_zh": ("中文名称", "Name in Chinese"),
    "curate_name_en": ("英文名称", "Name in English"),
    "curate_type": ("院校类型", "Type"),
    "curate_province": ("省份（中文 / 英文）", "Province (Chinese / English)"),
    "curate_city": ("城市（中文 / 英文）", "City (Chinese / English)"),
    "curate_source_id": ("来源标识（如 jiaxing_2022_report）", "Source id (e.g. jiaxing_2022_report)"),
    "curate_new_source": ("新来源：请补充标题、类型和时期", "New source: give its title, kind and period"),
    "curate_title": ("报告标题", "Title"),
    "curate_kind": ("来源类型", "Kind of source"),
    "curate_period_label": ("覆盖时期（如 2021年度）", "Period covered (e.g. 2021)"),
    "curate_period": ("报告年份（标题未写明时填写）", "Report year (when the title does not say)"),
    "curate_period_type": ("时期类型", "Period type"),
    "curate_auto": ("从标题判断", "From the title"),
    "curate_need_ids": ("请填写院校标识和来源标识（英文小写字母、数字、_ 或 -）。", "Give the institution id and the source id (lowercase letters, digits, _ or -)."),
    "curate_found": ("找到 {obs} 个数据候选、{awards} 个奖项候选（时期：{period}）。", "Found {obs} figure candidates and {awards} award candidates (period: {period})."),
    "curate_text": ("报告原文（候选数字已标出：橙色为数据 O，蓝色为奖项 A）", "The report (candidates marked: orange for figures O, blue for awards A)"),
    "curate_line": ("第 {line} 行", "Line {line}"),
    "curate_review_obs": ("数据候选", "Figure candidates"),
    "curate_review_awards": ("奖项候选", "Award candidates"),
    "curate_accept": ("采用", "Accept"),
    "curate_accept_all": ("采用有指标的候选", "Accept candidates with an indicator"),
    "curate_accept_none": ("全部不采用", "Reject all"),
    "curate_suggestions": ("建议指标（前三）", "Suggested indicators (top 3)"),
    "curate_confidence": ("置信度", "Confidence"),
    "curate_new_indicator": ("提议新指标", "Propose a new indicator"),
    "curate_indicator_id": ("指标标识（如 pb_new_branches）", "Indicator id (e.g. pb_new_branches)"),
    "curate_theme": ("主题", "Theme"),
    "curate_unit": ("单位", "Unit"),
    "curate_definition_zh": ("定义（中文）", "Definition (Chinese)"),
    "curate_definition_en": ("定义（英文）", "Definition (English)"),
    "curate_add_indicator": ("加入指标目录", "Add to the catalogue"),
    "curate_indicator_added": ("已加入：{id}（随下载一起导出到 indicators.csv）", "Added: {id} (exported to indicators.csv with the download)"),
    "curate_check": ("检查已采用的行", "Check the accepted rows"),
    "curate_nothing_accepted": ("尚未采用任何行。", "No row is accepted yet."),
    "curate_problems": ("发现 {n} 个问题，请在表中修改后重新检查", "{n} problem(s): edit the rows above and check again"),
    "curate_ok": ("检查通过：{obs} 条数据、{awards} 个奖项可加入 data/curated/", "The rows pass: {obs} figures and {awards} awards can be added to data/curated/"),
    "curate_file": ("文件", "File"),
    "curate_download_zip": ("下载 CSV（zip）", "Download CSVs (zip)"),
    "curate_download_xlsx": ("下载 Excel 工作簿", "Download an Excel workbook"),
    "curate_nothing_written": ("服务器上没有写入任何内容。下载的文件按表追加到 data/curated/ 对应的 CSV 后运行 make check。", "Nothing was written on the server. Append the downloaded rows to the matching CSVs in data/curated/ and run make check."),
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
    "validate_problems": ("{file}：发现 {n} 个问题，未通过检查", "{file}: {n} problem(s), the file does not pass"),
    "validate_internal_error": ("读取或检查文件时出现内部错误（{error}），未写入任何数据。请连同文件一起报告。",
                                "An internal error occurred while reading or checking the file ({error}); nothing was written. Please report it with the file."),
    "validate_ok": ("检查通过：以下 {n} 行可以加入 {file}", "The file passes: these {n} rows can be added to {file}"),
    "validate_row": ("行", "Row"),
    "validate_column": ("列", "Column"),
    "validate_reason": ("问题", "Problem"),
    "validate_notes": ("读取说明", "What was read"),
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
    "award_items": ("竞赛获奖（项）", "Competition awards (items)"),
    "award_items_help": (
        "竞赛获奖项数，与“竞赛”页计法相同：报告的合计与其中已列明的分项不重复计；荣誉、科研与成果奖不计。"
        "按人次报告的另有 {person_times} 人次，不与项数相加。奖项记录共 {rows} 行。",
        "Competition awards in items, counted as on the Competition page: a report's total and the items it "
        "lists are not both counted; honours and research or product prizes are not included. Awards reported "
        "in person-times add {person_times} person-times, never added to items. {rows} award rows in all.",
    ),
    "indicator": ("指标", "Indicator"),
    "theme": ("主题", "Theme"),
    "period": ("时期", "Period"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "qualifier": ("数值性质", "Qualifier"),
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
    "hover_qualifier": ("数值性质", "Qualifier"),
    "download_png_hint": ("图表右上角工具栏可导出高清 PNG。", "Export a high-resolution PNG from each chart's toolbar."),
    "lower_is_better": ("名次越小越好", "lower is better"),
    "legend_actual": ("实际", "Actual"),
    "legend_target": ("目标", "Target"),
    "rank_text": ("第{n}名", "rank {n}"),
    "rank_axis": ("名次（第 1 名在右）", "Rank (1st on the right)"),
    "matrix_takeaway": ("{rows} 项指标 × {colleges} 所院校；底色深浅表示同期同口径数字的相对大小。",
                        "{rows} indicators × {colleges} colleges; the shade is a figure's size within its like-for-like set."),
    "grid_takeaway": ("{n} 项指标的分布；竖线为所选院校，虚线为中位数。", "{n} indicators' distributions; solid lines mark the chosen colleges, dashed the median."),
    "theme_overview": ("总体情况", "Overview"),
    "theme_overview_help": (
        "两所及以上院校报告的指标，一行一项。底色深浅只表示同期、同口径数字的相对大小（名次以第 1 名为最深），不表示好坏；"
        "灰底标 ⚠ 的数字时期或口径不同，注明其时期与原因，不参与比较；“—”为未报告（不等于 0）。",
        "Indicators two or more colleges report, one per row. The shade only shows a figure's size among figures of the same "
        "period and basis (for a rank, 1st is darkest), not merit; grey cells marked ⚠ are of another period or basis, with "
        "their period and why, and are not compared; — is not reported (not zero).",
    ),
    "theme_overview_none": (
        "所选院校没有两所及以上共同报告的{theme}指标，各校单独报告的数字见下表。",
        "No {theme} indicator is reported by two or more of the chosen colleges; each college's own figures are in the table below.",
    ),
    "single_reporter": ("仅一所院校报告的指标", "Indicators only one college reports"),
    "single_reporter_help": ("只有一所院校报告，无从比较，列表而不作图。", "Reported by one college only: nothing to compare, so listed rather than charted."),
    "indicator_detail": ("指标详情", "One indicator in detail"),
    "indicator_detail_pick": ("选择指标", "Indicator"),
    "indicator_detail_single": ("该指标只有一所院校报告，见上表。", "Only one college reports this indicator: see the table above."),
    "indicator_detail_none": ("没有可单独查看的指标。", "No indicator to look at."),
    "trend_small": ("历年变化", "Over the years"),
    "dist_overview": ("各指标分布一览", "Every indicator's distribution"),
    "dist_overview_help": (
        "每个小图为一项指标在当前范围内各院校最新实际数字的分布（同期同口径），竖线为所选院校，虚线为中位数。下方可选一项指标查看坐标轴、排名与历年变化。",
        "Each panel is one indicator: the latest actual figures of the colleges in range (like for like), solid lines the chosen colleges, "
        "dashed the median. Pick one below for its axis, ranks and years.",
    ),
    "marks_legend": (
        "标记：≈ 约数，> 多于，≥ 不少于；斜线填充为目标值；“未报告”不等于 0。",
        "Marks: ≈ approximate, > more than, ≥ at least; hatched bars are targets; \"not reported\" is not zero.",
    ),
    "any_indicator": ("查看本主题的任一指标", "Chart any indicator of this theme"),
    "all_theme_figures": ("本主题全部数据", "Every figure on this theme"),
    "context_figures": ("基本情况", "Context figures"),
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
        "只计竞赛获奖；荣誉称号与成果奖见各校概况。奖项按颁奖机构的行政级别计（天津为直辖市，市级即省级）。原文给出合计时以合计为准：合计所含的分项（同一院校、类别、获奖者、计数单位，级别与年份在合计范围内）不重复计算；“省部级以上”等合计按其最低级别计权重。",
        "Competition awards only; honours and achievement prizes are on each profile. Awards count at the administrative level of the awarding body (Tianjin is province-level). Where a report gives a total, the total counts: the itemised rows inside it (same institution, category, recipient and unit, with level and years within the total's) are not counted twice, and a total such as 'provincial or higher' is weighted at its lowest level.",
    ),
    "awards_by_level": ("按级别的获奖数（堆叠）", "Awards by level (stacked)"),
    "awards_by_tier": ("按等次的获奖数（堆叠）", "Awards by grade tier (stacked)"),
    "awards_by_recipient": ("按获奖者的获奖数", "Awards by recipient"),
    "award_unit": ("计数单位", "Counted in"),
    "competitions_table": ("赛事列表", "Competitions"),
    "award_score": ("加权获奖得分", "Weighted award score"),
    "award_score_formula": (
        "得分 = Σ 数量 × 级别权重 × 等次权重 × 获奖者权重，只计竞赛（荣誉称号、科研与教学成果奖、行业产品奖列在各校概况页），只计所选计数单位（{unit}）：“项”与“人次”口径不同，不相加。合计行包含的分项不重复计算：分项按各自级别、等次计入，合计只计其余部分。",
        "Score = Σ count × level weight × tier weight × recipient weight, over competitions only (honours, research and teaching-achievement prizes and product awards are listed on each profile) and over the chosen unit ({unit}) only: items and person-times measure different things and are never added. Items inside a total are not counted twice: they count at their own level and grade, and the total adds only the rest.",
    ),
    "standard_coverage": ("国家标准指标的报告情况", "Coverage of the national standard indicators"),
    "standard_coverage_help": (
        "每格：该校报告了多少个国家标准指标 / 该表的标准指标总数（高等职业教育质量年度报告各表、毕业去向落实率、非学历培训到账经费）。只计实际数字；指标与标准的对应见数据说明。",
        "Each cell: how many national standard indicators the college reports / how many the set holds (the annual quality-report tables, the graduate destination rate, non-degree training income). Actual figures only; the mapping of indicators to standards is in the data guide.",
    ),
    "standard_none": ("尚未载入国家标准指标目录。", "No national standard indicators are loaded."),
    "category": ("类别", "Category"),
    "or_higher": ("及以上", " or higher"),
    "profile_competitions": ("竞赛获奖", "Competition awards"),
    "profile_honours": ("荣誉称号与成果奖（不计入竞赛得分）", "Honours and achievement prizes (not in the competition score)"),
    "profile_conflicts": (
        "原文前后矛盾：{n} 条数字与报告中的其他说法不一致，见“原文矛盾”列；两种说法都保留，不擅自取舍。",
        "The report contradicts itself: {n} figure(s) disagree with another statement in it; see the conflict column. Both are kept; neither is picked silently.",
    ),
    "recipient_weights": ("获奖者权重", "Recipient weights"),
    "weight_preset": ("权重方案", "Weight set"),
    "weight_preset_default": ("默认（级别 × 等次）", "Default (level × tier)"),
    "weight_preset_provincial_style": (
        "省级奖补常用比例（国家级一等奖 400%、二等奖 300%、三等奖 200%，省级一等奖 100%；其余按同比例推及，教师 ×1.5）",
        "Provincial subsidy style (national first 400%, second 300%, third 200%, provincial first 100%; other cells by the same proportions; teachers ×1.5)",
    ),
    "weight_preset_equal": ("不加权（每项计 1）", "Unweighted (each award counts 1)"),
    "weights_used": ("所用权重——", "Weights used — "),
    "competitions_only": (
        "仅列竞赛获奖。荣誉称号、科研与教学成果奖、行业产品奖不计入竞赛，列在各校“院校概况”页。",
        "Competition awards only. Honours, research and teaching-achievement prizes and product awards are not competitions; they are listed on each institution's profile.",
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
    "compare_shared_help": (
        "至少两所所选院校在同一时期、同一统计口径下报告的指标；“比较口径（时期）”列说明比较的是哪一期。每格含数值、数值性质与来源。标 ⚠ 的数字时期或口径不同，仅供参考，并注明差别。",
        "Indicators at least two of the chosen colleges report for the same period on the same basis; the 'Compared in' column says which. Each cell gives value, qualifier and source. A figure marked ⚠ is of another period or basis, shown for reference with what differs.",
    ),
    "compare_none_shared": ("所选院校没有同期、同口径的共同指标。", "The chosen colleges share no indicator for the same period on the same basis."),
    "compare_normalised": ("标准化对比（仅可比指标）", "Normalised comparison of comparable indicators"),
    "compare_normalised_help": (
        "每个指标以图中最大值为 1 缩放（越低越好的指标取倒数方向）；仅含定义一致、可比、统计口径与时点相同的指标，行名括号内是比较的时期。其他时期的数字在条上注明时期，不计入“领先”。人次、人数等规模计数的差异部分反映院校规模。缺失处留空。",
        "Each indicator is scaled so the largest value drawn is 1 (inverted where lower is better); only indicators defined alike and measured on the same basis and date are included, and each row names the period compared. A figure of another period carries its period on its bar and never counts as a lead. Counts such as person-times partly reflect a college's size. Gaps mean not reported.",
    ),
    "scaled_value": ("缩放值（最大 = 1）", "Scaled value (max = 1)"),
    "dist_other_period": (
        "{n} 所院校的最新数字属于其他时期或统计口径，未计入本分布",
        "{n} colleges' latest figures are of another period or basis and are left out of this distribution",
    ),
    "leads_like_for_like": (
        "{name}在{n}项同期、同口径的可比指标上领先（共{total}项）；其他时期的数字不计入。",
        "{name} leads on {n} of {total} indicators compared like for like (same period and basis); figures of other periods are not counted.",
    ),
    "no_like_for_like_lead": (
        "没有同期、同口径且有优劣方向的可比指标，因此不评谁领先；其他时期的数字仅供参考。",
        "No indicator is compared like for like with a better direction, so no one is said to lead; figures of other periods are for reference only.",
    ),
    "compare_period": ("比较时期", "Period to compare"),
    "compare_period_auto": ("各指标取所选院校共同报告的最近时期", "Each indicator in the latest period the chosen colleges share"),
    "compare_period_year": ("截至 {year} 年的数字", "Figures ending in {year}"),
    "compared_in": ("比较口径（时期）", "Compared in"),
    "compare_not_compared": ("未能同口径比较的指标", "Indicators not compared like for like"),
    "compare_not_compared_help": (
        "两所及以上所选院校报告了这些指标，但时期、统计口径或统计时点不同，或指标本身不宜跨校比较，因此不放入上面的比较。",
        "Two or more of the chosen colleges report these, but for different periods, on a different basis or measurement date, or the indicator cannot be compared between colleges; so they stay out of the comparison above.",
    ),
    "why_not_compared": ("原因", "Why not"),
    "figures_each": ("各校数字", "Figures"),
    "left_out_other_period": ("时期不同", "another period"),
    "left_out_other_period_type": ("自然年与学年不同", "calendar vs academic year"),
    "left_out_other_basis": ("统计口径不同（当期/时点/累计）", "another basis (flow, stock, cumulative)"),
    "left_out_other_date": ("统计时点不同", "another measurement date"),
    "left_out_other_kind": ("目标与实际不同", "target vs actual"),
    "left_out_only_one": ("仅一所院校", "only one college"),
    "left_out_not_comparable": ("指标口径因校而异，不宜跨校比较", "measured differently by each college; not comparable"),
    "basis": ("统计口径", "Basis"),
    "as_of": ("统计时点", "Measured on"),
    "since": ("起算年份", "Counted since"),
    "derivation": ("推算方式", "Derived by"),
    "conflict": ("原文矛盾", "Conflict in the report"),
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
    "data_intro": ("当前筛选条件下的数据明细，每行一个数字，可进一步筛选、排序并下载。", "The tidy table under the current filters, to filter further and download."),
    "data_table": ("数据表", "Data"),
    "data_theme": ("主题", "Themes"),
    "data_indicator": ("指标", "Indicators"),
    "data_search": ("搜索（指标、院校、摘录）", "Search (indicator, institution, evidence)"),
    "download_csv": ("下载 CSV（Excel / WPS 可直接打开）", "Download CSV (opens in Excel / WPS)"),
    "download_xlsx": ("下载 Excel 工作簿", "Download Excel workbook"),
    "download_xlsx_help": (
        "上表筛选（含本页的主题、指标和搜索）下的全部行，另附指标说明、来源和导出说明三张工作表。",
        "Every row the table above matches (after this page's theme, indicator and search filters), plus sheets of indicator definitions, sources and export notes.",
    ),
    "file_data": ("数据", "data"),
    "xlsx_title": ("VocDash 数据导出（{span}）", "VocDash data export ({span})"),
    "rows_shown": ("共 {n} 行", "{n} rows"),
    "rows_page": ("共 {n} 行符合条件，显示第 {first}–{last} 行。", "{n} rows match; showing rows {first}–{last}."),
    "data_sort": ("排序", "Sort by"),
    "data_sort_default": ("主题、指标、地区", "Theme, indicator, place"),
    "data_sort_value": ("数值", "Value"),
    "data_sort_institution": ("院校（按地区、拼音）", "Institution (by place)"),
    "data_sort_period": ("时期", "Period"),
    "data_descending": ("从大到小", "Largest first"),
    "data_page": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "glossary": ("指标说明", "Indicator glossary"),
    "source_list": ("来源列表", "Sources"),
    "awards_table": ("奖项表", "Awards"),
    "download_awards_csv": ("下载奖项 CSV", "Download awards CSV"),
    # national scale: distributions, peers, trends
    "median": ("中位数", "median"),
    "peer_median": ("同类型院校中位数", "Median of its type"),
    "profile_trends": ("历年变化", "Over the years"),
    "profile_trends_help": (
        "有两个及以上时期数字的指标：本校（实线）与全国同类型院校同期、同口径数字的中位数（虚线，括号内为院校数）；名次以第 1 名在上。",
        "Indicators with figures in two or more periods: this college (solid) against the median of colleges of its type "
        "reporting the same period and basis (dashed; how many in brackets); for a rank, 1st is at the top.",
    ),
    "profile_trends_none": ("本校的数字都只有一个时期，无历年变化可画。", "Each of this college's figures is of one period only: no change over the years to draw."),
    "profile_trends_takeaway": ("{n} 项指标的历年变化与同类型院校中位数。", "{n} indicators over the years against the median of the college's type."),
    "dist_latest": ("各院校最新实际值", "latest actual per institution"),
    "dist_summary": ("{n} 所院校计入，中位数 {median}，四分位 {q1}–{q3}", "{n} institutions counted, median {median}, quartiles {q1}–{q3}"),
    "dist_approx": ("其中约数（≈）{n} 所", "{n} of them approximate (≈)"),
    "dist_bounds": ("{n} 所最新值为下限（>、≥），未计入", "{n} lower bounds (>, ≥) left out"),
    "dist_targets": ("{n} 所仅有目标值，未计入", "{n} with targets only left out"),
    "dist_academic": ("{n} 所为学年数据", "{n} academic-year figures"),
    "dist_mode": (
        "当前范围内共 {n} 所院校（多于 {limit} 所），每项指标显示分布，而不是逐校条形图。",
        "{n} institutions are in scope (more than {limit}), so each indicator shows its distribution rather than a bar per institution.",
    ),
    "dist_rules": (
        "计入规则：每所院校取所选时期内最新的实际值；确数与约数（≈）计入，约数个数在图下注明；下限值（>、≥）位置不确定，不计入分布、排名和百分位，另行计数；目标值从不计入。"
        "横轴为数值区间，纵轴为院校数；偏态明显的指标（非百分比、最大值远超最小值）用对数刻度；高于第 99 百分位的少数院校合为最右一栏。",
        "What counts: each institution's latest actual figure in the period. Exact and approximate (≈) values count, and the approximate ones are counted under each chart; "
        "lower bounds (>, ≥) have no known place, so they are left out of distributions, ranks and percentiles and counted apart; targets never count. "
        "Bars give how many institutions fall in each value range; skewed indicators (not percentages, highest far above lowest) use a log scale; the few above the 99th percentile share the last bar.",
    ),
    "dist_rules_title": ("计入规则与百分位算法", "What counts, and how percentiles are computed"),
    "mark_placeholder": ("输入院校名称搜索", "Type a name to search"),
    "dist_actuals_only": ("分布只用实际值；当前筛选只含目标值。", "Distributions use actual figures; the filter shows targets only."),
    "mark_pick": ("在分布上标记院校（可输入名称搜索）", "Mark institutions on the distributions (type to search)"),
    "mark_help": ("最多 {n} 所；在侧栏选择院校也会标记在分布上。", "At most {n}; institutions picked in the sidebar are marked too."),
    "marked_from_sidebar": ("标记的院校：侧栏所选院校。", "Marked: the institutions picked in the sidebar."),
    "marked_first": ("分布上只标记前 {n} 所。", "Only the first {n} are marked on the distributions."),
    "peer_group": ("对照组", "Peer group"),
    "peer_type": ("同类型（全国）", "Same type (nationwide)"),
    "peer_province": ("同省份（所有类型）", "Same province (all types)"),
    "peer_type_province": ("同类型且同省份", "Same type and province"),
    "peer_field": ("当前筛选范围", "Institutions in the current filters"),
    "peer_custom": ("自选院校", "A list I pick"),
    "peer_custom_pick": ("自选对照院校", "Peer institutions"),
    "peer_positions": ("所标记院校在对照组中的位置", "Where the marked institutions stand among their peers"),
    "peer_method": (
        "百分位 = 100 ×（组内比该校差的院校数 + ½ × 与该校数值相同的院校数，含该校）÷ n，n 为对照组中有可计入数值（确数或约数）的院校数（含该校）；并列院校百分位相同。"
        "越高越好的指标数值大为好，越低越好的指标数值小为好；未规定方向的指标只给出按数值由小到大的位置，不称好坏、不给名次。名次 1 为最好，并列同名次。"
        "表头括号内为对照组院校总数；“第 r / n 名”中的 n 只计其中有可计入数值的院校。",
        "Percentile = 100 × (peers worse than it + ½ × peers with the same value, itself included) ÷ n, where n counts the peers with a counted value (exact or ≈), itself included; tied institutions share a percentile. "
        "Where higher is better a larger value is better, where lower is better a smaller one; an indicator with no stated direction gets only its position by value, smallest first, and is not called better or worse, nor ranked. Rank 1 is best; ties share a rank. "
        "The header gives the peer group's size; the n in \"rank r of n\" counts only those with a counted value.",
    ),
    "peer_n": ("对照组院校数", "Institutions in peer group"),
    "top_n": ("前后名单各列 N 所", "N in the top and bottom lists"),
    "top_list": ("前 {n} 名", "Top {n}"),
    "bottom_list": ("后 {n} 名", "Bottom {n}"),
    "highest_list": ("数值最高 {n} 所", "Highest {n}"),
    "lowest_list": ("数值最低 {n} 所", "Lowest {n}"),
    "rank": ("名次", "Rank"),
    "trend": ("历年趋势", "Over the years"),
    "trend_title": ("{name}：历年（{unit}，自然年与学年分开绘制）", "{name} over the years ({unit}; calendar and academic years drawn apart)"),
    "period_start": ("时期起始年（学年按起始年）", "Year the period starts (academic years at their first year)"),
    "rows_first": ("共 {n} 行，显示前 {shown} 行；请用上方筛选缩小范围。", "{n} rows; showing the first {shown}. Narrow them with the filters above."),
    "download_all_rows": ("下载包含全部 {n} 行。", "The download holds all {n} rows."),
    "download_all_rows_csv": ("CSV 包含全部 {n} 行。", "The CSV holds all {n} rows."),
    "download_capped": ("CSV 包含前 {cap} 行（上限）；更多请缩小筛选范围。", "The CSV holds the first {cap} rows (the cap); narrow the filters for the rest."),
    "download_xlsx_capped": ("Excel 工作簿包含前 {cap} 行（上限）。", "The Excel workbook holds the first {cap} rows (its cap)."),
    "figures_by_type": ("按院校类型：平均每所院校各主题数据条数", "By institution type: figures per institution and theme"),
    "per_institution": ("平均每所院校", "Per institution"),
    "grouped_note": ("院校较多（{n} 所），以下按院校类型汇总，而不是逐校显示。", "{n} institutions: shown by institution type rather than one bar each."),
    "headline_summary_help": ("每项指标：报告院校数与各院校最新实际值的中位数和四分位（计入规则见各主题页）。", "Per indicator: institutions reporting and the median and quartiles of their latest actual figures (what counts: see the theme pages)."),
    "reporting": ("报告院校数", "Institutions reporting"),
    "quartiles": ("四分位（P25–P75）", "Quartiles (P25–P75)"),
    "range": ("最小–最大", "Min–max"),
    "awards_by_type": ("平均每所院校获奖数，{what}（{unit}，{span}）", "Awards per institution, {what} ({unit}, {span})"),
    "by_level": ("按级别", "by level"),
    "by_tier": ("按等次", "by grade tier"),
    "by_recipient": ("按获奖者", "by recipient"),
    "score_distribution": ("加权获奖得分分布（{unit}，{span}）", "Weighted award score: distribution ({unit}, {span})"),
    "score_no_awards": ("{n} 所院校无获奖记录，不计入（不等于 0 分）。", "{n} institutions have no award rows and are left out (not a score of 0)."),
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
        "“数值”列为纯数字，便于计算；“数值（含标记）”列带数值性质标记：≈ 约数，> 多于，≥ 不少于。目标值在“类型”列标为“目标”。",
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
    "notes_original": ("备注", "Notes (original language: Chinese)"),
    "evidence_original": ("原文摘录", "Evidence (verbatim, Chinese)"),
    "xlsx_note_original": (
        "“原文摘录”照录报告原文；“备注”为整理人员所写。",
        "Evidence quotes the source reports word for word and Notes are the curators' own: both stay in the original language (Chinese), so nothing is lost in translation.",
    ),
    "xlsx_note_print": (
        "打印：各表为 A4 横向、按页宽缩放，每页重复表头；右侧机器编号列不打印；本说明页为 A4 纵向一页。",
        "Printing: each sheet is A4 landscape, scaled to the page width, with the header row on every page; the machine-readable ID columns on the right are not printed; this About sheet is one A4 portrait page.",
    ),
    "deck_institutions": ("对比院校", "Institutions compared"),
    # Not "同期、同口径": an indicator no two colleges report for one period is still drawn,
    # each bar naming its own period, so the title claims only what holds for every chart.
    "deck_theme_title": ("{theme}：可比指标", "{theme}: comparable indicators"),
    "deck_method": (
        "每项指标一张小图，只画报告了该指标的院校；条上的数字为原始数值（≈ 约数，> 多于，≥ 不少于，目标值标“目标”），与比较时期不同的数字注明其时期。未报告的院校不画，不等于 0。名次（越小越好）画作点，第 1 名在上。",
        "One small chart per indicator, holding only the colleges that report it; each bar carries the raw figure (≈ approximate, > more than, ≥ at least; targets say so), and a figure of another period than the one compared names its period. A college that did not report is left out, never drawn as 0. Ranks (smaller is better) are dots with 1st at the top.",
    ),
    "deck_leads": (
        "{name}在本页{total}项同期、同口径且有优劣方向的指标中领先{n}项。",
        "{name} leads on {n} of the {total} indicators on this slide compared like for like with a better direction.",
    ),
    "deck_no_lead": (
        "本页指标没有同期、同口径且有优劣方向的比较，不评谁领先。",
        "No indicator on this slide is compared like for like with a better direction, so no one is said to lead.",
    ),
    "deck_not_charted": ("未绘制（口径不一致，详见数据表）：{names}", "Not charted (measured differently; see the data table): {names}"),
    "deck_none_comparable": (
        "所选院校共同报告的指标口径均不一致，无法缩放对比，请查看对比表。",
        "The indicators they share are all measured differently and cannot be scaled side by side; see the comparison table.",
    ),
    "deck_caption": (
        "条上为原始数值（≈ 约数，> 多于，≥ 不少于）；未报告的院校不画，不等于 0；时期不同的数字在条上注明。来源见第 {page} 页。",
        "Bars carry the raw figures (≈ approximate, > more than, ≥ at least); a college that did not report is left out, not drawn as 0; a figure of another period says so. Sources: slide {page}.",
    ),
    "deck_agenda_title": ("内容", "Contents"),
    "deck_agenda_theme": ("{theme}：第 {pages} 页，{n} 项指标", "{theme}: slides {pages}, {n} indicators"),
    "deck_agenda_none": ("{theme}：无图表页。{why}", "{theme}: no chart slide. {why}"),
    "deck_agenda_apart": ("未能同口径比较的指标及原因：第 {page} 页（{n} 项）", "Indicators not compared like for like, and why: slide {page} ({n})"),
    "deck_agenda_sources": ("来源：第 {page} 页", "Sources: slide {page}"),
    "deck_theme_none": ("所选院校均未报告本主题的指标。", "None of the chosen colleges reports an indicator of this theme."),
    "deck_theme_single": ("本主题每项指标都只有一所所选院校报告，无从对比。", "Each indicator of this theme is reported by one chosen college only: nothing to compare."),
    "deck_theme_not_like": (
        "两所及以上院校报告的指标时期、统计口径不同，或不宜跨校比较，列于“未能同口径比较的指标”页。",
        "The indicators two or more colleges report are of different periods or bases, or not comparable between colleges; they are listed with why on the slide of indicators not compared.",
    ),
    "deck_no_figure": ("（本演示中没有其同期、同口径的可比数字）", " (no figure of it is compared like for like in this deck)"),
    "deck_apart_title": ("未能同口径比较的指标", "Indicators not compared like for like"),
    "deck_apart_intro": (
        "两所及以上所选院校报告了这些指标，但时期、统计口径或统计时点不同，或指标不宜跨校比较，因此未画图。",
        "Two or more of the chosen colleges report these, but for different periods, on different bases or dates, or they are not comparable between colleges: they are not charted.",
    ),
    "deck_sources_title": ("来源", "Sources"),
    "deck_sources_intro": (
        "本演示各图所用数字的出处：院校、报告全称及所用数字的时期。",
        "Where the figures in this deck come from: the college, the report's full title and the periods of the figures used.",
    ),
    "deck_nothing_title": ("没有可对比的图表", "Nothing to chart"),
    "deck_title": ("职业院校对比", "Vocational college comparison"),
    "download_pptx": ("下载 PowerPoint 演示文稿", "Download PowerPoint deck"),
    "download_pptx_help": (
        "当前所选院校和筛选条件：标题页，加每个主题一页可编辑的原生图表，图下注明来源和时期。PowerPoint 和 WPS 均可打开。",
        "The chosen institutions under the current filters: a title slide, then one slide per theme with a native, editable chart and its sources and periods. Opens in PowerPoint and WPS.",
    ),
    "file_compare": ("对比", "compare"),
}

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "theme": {
        "employment": ("就业", "Employment"),
        "training": ("培训", "Training"),
        "competition": ("竞赛", "Competition"),
        "party_building": ("党建", "Party building"),
        "other": ("基本情况", "Context"),
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
    "standard_set": {
        "scorecard": ("计分卡", "Scorecard"),
        "teaching_resources": ("教学资源表", "Teaching resources"),
        "service_contribution": ("服务贡献表", "Service contribution"),
        "international_influence": ("国际影响表", "International influence"),
        "policy_implementation": ("落实政策表", "Policy implementation"),
        "destination": ("毕业去向落实率", "Graduate destination rate"),
        "training_funds": ("非学历培训到账经费", "Non-degree training income"),
    },
    "basis": {
        "flow": ("当期（期间发生数）", "flow (during the period)"),
        "stock": ("时点（某一时点的数）", "stock (at a point)"),
        "cumulative": ("累计（自起算年份）", "cumulative (since a start year)"),
    },
    "derivation": {
        "counted": ("按原文列举计数", "counted from a list in the text"),
        "summed": ("原文分项相加", "summed from figures in the text"),
        "converted": ("按原文换算", "converted from the text"),
    },
    "category": {
        "competition": ("竞赛", "Competition"),
        "honour": ("荣誉称号 / 入选", "Honour or selection"),
        "research_prize": ("科研 / 教学成果奖", "Research or teaching-achievement prize"),
        "product_prize": ("行业产品奖", "Industry product award"),
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


def _present(value) -> bool:
    try:
        return value is not None and not pd.isna(value) and str(value) != ""
    except (TypeError, ValueError):
        return True


def figure_period_label(period: int, period_end, period_type: str, basis, since, as_of, lang: str) -> str:
    """A figure's period as it must stand beside the figure: its years, and for a running
    total the year it counts from, and the day it was measured where the report gives one.
    2021年 · 2020–2021年累计 · 2021年，截至12月26日 · AY 2021–22, as of 2022-06-30."""
    text = period_label(period, period_end, period_type, lang)
    if _present(basis) and str(basis) == "cumulative" and _present(since):
        start = int(since)
        text = (f"{start}年以来，截至{text}" if lang == "zh" else f"since {start}, to {text}")
    if _present(as_of):
        day = pd.Timestamp(as_of)
        text += (f"，截至{day.year}年{day.month}月{day.day}日" if lang == "zh" else f", as of {day:%Y-%m-%d}")
    return text


# English units of one: "1 person", not "1 persons".
SINGULAR_EN = {"persons": "person", "person_times": "person-time", "items": "item", "times": "time",
               "places": "place", "points": "point"}


def ordinal_en(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def format_value(value: float, unit: str, qualifier: str = "exact", lang: str = "zh", with_unit: bool = True) -> str:
    """96.08%, ≈400人, >1,400人, ≥7:1; a rank as a place: 第14名 / 14th; 1 person."""
    mark = QUALIFIER_MARKS.get(qualifier, "")
    number = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if unit == "percent":
        return f"{mark}{number}%"
    if unit == "ratio":
        return f"{mark}{number}:1"
    if unit == "rank" and with_unit and value == int(value):
        return f"{mark}第{int(value)}名" if lang == "zh" else f"{mark}{ordinal_en(int(value))}"
    if not with_unit or (lang == "en" and unit == "count"):
        return f"{mark}{number}"
    label = v("unit", unit, lang)
    if lang == "en" and value == 1 and unit in SINGULAR_EN:
        label = SINGULAR_EN[unit]
    return f"{mark}{number}{label}" if lang == "zh" else f"{mark}{number} {label}"
