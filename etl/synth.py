"""Synthetic demo data at national scale, in the curated CSV format.

    python -m etl.synth --institutions N --years Y --out DIR [--seed S]

writes institutions.csv, sources.csv, indicators.csv, observations.csv and awards.csv into
DIR: N plainly-synthetic colleges (ids syn00001…, names 合成院校00001（演示数据）, every
institution and source is_synthetic=true, every figure's evidence 合成数据，非真实报告),
reporting on about thirty indicators over the Y years ending in 2024, with gaps, qualifiers,
targets for 2025 and competition awards. The same arguments give byte-identical files.

Synthetic data never enter data/curated/: an --out inside it is refused (exit status 2).

The model, per institution: a type (national proportions), a province (weighted by
population) and one of its cities; a latent size (lognormal) and quality (correlated
with size); a period type (technician colleges may report by academic year); a
reporting propensity (some colleges report much less). Per indicator: a base value per
type scaled by size and quality, a yearly trend, a persistent institution effect and
year-to-year noise; derived figures (jobs offered = graduates × a ratio, ...) follow
their parent. Every draw comes from one numpy Generator in a fixed order, vectorised
over institutions × years; the large tables are written with pyarrow's CSV writer.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .spec import AWARDS, GRADES, INDICATORS, INSTITUTION_TYPES, INSTITUTIONS, OBSERVATIONS, SOURCES, TABLES

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "data" / "curated"
INDICATORS_CSV = CURATED / "indicators.csv"

LAST_YEAR = 2024
MAX_YEARS = LAST_YEAR - 1949 + 1  # the validator accepts periods from 1949
EVIDENCE = "合成数据，非真实报告"
EXIT_USAGE = 2

HV, SV, TC, OU = range(4)  # positions in spec.INSTITUTION_TYPES
assert INSTITUTION_TYPES == ("higher_vocational", "secondary_vocational", "technician_college", "open_university")
# National counts, roughly: 1,560 高职, 7,000 中职, 2,500 技工院校, a few dozen 开放大学.
NATIONAL_COUNTS = (1560, 7000, 2500, 40)

# The 31 mainland provincial-level divisions: name, English name, population (10,000s,
# 2020 census) and two to four prefecture-level cities (the capital first).
PROVINCES: tuple[tuple[str, str, int, tuple[tuple[str, str], ...]], ...] = (
    ("北京", "Beijing", 2189, (("北京", "Beijing"),)),
    ("天津", "Tianjin", 1387, (("天津", "Tianjin"),)),
    ("河北", "Hebei", 7461, (("石家庄", "Shijiazhuang"), ("唐山", "Tangshan"), ("保定", "Baoding"), ("邯郸", "Handan"))),
    ("山西", "Shanxi", 3492, (("太原", "Taiyuan"), ("大同", "Datong"), ("长治", "Changzhi"))),
    ("内蒙古", "Inner Mongolia", 2405, (("呼和浩特", "Hohhot"), ("包头", "Baotou"), ("赤峰", "Chifeng"))),
    ("辽宁", "Liaoning", 4259, (("沈阳", "Shenyang"), ("大连", "Dalian"), ("鞍山", "Anshan"))),
    ("吉林", "Jilin", 2407, (("长春", "Changchun"), ("吉林", "Jilin"), ("四平", "Siping"))),
    ("黑龙江", "Heilongjiang", 3185, (("哈尔滨", "Harbin"), ("齐齐哈尔", "Qiqihar"), ("大庆", "Daqing"))),
    ("上海", "Shanghai", 2487, (("上海", "Shanghai"),)),
    ("江苏", "Jiangsu", 8475, (("南京", "Nanjing"), ("苏州", "Suzhou"), ("无锡", "Wuxi"), ("徐州", "Xuzhou"))),
    ("浙江", "Zhejiang", 6457, (("杭州", "Hangzhou"), ("宁波", "Ningbo"), ("温州", "Wenzhou"), ("嘉兴", "Jiaxing"))),
    ("安徽", "Anhui", 6103, (("合肥", "Hefei"), ("芜湖", "Wuhu"), ("阜阳", "Fuyang"))),
    ("福建", "Fujian", 4154, (("福州", "Fuzhou"), ("厦门", "Xiamen"), ("泉州", "Quanzhou"))),
    ("江西", "Jiangxi", 4519, (("南昌", "Nanchang"), ("赣州", "Ganzhou"), ("九江", "Jiujiang"))),
    ("山东", "Shandong", 10153, (("济南", "Jinan"), ("青岛", "Qingdao"), ("潍坊", "Weifang"), ("临沂", "Linyi"))),
    ("河南", "Henan", 9937, (("郑州", "Zhengzhou"), ("洛阳", "Luoyang"), ("南阳", "Nanyang"), ("新乡", "Xinxiang"))),
    ("湖北", "Hubei", 5775, (("武汉", "Wuhan"), ("襄阳", "Xiangyang"), ("宜昌", "Yichang"))),
    ("湖南", "Hunan", 6644, (("长沙", "Changsha"), ("株洲", "Zhuzhou"), ("衡阳", "Hengyang"))),
    ("广东", "Guangdong", 12601, (("广州", "Guangzhou"), ("深圳", "Shenzhen"), ("佛山", "Foshan"), ("东莞", "Dongguan"))),
    ("广西", "Guangxi", 5013, (("南宁", "Nanning"), ("柳州", "Liuzhou"), ("桂林", "Guilin"))),
    ("海南", "Hainan", 1008, (("海口", "Haikou"), ("三亚", "Sanya"))),
    ("重庆", "Chongqing", 3205, (("重庆", "Chongqing"),)),
    ("四川", "Sichuan", 8367, (("成都", "Chengdu"), ("绵阳", "Mianyang"), ("南充", "Nanchong"))),
    ("贵州", "Guizhou", 3856, (("贵阳", "Guiyang"), ("遵义", "Zunyi"))),
    ("云南", "Yunnan", 4721, (("昆明", "Kunming"), ("曲靖", "Qujing"), ("玉溪", "Yuxi"))),
    ("西藏", "Tibet", 365, (("拉萨", "Lhasa"), ("日喀则", "Shigatse"))),
    ("陕西", "Shaanxi", 3953, (("西安", "Xi'an"), ("宝鸡", "Baoji"), ("咸阳", "Xianyang"))),
    ("甘肃", "Gansu", 2502, (("兰州", "Lanzhou"), ("天水", "Tianshui"))),
    ("青海", "Qinghai", 592, (("西宁", "Xining"), ("海东", "Haidong"))),
    ("宁夏", "Ningxia", 720, (("银川", "Yinchuan"), ("石嘴山", "Shizuishan"))),
    ("新疆", "Xinjiang", 2585, (("乌鲁木齐", "Urumqi"), ("克拉玛依", "Karamay"))),
)
CITY_WEIGHTS = {1: (1.0,), 2: (0.6, 0.4), 3: (0.5, 0.3, 0.2), 4: (0.4, 0.25, 0.2, 0.15)}


# --- indicators ------------------------------------------------------------------------

@dataclass(frozen=True)
class Gen:
    """How one indicator's figures are drawn. Per-type tuples are in INSTITUTION_TYPES
    order (higher_vocational, secondary_vocational, technician_college, open_university).

    value = base[type] × exp(size·z + quality·q + growth·(year − 2024) + u + e) × shock[year],
    u ~ N(0, persist) per institution, e ~ N(0, noise) per institution-year. A derived
    indicator multiplies its parent's value instead of a size term (base is then a ratio).
    """

    id: str
    base: tuple[float, float, float, float]
    report: tuple[float, float, float, float]  # probability of reporting in a year
    size: float = 0.8
    quality: float = 0.2
    growth: float = 0.03
    persist: float = 0.3
    noise: float = 0.12
    parent: str | None = None
    cap: tuple[str, float] | None = None  # at most share × that indicator's value
    decimals: int = 0  # 0: a whole count; 2: money
    first_year: int = 1949
    report_by_year: dict[int, float] = field(default_factory=dict)  # reporting multiplier
    shock: dict[int, float] = field(default_factory=dict)  # value multiplier
    target: bool = False  # work plans set targets for it


COVID = {2020: 0.75, 2022: 0.9}
# 党史学习教育 was the 2021 campaign; other years see far fewer figures on it.
PARTY_HISTORY_YEARS = {year: 0.15 for year in range(1949, 2021)} | {2021: 1.0, 2022: 0.45, 2023: 0.3, 2024: 0.3}

GENS: tuple[Gen, ...] = (
    # employment (the two rates are drawn separately, see _rates)
    Gen("emp_destination_rate", (0, 0, 0, 0), (0.92, 0.85, 0.85, 0.6), target=True),
    Gen("emp_initial_rate", (0, 0, 0, 0), (0.55, 0.5, 0.5, 0.35)),
    Gen("emp_jobs_offered", (3.0, 2.0, 2.5, 1.0), (0.75, 0.45, 0.55, 0.3), parent="oth_graduates",
        growth=0.02, persist=0.3, noise=0.15, shock={2020: 0.85}, target=True),
    Gen("emp_job_fairs", (12, 4, 6, 3), (0.7, 0.5, 0.55, 0.4), size=0.5, growth=0.02, noise=0.2),
    Gen("emp_order_classes", (8, 4, 6, 1.5), (0.6, 0.55, 0.65, 0.2), size=0.7, growth=0.04, target=True),
    Gen("emp_order_class_graduates", (20, 18, 22, 15), (0.5, 0.4, 0.5, 0.15), parent="emp_order_classes",
        persist=0.2, noise=0.15, cap=("oth_graduates", 0.6)),
    # training
    Gen("trn_social_training_person_times", (15000, 3000, 8000, 20000), (0.85, 0.7, 0.85, 0.8),
        size=0.9, quality=0.25, growth=0.05, persist=0.45, noise=0.2, shock=COVID, target=True),
    Gen("trn_certification_person_times", (2500, 800, 2000, 300), (0.65, 0.55, 0.8, 0.35),
        size=0.8, growth=0.04, persist=0.4, noise=0.2, shock={2020: 0.85}, target=True),
    Gen("trn_appraisal_persons", (1500, 500, 2500, 200), (0.55, 0.45, 0.9, 0.3),
        size=0.8, growth=0.02, persist=0.4, noise=0.18, shock={2020: 0.85}, target=True),
    Gen("trn_1x_certificate_pilots", (20, 8, 3, 5), (0.7, 0.55, 0.1, 0.4), size=0.5, quality=0.3,
        growth=0.15, persist=0.35, noise=0.1, first_year=2019, target=True),
    Gen("trn_training_revenue", (600, 80, 400, 900), (0.5, 0.3, 0.6, 0.55), size=0.9, quality=0.2,
        growth=0.05, persist=0.5, noise=0.2, decimals=2, shock=COVID, target=True),
    # competition
    Gen("comp_hosted_events", (4, 2, 3, 1), (0.45, 0.35, 0.5, 0.15), size=0.6, quality=0.4, growth=0.03,
        persist=0.4, noise=0.25, shock={2020: 0.6}, target=True),
    Gen("comp_hosted_competitors", (60, 40, 50, 40), (0.35, 0.25, 0.35, 0.1), parent="comp_hosted_events",
        persist=0.3, noise=0.2),
    # party building
    Gen("pb_central_group_sessions", (12, 10, 10, 12), (0.8, 0.55, 0.6, 0.75), size=0.1, quality=0.05,
        growth=0.01, persist=0.15, noise=0.1),
    Gen("pb_committee_study_sessions", (8, 6, 6, 8), (0.6, 0.4, 0.45, 0.6), size=0.15, quality=0.05,
        growth=0.02, persist=0.25, noise=0.15),
    Gen("pb_history_lectures", (40, 15, 20, 25), (0.8, 0.3, 0.4, 0.7), size=0.5, persist=0.4, noise=0.2,
        report_by_year=PARTY_HISTORY_YEARS),
    Gen("pb_history_lecture_audience", (150, 100, 120, 150), (0.6, 0.2, 0.3, 0.5), parent="pb_history_lectures",
        persist=0.35, noise=0.2, report_by_year=PARTY_HISTORY_YEARS),
    Gen("pb_practical_deeds", (60, 20, 30, 40), (0.6, 0.3, 0.35, 0.5), size=0.5, persist=0.4, noise=0.25,
        first_year=2021, target=True),
    Gen("pb_specialty_group_branches", (10, 4, 5, 3), (0.55, 0.15, 0.25, 0.2), size=0.5, growth=0.03,
        persist=0.3, noise=0.08),
    Gen("pb_new_probationary_members", (120, 15, 30, 40), (0.7, 0.45, 0.5, 0.6), size=0.9, quality=0.1,
        growth=0.02, persist=0.3, noise=0.15, target=True),
    Gen("pb_party_school_trainees", (500, 80, 150, 150), (0.6, 0.3, 0.35, 0.5), size=0.9, growth=0.03,
        persist=0.35, noise=0.15, target=True),
    Gen("pb_municipal_model_branches", (2, 1, 1, 1), (0.4, 0.25, 0.3, 0.3), size=0.4, quality=0.5,
        growth=0.05, persist=0.4, noise=0.15),
    Gen("pb_warning_education_meetings", (3, 2, 2, 2), (0.5, 0.4, 0.4, 0.5), size=0.0, quality=0.0,
        growth=0.02, persist=0.3, noise=0.15),
    # other: background figures
    Gen("oth_graduates", (2800, 450, 600, 3000), (0.95, 0.85, 0.9, 0.85), size=1.0, quality=0.0,
        growth=0.025, persist=0.1, noise=0.06),
    # 高职新生录取数: higher-vocational admissions, so only colleges that admit them report it.
    Gen("oth_new_students_admitted", (3200, 0, 0, 2500), (0.9, 0.0, 0.0, 0.5), size=1.0, quality=0.05,
        growth=0.04, persist=0.12, noise=0.08),
    Gen("oth_partner_enterprises", (200, 50, 80, 30), (0.8, 0.6, 0.7, 0.4), size=0.8, quality=0.3,
        growth=0.05, persist=0.4, noise=0.08),
    Gen("oth_new_partner_enterprises", (0.12, 0.12, 0.12, 0.12), (0.6, 0.4, 0.5, 0.3), parent="oth_partner_enterprises",
        persist=0.3, noise=0.3, target=True),
    Gen("oth_facility_investment", (3000, 400, 800, 1000), (0.6, 0.45, 0.5, 0.5), size=1.0, quality=0.2,
        growth=0.04, persist=0.5, noise=0.45, decimals=2, target=True),
    Gen("oth_provincial_research_projects", (15, 3, 3, 6), (0.75, 0.35, 0.35, 0.6), size=0.7, quality=0.5,
        growth=0.05, persist=0.4, noise=0.25, target=True),
    Gen("oth_papers_published", (150, 30, 30, 50), (0.7, 0.4, 0.4, 0.6), size=0.8, quality=0.4,
        growth=0.03, persist=0.4, noise=0.2, target=True),
    Gen("oth_patent_applications_accepted", (40, 5, 10, 3), (0.6, 0.25, 0.4, 0.25), size=0.9, quality=0.6,
        growth=0.08, persist=0.5, noise=0.3, target=True),
)
GEN_IDS = tuple(gen.id for gen in GENS)
RATE_IDS = ("emp_destination_rate", "emp_initial_rate")


# --- awards ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Contest:
    """A competition an institution may win awards at in a year: the chance of any award
    (per type), then a Poisson count per grade (mean per grade × size and quality)."""

    name: str
    name_en: str
    level: str
    recipient: str
    grades: tuple[str, ...]
    means: tuple[float, ...]
    chance: tuple[float, float, float, float]
    unit: str = "items"
    category: str = "competition"
    every: int = 1  # held every `every` years, in the years ≡ anchor (mod every)
    anchor: int = LAST_YEAR


CONTESTS: tuple[Contest, ...] = (
    Contest("世界技能大赛（合成）", "WorldSkills Competition (synthetic)", "international", "student",
            ("gold", "silver", "bronze", "excellent"), (0.3, 0.3, 0.4, 0.8), (0.015, 0.002, 0.03, 0.0), every=2, anchor=2019),
    Contest("“一带一路”国际技能大赛（合成）", "Belt and Road International Skills Competition (synthetic)",
            "international", "student", ("gold", "silver", "bronze"), (0.4, 0.6, 0.8), (0.01, 0.002, 0.01, 0.0)),
    Contest("全国职业院校技能大赛（合成）", "National Vocational College Skills Competition (synthetic)", "national",
            "student", ("first", "second", "third"), (0.4, 0.8, 1.2), (0.35, 0.12, 0.0, 0.02)),
    Contest("全国技工院校技能大赛（合成）", "National Technician College Skills Competition (synthetic)", "national",
            "student", ("first", "second", "third", "other"), (0.3, 0.6, 0.9, 0.5), (0.0, 0.0, 0.25, 0.0)),
    Contest("中国国际大学生创新大赛（合成）", "China College Students' Innovation Competition (synthetic)", "national",
            "student", ("gold", "silver", "bronze"), (0.3, 0.6, 1.0), (0.15, 0.0, 0.02, 0.03)),
    Contest("全国职业院校教师教学能力比赛（合成）", "National Vocational Teachers' Teaching Ability Competition (synthetic)",
            "national", "teacher", ("first", "second", "third"), (0.3, 0.5, 0.7), (0.2, 0.05, 0.02, 0.02)),
    Contest("全国职业教育教学成果奖（合成）", "National Teaching Achievement Award in Vocational Education (synthetic)",
            "national", "institution", ("first", "second"), (0.3, 0.8), (0.12, 0.02, 0.02, 0.05), every=4, anchor=2022,
            category="research_prize"),
    Contest("省职业院校技能大赛（合成）", "Provincial Vocational College Skills Competition (synthetic)", "provincial",
            "student", ("first", "second", "third"), (1.5, 3.0, 4.0), (0.75, 0.45, 0.1, 0.1)),
    Contest("省技工院校技能大赛（合成）", "Provincial Technician College Skills Competition (synthetic)", "provincial",
            "student", ("first", "second", "third"), (1.2, 2.5, 3.5), (0.0, 0.0, 0.6, 0.0)),
    Contest("省大学生创新创业大赛（合成）", "Provincial Student Innovation & Entrepreneurship Competition (synthetic)",
            "provincial", "student", ("gold", "silver", "bronze", "excellent"), (0.8, 1.5, 2.5, 3.0),
            (0.5, 0.08, 0.1, 0.15)),
    Contest("省职业院校教师教学能力比赛（合成）", "Provincial Vocational Teachers' Teaching Ability Competition (synthetic)",
            "provincial", "teacher", ("first", "second", "third"), (0.8, 1.2, 1.6), (0.6, 0.35, 0.15, 0.2),
            unit="person_times"),
    Contest("省职业教育教学成果奖（合成）", "Provincial Teaching Achievement Award in Vocational Education (synthetic)",
            "provincial", "institution", ("first", "second", "third"), (0.4, 0.7, 0.9), (0.25, 0.08, 0.08, 0.1),
            every=2, anchor=2022, category="research_prize"),
    Contest("市职业技能大赛（合成）", "Municipal Vocational Skills Competition (synthetic)", "municipal", "student",
            ("gold", "silver", "bronze"), (1.5, 2.5, 3.5), (0.3, 0.6, 0.65, 0.05)),
    Contest("市中等职业学校技能大赛（合成）", "Municipal Secondary Vocational Skills Competition (synthetic)", "municipal",
            "student", ("first", "second", "third"), (2.0, 3.0, 4.0), (0.0, 0.5, 0.3, 0.0)),
    Contest("市青年教师基本功大赛（合成）", "Municipal Young Teachers' Basic Skills Contest (synthetic)", "municipal",
            "teacher", ("first", "second", "third"), (0.8, 1.2, 1.6), (0.15, 0.4, 0.35, 0.1), unit="person_times"),
    Contest("市职业教育先进集体评选（合成）", "Municipal Vocational Education Advanced Unit Award (synthetic)", "municipal",
            "institution", ("other",), (0.1,), (0.05, 0.1, 0.1, 0.05), category="honour"),
    Contest("校技能节（合成）", "School Skills Festival (synthetic)", "school", "student",
            ("first", "second", "third", "excellent"), (6.0, 12.0, 18.0, 25.0), (0.2, 0.3, 0.3, 0.05),
            unit="person_times"),
    Contest("校教师教学比赛（合成）", "School Teaching Competition (synthetic)", "school", "teacher",
            ("first", "second", "third"), (2.0, 3.0, 4.0), (0.15, 0.2, 0.2, 0.1)),
)


# --- helpers ---------------------------------------------------------------------------

def _strings(values) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _coded(codes: np.ndarray, values) -> pa.DictionaryArray:
    """A column of repeated strings: codes into a small list of values."""
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), _strings(values))


def _constant(value: str, n: int) -> pa.DictionaryArray:
    return _coded(np.zeros(n, dtype=np.int32), [value])


# How each qualifier (spec.QUALIFIERS order) is written around a figure, so that the
# evidence states the value as a curator's excerpt would (etl.numbers reads it back).
_QUALIFIER_WORDS = (("", ""), ("约", ""), ("超过", ""), ("", "以上"))


def _evidence(qualifier: np.ndarray, values: pa.Array) -> pa.Array:
    """合成数据，非真实报告：约96.5 and the like: the figure as its synthetic evidence states it."""
    codes = pa.array(np.asarray(qualifier, dtype=np.int32))
    before = pa.array([EVIDENCE + "：" + words[0] for words in _QUALIFIER_WORDS]).take(codes)
    after = pa.array([words[1] for words in _QUALIFIER_WORDS]).take(codes)
    return pc.binary_join_element_wise(before, values, after, "")


def _numbers(values: np.ndarray) -> pa.Array:
    """Plain decimal text: 12345, 96.08 (shortest form; never an exponent at these sizes)."""
    if values.size and float(values.max()) >= 1e12:
        raise ValueError("value too large to write without an exponent")
    return pa.array(values.astype(np.float64)).cast(pa.string())


def _round_number(values: np.ndarray, mode: str) -> np.ndarray:
    """Two significant figures (12,345 → 12,000), rounded (approx) or down (more_than,
    at_least), the way a report writes 约1.2万 or 1.2万余. Values ≥ 10 only."""
    step = 10.0 ** (np.floor(np.log10(values)) - 1)
    scaled = values / step
    return (np.round(scaled) if mode == "round" else np.floor(scaled + 1e-9)) * step


def _scaled_counts(total: int) -> np.ndarray:
    """The national type mix scaled to `total` (largest remainder), each type at least
    once when there is room."""
    shares = np.array(NATIONAL_COUNTS, dtype=float) / sum(NATIONAL_COUNTS) * total
    counts = np.floor(shares).astype(int)
    order = np.argsort(-(shares - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    if total >= len(counts):
        for position in np.flatnonzero(counts == 0):
            counts[np.argmax(counts)] -= 1
            counts[position] = 1
    return counts


# --- generation ------------------------------------------------------------------------

@dataclass
class Colleges:
    ids: list[str]
    type: np.ndarray  # index into INSTITUTION_TYPES
    size: np.ndarray  # z: log size relative to the type's median
    quality: np.ndarray  # q: standard normal
    academic: np.ndarray  # reports by academic year
    propensity: np.ndarray  # reporting, on the logit scale


def _institutions(rng: np.random.Generator, n: int) -> tuple[pa.Table, Colleges]:
    width = max(5, len(str(n)))
    numbers = [f"{number:0{width}d}" for number in range(1, n + 1)]
    ids = [f"syn{number}" for number in numbers]
    types = rng.permutation(np.repeat(np.arange(4), _scaled_counts(n)))

    population = np.array([province[2] for province in PROVINCES], dtype=float)
    province = rng.choice(len(PROVINCES), size=n, p=population / population.sum())
    cumulative = np.ones((len(PROVINCES), 4))
    offsets, city_names, city_names_en = [], [], []
    for position, (_, _, _, cities) in enumerate(PROVINCES):
        cumulative[position, : len(cities)] = np.cumsum(CITY_WEIGHTS[len(cities)])
        offsets.append(len(city_names))
        city_names += [city for city, _ in cities]
        city_names_en += [city_en for _, city_en in cities]
    draw = rng.random(n)
    within = (draw[:, None] >= cumulative[province]).sum(axis=1)
    within = np.minimum(within, np.array([len(PROVINCES[p][3]) - 1 for p in range(len(PROVINCES))])[province])
    city = np.array(offsets)[province] + within

    # Size: higher-vocational colleges are the large ones (the type's base values carry
    # that); z spreads colleges of one type. Quality correlates mildly with size.
    size = rng.normal(0.0, 0.45, n)
    quality = 0.3 * size / 0.45 + np.sqrt(1 - 0.09) * rng.normal(0.0, 1.0, n)
    academic = (types == TC) & (rng.random(n) < 0.5)
    low = rng.random(n) < 0.15  # colleges that publish much less
    propensity = rng.normal(0.9, 0.5, n) + 0.25 * quality - 2.5 * low

    table = pa.table({
        "institution_id": _strings(ids),
        "name_zh": _strings(f"合成院校{number}（演示数据）" for number in numbers),
        "name_en": _strings(f"Synthetic College {number} (demo data)" for number in numbers),
        "type": _coded(types, INSTITUTION_TYPES),
        "alt_name_zh": _constant("", n),
        "alt_name_en": _constant("", n),
        "secondary_type": _constant("", n),
        "province": _coded(province, [p[0] for p in PROVINCES]),
        "province_en": _coded(province, [p[1] for p in PROVINCES]),
        "city": _coded(city, city_names),
        "city_en": _coded(city, city_names_en),
        "is_synthetic": _constant("true", n),
    })
    return table, Colleges(ids, types, size, quality, academic, propensity)


def _rates(rng: np.random.Generator, colleges: Colleges, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Graduate destination rate (about 85–99 %) and initial employment rate (a few points
    lower), both percent with two decimals."""
    n, t = len(colleges.ids), years - LAST_YEAR
    persistent = rng.normal(0.0, 0.2, (n, 1))
    gap = np.exp(np.log(5.5) - 0.45 * colleges.quality[:, None] + persistent + 0.015 * t[None, :]
                 + rng.normal(0.0, 0.15, (n, len(years))))
    gap *= np.where(years == 2020, 1.3, 1.0)[None, :]
    destination = np.round(100.0 - np.clip(gap, 0.3, 30.0), 2)
    initial_gap = np.clip(np.exp(np.log(4.0) + rng.normal(0.0, 0.35, (n, len(years)))), 0.5, 20.0)
    initial = np.round(np.maximum(destination - initial_gap, 40.0), 2)
    return destination, initial


