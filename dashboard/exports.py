"""Downloads: bytes that Excel and WPS open with the Chinese intact."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import pandas as pd

from .filters import KINDS, Filters
from .i18n import name_column, t, v

# A text cell starting with one of these is read as a formula by Excel / WPS / LibreOffice
# (OWASP, "CSV injection"): =cmd|' /C calc'!A0, +1+1, -1+2, @SUM(1), a tab or a CR.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text value inert for spreadsheets: text that starts with =, +, -, @, a tab or
    a carriage return gets a leading single quote. Anything that is not text (numbers,
    including negative ones, dates, missing values) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame with every text cell (and column name) neutralised; numeric columns
    stay numeric."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise, na_action="ignore")
    out.columns = [neutralise(column) for column in out.columns]
    return out


def _number_text(value) -> str:
    """A number as people write it: 288, not 288.0; 96.08 as stored (shortest exact form)."""
    if pd.isna(value):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 byte-order mark, so Excel and WPS pick the right encoding; CRLF
    line ends; text cells that could start a formula are neutralised; whole numbers
    without '.0' (a float column holding 288 and 96.08 writes 288 and 96.08)."""
    out = neutralise_frame(frame)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column].dtype):
            out[column] = out[column].map(_number_text).astype(object)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# Characters Windows refuses in a file name, plus whitespace (which downloads, mail and
# shells mangle).
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def download_name(what: str, filters: Filters, extension: str, view: tuple = ()) -> str:
    """vocdash_数据_2019-2022.xlsx: the app, what it holds (in the page's language), the period;
    with any narrowing filter (type, province, institutions, actual/target) or page setting
    (`view`: the Data page's theme, indicators, search and sort; the compared colleges) a
    short tag of that view, so downloads of different views never share a name.

    Chinese in a file name is safe here: Streamlit sends it as an RFC 5987 filename*
    header, which every current browser decodes, and Windows, macOS and WPS store and
    open Unicode names. The ASCII prefix and years keep the file findable where an old
    tool (a legacy-code-page zip, some mail gateways) does mangle the Chinese.
    """
    stem = _UNSAFE_IN_NAME.sub("_", what).strip("_.") or "export"
    start, end = filters.period_from, filters.period_to
    span = f"{start}" if start and start == end else f"{start}-{end}" if start and end else ""
    narrowed = (filters.types, filters.provinces, filters.institutions, tuple(filters.kinds) != KINDS)
    tag = ""
    if any(narrowed) or any(view):
        # The same view always gets the same tag; what it stands for is inside the file.
        described = repr((filters.types, filters.provinces, filters.institutions, tuple(filters.kinds), tuple(view)))
        tag = hashlib.sha1(described.encode("utf-8")).hexdigest()[:6]
    return "_".join(part for part in ("vocdash", stem, span, tag) if part) + f".{extension}"


def _listed(values, labels: Mapping, lang: str) -> str:
    if not values:
        return t("all", lang)
    return ("、" if lang == "zh" else ", ").join(str(labels.get(value, value)) for value in values)


def filter_summary(filters: Filters, institutions: pd.DataFrame, lang: str) -> dict[str, str]:
    """The shared filters as label → text, for the About sheet and the deck's subtitle,
    so a file says which view it came from."""
    names = dict(zip(institutions["institution_id"], institutions[name_column(lang)]))
    provinces = dict(zip(institutions["province"], institutions["province_en" if lang == "en" else "province"]))
    types = {value: v("type", value, lang) for value in filters.types}
    if filters.period_from and filters.period_to and filters.period_from != filters.period_to:
        period = f"{filters.period_from}–{filters.period_to}"
    else:
        period = str(filters.period_from or filters.period_to or t("all", lang))
    kinds = t("all", lang) if set(filters.kinds) == set(KINDS) else _listed(
        filters.kinds, {kind: v("kind", kind, lang) for kind in KINDS}, lang)
    return {
        t("filter_type", lang): _listed(filters.types, types, lang),
        t("filter_province", lang): _listed(filters.provinces, provinces, lang),
        t("filter_institutions", lang): _listed(filters.institutions, names, lang),
        t("filter_period", lang): period,
        t("filter_kind", lang): kinds,
    }


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def data_about(filters: Filters, institutions: pd.DataFrame, lang: str, *, themes=(), indicators=(),
               search: str = "") -> dict[str, str]:
    """The Data page's view for the workbook's About sheet: the shared filters, then the
    page's own theme, indicator (names) and search filters."""
    about = filter_summary(filters, institutions, lang)
    about[t("data_theme", lang)] = _listed(themes, {x: v("theme", x, lang) for x in themes}, lang)
    about[t("data_indicator", lang)] = _listed(list(indicators), {}, lang)
    if search:
        about[t("data_search", lang)] = search
    return about


def deck_subtitle(filters: Filters, institutions: pd.DataFrame, lang: str, exported: str) -> str:
    """时期（年份）：2019–2022；实际 / 目标：全部；导出时间：… — what the deck shows and when it
    was made. (Types and provinces only narrow the list to pick from; the deck names the
    institutions chosen.)"""
    shown = filter_summary(filters, institutions, lang)
    parts = [f"{label}{_colon(lang)}{shown[label]}" for label in (t("filter_period", lang), t("filter_kind", lang))]
    parts.append(f"{t('exported_at', lang)}{_colon(lang)}{exported}")
    return ("；" if lang == "zh" else "; ").join(parts)
