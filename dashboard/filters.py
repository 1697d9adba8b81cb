"""The shared filters, and their round trip through the URL.

URL values are plain strings, parsed as such and kept only when they name a known
institution, vocabulary value or year; anything else is dropped. Nothing in a URL is ever
evaluated or unpickled.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .i18n import DEFAULT_LANGUAGE, LANGUAGES

KINDS = ("actual", "target")
# ASCII digits only: str.isdigit() also accepts '²', which int() then refuses.
_YEAR = re.compile(r"[0-9]{4}")
_SMALL_NUMBER = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()  # empty: every type
    provinces: tuple[str, ...] = ()  # empty: every province
    institutions: tuple[str, ...] = ()  # empty: every institution the two above allow
    period_from: int | None = None
    period_to: int | None = None
    kinds: tuple[str, ...] = KINDS

    def key(self) -> tuple:
        """A hashable identity, for caches."""
        return (self.types, self.provinces, self.institutions, self.period_from, self.period_to, self.kinds)


@dataclass(frozen=True)
class Options:
    """What the filters may hold, read from the warehouse."""

    types: tuple[str, ...]
    provinces: tuple[str, ...]
    institutions: tuple[str, ...]
    first_year: int
    last_year: int
    extra: dict = field(default_factory=dict, compare=False)


# URL parameter names.
P_LANG, P_TYPE, P_PROVINCE, P_INSTITUTION, P_FROM, P_TO, P_KIND = "lang", "type", "prov", "inst", "from", "to", "kind"


def _values(params: Mapping, name: str) -> list[str]:
    """Every value of a parameter: repeated (?a=1&a=2) or comma-separated (?a=1,2)."""
    getter = getattr(params, "get_all", None)
    raw = getter(name) if getter else params.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    for item in raw or []:
        values.extend(part.strip() for part in str(item).split(",") if part.strip())
    return values


def _known(values: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    allowed_set = set(allowed)
    seen: list[str] = []
    for value in values:
        if value in allowed_set and value not in seen:
            seen.append(value)
    return tuple(seen)


def _year(values: list[str], options: Options) -> int | None:
    if not values or not _YEAR.fullmatch(values[0]):
        return None
    year = int(values[0])
    return year if options.first_year <= year <= options.last_year else None


def parse_position(value: str | None) -> int | None:
    """A 1-based position from the URL (?slide=3), or None unless it is 1 to 4 ASCII digits."""
    return int(value) if value and _SMALL_NUMBER.fullmatch(value) else None


def parse_language(params: Mapping) -> str:
    values = _values(params, P_LANG)
    return values[0] if values and values[0] in LANGUAGES else DEFAULT_LANGUAGE


def parse(params: Mapping, options: Options) -> Filters:
    """Filters from URL parameters; unknown or malformed values are dropped."""
    period_from = _year(_values(params, P_FROM), options)
    period_to = _year(_values(params, P_TO), options)
    if period_from and period_to and period_from > period_to:
        period_from, period_to = period_to, period_from
    kinds = _known(_values(params, P_KIND), KINDS) or KINDS
    return Filters(
        types=_known(_values(params, P_TYPE), options.types),
        provinces=_known(_values(params, P_PROVINCE), options.provinces),
        institutions=_known(_values(params, P_INSTITUTION), options.institutions),
        period_from=period_from,
        period_to=period_to,
        kinds=tuple(kind for kind in KINDS if kind in kinds),
    )


def to_params(filters: Filters, lang: str, options: Options) -> dict[str, list[str] | str]:
    """URL parameters for the filters, leaving out whatever is at its default."""
    params: dict[str, list[str] | str] = {}
    if lang != DEFAULT_LANGUAGE:
        params[P_LANG] = lang
    if filters.types:
        params[P_TYPE] = list(filters.types)
    if filters.provinces:
        params[P_PROVINCE] = list(filters.provinces)
    if filters.institutions:
        params[P_INSTITUTION] = list(filters.institutions)
    if filters.period_from and filters.period_from != options.first_year:
        params[P_FROM] = str(filters.period_from)
    if filters.period_to and filters.period_to != options.last_year:
        params[P_TO] = str(filters.period_to)
    if tuple(filters.kinds) != KINDS:
        params[P_KIND] = list(filters.kinds)
    return params