def _values(rng: np.random.Generator, colleges: Colleges, years: np.ndarray) -> dict[str, np.ndarray]:
    """Every indicator's value for every institution and year (n × years), reported or not."""
    n, t = len(colleges.ids), (years - LAST_YEAR)[None, :]
    values: dict[str, np.ndarray] = {}
    values["emp_destination_rate"], values["emp_initial_rate"] = _rates(rng, colleges, years)
    # Independent indicators first, then those derived from them (a fixed order either way).
    ordered = [gen for gen in GENS if not gen.parent and gen.id not in RATE_IDS] + [gen for gen in GENS if gen.parent]
    for gen in ordered:
        base = np.array(gen.base)[colleges.type][:, None]
        persistent = rng.normal(0.0, gen.persist, (n, 1))
        noise = rng.normal(0.0, gen.noise, (n, len(years)))
        shock = np.array([gen.shock.get(int(year), 1.0) for year in years])[None, :]
        scale = np.exp(gen.quality * colleges.quality[:, None] + gen.growth * t + persistent + noise) * shock
        if gen.parent:
            raw = values[gen.parent] * base * scale
        else:
            raw = base * np.exp(gen.size * colleges.size[:, None]) * scale
        if gen.cap:
            raw = np.minimum(raw, values[gen.cap[0]] * gen.cap[1])
        if gen.decimals:
            values[gen.id] = np.maximum(np.round(raw, gen.decimals), 0.01)
        else:
            values[gen.id] = np.maximum(np.round(raw), 1.0)
    return values


