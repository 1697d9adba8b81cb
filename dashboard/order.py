"""The orders a bureau reads lists in: provinces in the standard order of the national
statistics (GB/T 2260), names by pinyin.

pypinyin reads a name as phrases, so polyphones come out as people say them (长沙
chángshā, 重庆 chóngqìng); a code-point sort puts 上海 before 云南 before 内蒙古, and ICU's
collation reads 长 as zhǎng. A name's key costs about 0.2 ms, kept for the process: the
first list of 11,000 names takes a couple of seconds once, every later one nothing.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
from pypinyin import Style, lazy_pinyin

PROVINCE_ORDER = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏",
    "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)
_PROVINCE_RANK = {name: rank for rank, name in enumerate(PROVINCE_ORDER)}


def province_sort_key(province: str) -> tuple[int, str]:
    """A province's place in the standard order; an unknown one after them all, by pinyin."""
    return (_PROVINCE_RANK.get(province, len(PROVINCE_ORDER)), pinyin_key(province))


@lru_cache(maxsize=200_000)
def pinyin_key(name: str) -> str:
    """The name in pinyin with tone numbers (chang2 sha1 …), for sorting; non-Chinese kept."""
    if not isinstance(name, str):
        return ""
    return " ".join(lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True))


def place_order(institutions: pd.DataFrame) -> list[int]:
    """Row positions of `institutions` (columns province, name_zh, institution_id) in display
    order: province in the standard order, then the name by pinyin, then the id."""
    keys = [
        (province_sort_key(province), pinyin_key(name), iid)
        for province, name, iid in zip(institutions["province"].tolist(), institutions["name_zh"].tolist(),
                                       institutions["institution_id"].tolist())
    ]
    return sorted(range(len(keys)), key=keys.__getitem__)


def sort_names(names, key=None) -> list:
    """Items sorted by the pinyin of key(item) (the item itself by default)."""
    return sorted(names, key=lambda item: pinyin_key(key(item) if key else item))