def _reported(rng: np.random.Generator, colleges: Colleges, years: np.ndarray) -> np.ndarray:
    """Which figures a college reports: n × years × indicators booleans. Missing figures are
    absent rows, never zeros."""
    n, y, k = len(colleges.ids), len(years), len(GENS)
    base = np.array([gen.report for gen in GENS]).T[colleges.type]  # n × k
    with np.errstate(divide="ignore"):
        logit = np.log(base) - np.log1p(-np.minimum(base, 0.999))
    affinity = rng.normal(0.0, 0.8, (n, k))  # some colleges always give a figure, some never
    logit = logit + colleges.propensity[:, None] + affinity
    trend = 0.06 * (years - LAST_YEAR)  # more is published in recent years
    p = 1.0 / (1.0 + np.exp(-(logit[:, None, :] + trend[None, :, None])))  # n × y × k
    by_year = np.array([[gen.report_by_year.get(int(year), 1.0) if year >= gen.first_year else 0.0
                         for gen in GENS] for year in years])  # y × k
    p *= by_year[None, :, :]
    reported = rng.random((n, y, k)) < p
    silent = rng.random((n, y)) < 0.03  # no report that year at all
    reported &= ~silent[:, :, None]
    return reported


def _qualified(rng: np.random.Generator, value: np.ndarray, percent: np.ndarray, decimals: np.ndarray):
    """Mostly exact; a few percent approx (round numbers), more_than and at_least (rounded
    down). Returns (values, qualifier codes into spec.QUALIFIERS)."""
    draw = rng.random(value.size)
    qualifier = np.zeros(value.size, dtype=np.int8)  # exact
    counts_big = ~percent & (value >= 100)
    approx = (draw < 0.03) & (counts_big | percent)
    more = (draw >= 0.03) & (draw < 0.045) & (counts_big | percent)
    least = (draw >= 0.045) & (draw < 0.06) & ((~percent & (value >= 10)) | percent)
    out = value.copy()
    big = approx & counts_big
    out[big] = _round_number(value[big], "round")
    down = (more | least) & ~percent & (value >= 100)
    out[down] = _round_number(value[down], "down")
    tens = least & ~percent & (value < 100)
    out[tens] = np.floor(value[tens] / 10) * 10
    out[approx & percent] = np.round(value[approx & percent])
    out[(more | least) & percent] = np.floor(value[(more | least) & percent])
    out = np.where(decimals > 0, np.round(out, 2), out)
    qualifier[approx] = 1
    qualifier[more] = 2
    qualifier[least] = 3
    return out, qualifier


@dataclass
class Observed:
    inst: np.ndarray
    year: np.ndarray  # index into years
    ind: np.ndarray  # index into GENS
    value: np.ndarray
    qualifier: np.ndarray


def _observations(rng, colleges: Colleges, years: np.ndarray) -> Observed:
    values = _values(rng, colleges, years)
    reported = _reported(rng, colleges, years)
    dense = np.stack([values[gen.id] for gen in GENS], axis=2)  # n × y × k
    flat = np.flatnonzero(reported)  # institution-major, then year, then indicator
    y, k = len(years), len(GENS)
    inst, year, ind = flat // (y * k), (flat // k) % y, flat % k
    percent = np.isin(ind, [GEN_IDS.index(rate) for rate in RATE_IDS])
    decimals = np.array([2 if gen.id in RATE_IDS else gen.decimals for gen in GENS])[ind]
    value, qualifier = _qualified(rng, dense.reshape(-1)[flat], percent, decimals)
    return Observed(inst, year, ind, value, qualifier)


def _targets(rng, colleges: Colleges, years: np.ndarray, observed: Observed) -> Observed:
    """Targets for the year after the last, from a work plan: for about a third of the
    colleges and half their plannable indicators reported in the last year, a bit above
    the last figure (rounded up to a round number), exact or at_least."""
    planner = rng.random(len(colleges.ids)) < 0.3
    plannable = np.array([gen.target for gen in GENS])
    last = (observed.year == len(years) - 1) & planner[observed.inst] & plannable[observed.ind]
    last &= rng.random(observed.inst.size) < 0.5
    inst, ind, base = observed.inst[last], observed.ind[last], observed.value[last]
    percent = np.isin(ind, [GEN_IDS.index(rate) for rate in RATE_IDS])
    lift = rng.uniform(0.03, 0.12, base.size)
    room = rng.uniform(0.1, 0.4, base.size)
    value = np.where(percent, np.minimum(100.0, np.ceil((base + (100.0 - base) * room) * 2) / 2), base * (1 + lift))
    decimals = np.array([gen.decimals for gen in GENS])[ind]
    big = ~percent & (value >= 100)
    step = np.where(big, 10.0 ** (np.floor(np.log10(np.where(big, value, 1.0))) - 1), 1.0)
    value = np.where(percent, value, np.where(decimals > 0, np.round(value, 2), np.ceil(value / step) * step))
    value = np.where(big & (decimals > 0), np.ceil(value / step) * step, value)
    qualifier = np.where(rng.random(base.size) < 0.4, 3, 0).astype(np.int8)  # at_least, else exact
    return Observed(inst, np.full(inst.size, len(years)), ind, value, qualifier)


def _awards(rng, colleges: Colleges, years: np.ndarray) -> dict[str, np.ndarray]:
    """Award rows, one per institution × year × contest × grade with a count ≥ 1."""
    n, y = len(colleges.ids), len(years)
    iy = np.arange(n * y)
    inst, year = iy // y, iy % y
    strength = colleges.quality[inst]
    size = colleges.size[inst]
    growth = np.exp(0.03 * (years[year] - LAST_YEAR)) * np.where(years[year] == 2020, 0.7, 1.0)
    talkative = 1.0 / (1.0 + np.exp(-(colleges.propensity[inst] + 0.5)))  # colleges that say little list fewer awards
    parts = []
    for c, contest in enumerate(CONTESTS):
        held = (years[year] - contest.anchor) % contest.every == 0
        chance = np.array(contest.chance)[colleges.type[inst]] * np.exp(0.5 * strength + 0.3 * size) * talkative
        won = held & (rng.random(iy.size) < np.minimum(chance, 0.97))
        rows = np.flatnonzero(won)
        scale = np.exp(0.6 * size[rows] + 0.35 * strength[rows]) * growth[rows]
        for g, (grade, mean) in enumerate(zip(contest.grades, contest.means)):
            count = rng.poisson(mean * scale)
            if contest.recipient == "institution":
                count = np.minimum(count, 3)
            if len(contest.grades) == 1:
                count = np.maximum(count, 1)  # one row per win
            keep = count >= 1
            parts.append((rows[keep], np.full(keep.sum(), c), np.full(keep.sum(), GRADES.index(grade)),
                          np.full(keep.sum(), g), count[keep]))
    row = np.concatenate([p[0] for p in parts])
    contest = np.concatenate([p[1] for p in parts])
    grade = np.concatenate([p[2] for p in parts])
    order_in_contest = np.concatenate([p[3] for p in parts])
    count = np.concatenate([p[4] for p in parts]).astype(np.int64)
    order = np.lexsort((order_in_contest, contest, row))
    row, contest, grade, count = row[order], contest[order], grade[order], count[order]

    draw = rng.random(count.size)
    qualifier = np.zeros(count.size, dtype=np.int8)
    round_ = count >= 20
    more = round_ & (draw < 0.03)
    approx = round_ & (draw >= 0.03) & (draw < 0.05)
    count = np.where(more, count // 10 * 10, np.where(approx, np.round(count / 10).astype(np.int64) * 10, count))
    qualifier[more], qualifier[approx] = 2, 1
    return {"inst": inst[row], "year": year[row], "contest": contest, "grade": grade, "count": count,
            "qualifier": qualifier}


def _indicator_rows() -> tuple[list[str], list[list[str]]]:
    """The real indicators.csv rows for the generated indicators, in that file's order."""
    with INDICATORS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [row for row in rows[1:] if row and row[0] in GEN_IDS]
    missing = set(GEN_IDS) - {row[0] for row in body}
    if missing:
        raise RuntimeError(f"{INDICATORS_CSV} lacks the indicator(s) {', '.join(sorted(missing))}")
    if tuple(header) != INDICATORS.column_names:
        raise RuntimeError(f"{INDICATORS_CSV}: unexpected header {header}")
    units = {row[0]: row[header.index("unit")] for row in body}
    for gen in GENS:
        expected = "percent" if gen.id in RATE_IDS else ("yuan_10k" if gen.decimals else None)
        if expected and units[gen.id] != expected or not expected and units[gen.id] in ("percent", "yuan_10k", "yuan"):
            raise RuntimeError(f"{gen.id}: unit {units[gen.id]} does not match the generator")
    return header, body


def _curated_bases() -> dict[str, str]:
    """Each generated indicator's basis as the curated figures have it, so synthetic and
    real figures of one indicator measure alike (flow where none is curated)."""
    path = INDICATORS_CSV.with_name("observations.csv")
    found: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("indicator_id") in GEN_IDS and row.get("basis"):
                counts = found.setdefault(row["indicator_id"], {})
                counts[row["basis"]] = counts.get(row["basis"], 0) + 1
    return {indicator: max(counts, key=counts.get) for indicator, counts in found.items()}


def _standard_rows() -> tuple[list[str], list[list[str]]]:
    """The real standards.csv, which the copied indicators refer to."""
    with INDICATORS_CSV.with_name("standards.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def generate(institutions: int, years: int, seed: int = 1) -> dict[str, pa.Table | tuple]:
    """The five tables: pyarrow Tables, except indicators, which is (header, rows) copied
    from the real indicators.csv."""
    if institutions < 1 or not 1 <= years <= MAX_YEARS:
        raise ValueError("need at least one institution and 1..%d years" % MAX_YEARS)
    indicator_table = _indicator_rows()
    bases = _curated_bases()
    rng = np.random.default_rng(seed)
    year_values = np.arange(LAST_YEAR - years + 1, LAST_YEAR + 1)
    inst_table, colleges = _institutions(rng, institutions)
    n, y = institutions, years

    actual = _observations(rng, colleges, year_values)
    target = _targets(rng, colleges, year_values, actual)
    awards = _awards(rng, colleges, year_values)

    # Sources: codes 0..n*y-1 are (institution, year) annual summaries; n*y + i is
    # institution i's work plan for the next year (only where it set targets).
    planners = np.unique(target.inst)
    src_inst = np.concatenate([np.repeat(np.arange(n), y), planners])
    src_year = np.concatenate([np.tile(year_values, n), np.full(planners.size, LAST_YEAR + 1)])
    is_plan = np.arange(src_inst.size) >= n * y
    order = np.lexsort((is_plan, src_inst))  # per institution: its years, then its plan
    src_inst, src_year, is_plan = src_inst[order], src_year[order], is_plan[order]
    plan_position = np.full(n, -1)
    plan_position[src_inst[is_plan]] = np.flatnonzero(is_plan)
    academic = colleges.academic[src_inst]
    numbers = [identifier[3:] for identifier in colleges.ids]
    source_ids, titles, titles_en, labels, labels_en = [], [], [], [], []
    for i, year, plan, by_academic in zip(src_inst.tolist(), src_year.tolist(), is_plan.tolist(), academic.tolist()):
        name, name_en = f"合成院校{numbers[i]}（演示数据）", f"Synthetic College {numbers[i]} (demo data)"
        if plan:
            source_ids.append(f"{colleges.ids[i]}_{year}_plan")
            titles.append(f"【合成数据】{name}{year}{'学年' if by_academic else '年'}工作要点")
            titles_en.append(f"[Synthetic data] {name_en}: work plan for {year}")
            labels.append(f"{year}{'学年' if by_academic else '年'}（工作计划，合成）")
            labels_en.append(f"{'Academic year ' if by_academic else ''}{year} (plan; synthetic)")
        else:
            source_ids.append(f"{colleges.ids[i]}_{year}")
            titles.append(f"【合成数据】{name}{year}{'学年' if by_academic else '年度'}工作总结")
            titles_en.append(f"[Synthetic data] {name_en}: work summary for {year}")
            labels.append(f"{year}{'学年' if by_academic else '年度'}（合成）")
            labels_en.append(f"{'Academic year' if by_academic else 'Calendar year'} {year} (synthetic)")
    m = src_inst.size
    sources = pa.table({
        "source_id": _strings(source_ids),
        "institution_id": _coded(src_inst, colleges.ids),
        "title": _strings(titles),
        "title_en": _strings(titles_en),
        "kind": _coded(is_plan.astype(np.int32), ["annual_summary", "work_plan"]),
        "published": _constant("", m),
        "period_label": _strings(labels),
        "period_label_en": _strings(labels_en),
        "document": _constant("", m),
        "url": _constant("", m),
        "is_synthetic": _constant("true", m),
        "notes": _constant(f"合成（演示）数据，etl.synth 生成（seed={seed}）", m),
    })
    # Where each (institution, year index) summary sits among the sources.
    summary_position = np.flatnonzero(~is_plan).reshape(n, y)

    # Observations: actuals, each institution's targets after its actuals.
    inst = np.concatenate([actual.inst, target.inst])
    year = np.concatenate([actual.year, target.year])
    order = np.argsort(inst, kind="stable")
    inst, year = inst[order], year[order]
    ind = np.concatenate([actual.ind, target.ind])[order]
    value = np.concatenate([actual.value, target.value])[order]
    qualifier = np.concatenate([actual.qualifier, target.qualifier])[order]
    is_target = (year == y)
    source = np.where(is_target, plan_position[inst], summary_position[inst, np.minimum(year, y - 1)])
    k = inst.size
    period = np.where(is_target, LAST_YEAR + 1, year_values[np.minimum(year, y - 1)])
    observations = pa.table({
        "institution_id": _coded(inst, colleges.ids),
        "indicator_id": _coded(ind, GEN_IDS),
        "period": pa.array(period.astype(np.int64)),
        "period_end": _constant("", k),
        "period_type": _coded(colleges.academic[inst].astype(np.int32), ["calendar_year", "academic_year"]),
        "value": _numbers(value),
        "qualifier": _coded(qualifier, ("exact", "approx", "more_than", "at_least")),
        "kind": _coded(is_target.astype(np.int32), ["actual", "target"]),
        "basis": _coded(ind, [bases.get(gen_id, "flow") for gen_id in GEN_IDS]),
        "since": _constant("", k),
        "as_of": _constant("", k),
        "derivation": _constant("", k),
        "source_id": _coded(source, source_ids),
        "evidence": _evidence(qualifier, _numbers(value)),
        "notes": _constant("", k),
        "conflict": _constant("", k),
    })

    a = awards["inst"].size
    award_source = summary_position[awards["inst"], awards["year"]]
    awards_table = pa.table({
        "institution_id": _coded(awards["inst"], colleges.ids),
        "period": pa.array(year_values[awards["year"]].astype(np.int64)),
        "period_end": _constant("", a),
        "period_type": _coded(colleges.academic[awards["inst"]].astype(np.int32), ["calendar_year", "academic_year"]),
        "competition": _coded(awards["contest"], [c.name for c in CONTESTS]),
        "competition_en": _coded(awards["contest"], [c.name_en for c in CONTESTS]),
        "category": _coded(awards["contest"], [c.category for c in CONTESTS]),
        "level": _coded(awards["contest"], [c.level for c in CONTESTS]),
        "level_scope": _constant("exact", a),
        "grade": _coded(awards["grade"], GRADES),
        "recipient": _coded(awards["contest"], [c.recipient for c in CONTESTS]),
        "count": pa.array(awards["count"]),
        "unit": _coded(awards["contest"], [c.unit for c in CONTESTS]),
        "qualifier": _coded(awards["qualifier"], ("exact", "approx", "more_than", "at_least")),
        "is_total": _constant("false", a),
        "derivation": _constant("", a),
        "source_id": _coded(award_source, source_ids),
        "evidence": _evidence(awards["qualifier"], pa.array(awards["count"]).cast(pa.string())),
        "notes": _constant("", a),
        "conflict": _constant("", a),
    })
    tables = {"institutions": inst_table, "sources": sources, "standards": _standard_rows(), "indicators": indicator_table,
              "observations": observations, "awards": awards_table}
    for spec_table in (INSTITUTIONS, SOURCES, OBSERVATIONS, AWARDS):
        assert tuple(tables[spec_table.name].column_names) == spec_table.column_names, spec_table.name
    return tables


# --- writing ---------------------------------------------------------------------------

def _write_table(table: pa.Table, path: Path) -> None:
    """UTF-8, header first, "\\n" line ends, no quoting: generated cells never hold a comma,
    quote or line break (pyarrow raises if one does)."""
    with path.open("wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def _write_rows(header: list[str], rows: list[list[str]], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def write(tables: dict, out: Path) -> dict[str, int]:
    """Write the five files into out (each to a temporary name, then renamed into place).
    Returns rows per table."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for spec_table in TABLES:
        target = out / spec_table.file_name
        temporary = out / f".{spec_table.file_name}.{os.getpid()}.tmp"
        try:
            data = tables[spec_table.name]
            if isinstance(data, pa.Table):
                _write_table(data, temporary)
                counts[spec_table.name] = data.num_rows
            else:
                _write_rows(*data, temporary)
                counts[spec_table.name] = len(data[1])
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    return counts


# --- command line ----------------------------------------------------------------------

def inside_curated(path: Path) -> bool:
    """Whether path is the repository's data/curated directory or anything inside it
    (symbolic links and .. resolved)."""
    resolved, curated = path.resolve(), CURATED.resolve()
    return resolved == curated or resolved.is_relative_to(curated)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl.synth",
        description="Write a synthetic (demo) dataset in the curated CSV format. Never into data/curated/.",
    )
    parser.add_argument("--institutions", type=_positive, required=True, help="number of synthetic colleges")
    parser.add_argument("--years", type=_positive, required=True,
                        help=f"number of years, ending in {LAST_YEAR} (at most {MAX_YEARS})")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the five CSV files into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1); same seed, same bytes")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.years > MAX_YEARS:
        parser.error(f"--years: at most {MAX_YEARS} (periods start in 1949)")
    if args.seed < 0:
        parser.error("--seed: must not be negative")
    if inside_curated(args.out):
        print(
            f"error: refusing to write synthetic data into {CURATED} (--out {args.out}); "
            "data/curated/ holds real, curated figures only. Choose another directory.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.out.exists() and not args.out.is_dir():
        print(f"error: --out {args.out} exists and is not a directory", file=sys.stderr)
        return EXIT_USAGE

    started = time.perf_counter()
    tables = generate(args.institutions, args.years, args.seed)
    counts = write(tables, args.out)
    seconds = time.perf_counter() - started
    summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    print(f"wrote synthetic data to {args.out}: {summary} rows in {seconds:.1f} s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
