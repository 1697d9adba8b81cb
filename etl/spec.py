"""The warehouse's tables, declared once.

The SQL checks (etl.validate) and the DuckDB DDL (etl.warehouse) are both generated from
these declarations, so a vocabulary or a key can never differ between the check and the
database constraint.
"""
from __future__ import annotations

from dataclasses import dataclass

THEMES = ("employment", "training", "competition", "party_building", "other")
INSTITUTION_TYPES = ("higher_vocational", "secondary_vocational", "technician_college", "open_university")
SOURCE_KINDS = ("annual_summary", "work_plan", "work_report", "article")
UNITS = (
    "percent", "count", "persons", "person_times", "items", "times",
    "yuan_10k", "yuan", "ratio", "points", "rank", "places",
)
PERIOD_TYPES = ("calendar_year", "academic_year")
QUALIFIERS = ("exact", "approx", "more_than", "at_least")
OBSERVATION_KINDS = ("actual", "target")
LEVELS = ("international", "national", "provincial", "municipal", "school")
GRADES = ("gold", "silver", "bronze", "first", "second", "third", "excellent", "other")
RECIPIENTS = ("student", "teacher", "institution")
AWARD_UNITS = ("items", "person_times")

# Cell kinds. Every cell arrives as text; the kind says what text is acceptable and which
# SQL type it loads as.
SQL_TYPES = {
    "slug": "VARCHAR",
    "text": "VARCHAR",
    "vocab": "VARCHAR",
    "year": "INTEGER",
    "number": "DOUBLE",
    "integer": "BIGINT",
    "date": "DATE",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True  # the cell may not be blank
    optional: bool = False  # the header may leave the column out
    vocab: tuple[str, ...] | None = None
    references: str | None = None  # parent table; the parent column has the same name
    default: str = ""  # the value of a blank optional cell
    max_length: int = 2000

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _vocab(name: str, vocab: tuple[str, ...], **kwargs) -> Column:
    return Column(name, "vocab", vocab=vocab, **kwargs)


def _note(name: str) -> Column:
    return Column(name, "text", required=False, optional=True)


def _flag(name: str, default: str = "false") -> Column:
    return Column(name, "boolean", required=False, optional=True, default=default)


INSTITUTIONS = Table(
    "institutions",
    (
        Column("institution_id", "slug", max_length=40),
        Column("name_zh", "text", max_length=200),
        Column("name_en", "text", max_length=200),
        _vocab("type", INSTITUTION_TYPES),
        # A college with two names (an open university that is also a vocational college)
        # records the second name and the second type here.
        Column("alt_name_zh", "text", required=False, optional=True, max_length=200),
        Column("alt_name_en", "text", required=False, optional=True, max_length=200),
        _vocab("secondary_type", INSTITUTION_TYPES, required=False, optional=True),
        Column("province", "text", max_length=40),
        Column("province_en", "text", max_length=60),
        Column("city", "text", max_length=40),
        Column("city_en", "text", max_length=60),
        _flag("is_synthetic"),
    ),
    ("institution_id",),
)

SOURCES = Table(
    "sources",
    (
        Column("source_id", "slug", max_length=60),
        Column("institution_id", "slug", references="institutions", max_length=40),
        Column("title", "text", max_length=300),
        Column("title_en", "text", required=False, optional=True, max_length=300),
        _vocab("kind", SOURCE_KINDS),
        Column("published", "date", required=False, optional=True),
        Column("period_label", "text", max_length=100),
        Column("period_label_en", "text", required=False, optional=True, max_length=100),
        Column("document", "text", required=False, optional=True, max_length=200),
        Column("url", "text", required=False, optional=True, max_length=500),
        _flag("is_synthetic"),
        _note("notes"),
    ),
    ("source_id",),
)

INDICATORS = Table(
    "indicators",
    (
        Column("indicator_id", "slug", max_length=60),
        _vocab("theme", THEMES),
        Column("name_zh", "text", max_length=100),
        Column("name_en", "text", max_length=150),
        _vocab("unit", UNITS),
        Column("definition_zh", "text"),
        Column("definition_en", "text"),
        # Blank when neither direction is better (a count of cadres reassigned, say).
        Column("higher_is_better", "boolean", required=False),
        # Whether values from different institutions measure the same thing on the same
        # basis, so that the compare page may scale them against each other.
        _flag("comparable", default="true"),
    ),
    ("indicator_id",),
)

OBSERVATIONS = Table(
    "observations",
    (
        Column("institution_id", "slug", references="institutions", max_length=40),
        Column("indicator_id", "slug", references="indicators", max_length=60),
        Column("period", "year"),
        # The last year of a figure that spans several years (近两年, 2020年以来).
        Column("period_end", "year", required=False, optional=True),
        _vocab("period_type", PERIOD_TYPES),
        Column("value", "number"),
        _vocab("qualifier", QUALIFIERS),
        _vocab("kind", OBSERVATION_KINDS),
        Column("source_id", "slug", references="sources", max_length=60),
        Column("evidence", "text"),
        _note("notes"),
    ),
    ("institution_id", "indicator_id", "period", "period_type", "kind", "source_id"),
)

AWARDS = Table(
    "awards",
    (
        Column("institution_id", "slug", references="institutions", max_length=40),
        Column("period", "year"),
        Column("period_end", "year", required=False, optional=True),
        _vocab("period_type", PERIOD_TYPES),
        Column("competition", "text", max_length=300),
        Column("competition_en", "text", required=False, optional=True, max_length=300),
        _vocab("level", LEVELS),
        _vocab("grade", GRADES),
        _vocab("recipient", RECIPIENTS),
        Column("count", "integer"),
        _vocab("unit", AWARD_UNITS),
        _vocab("qualifier", QUALIFIERS),
        # A total the report gives for a level ("国家级奖项8项"); itemised rows from the same
        # source, period, level, recipient and unit may be part of it.
        _flag("is_total"),
        Column("source_id", "slug", references="sources", max_length=60),
        Column("evidence", "text"),
        _note("notes"),
    ),
    ("institution_id", "period", "period_type", "competition", "level", "grade", "recipient", "source_id"),
)

# Load order: parents before children.
TABLES = (INSTITUTIONS, SOURCES, INDICATORS, OBSERVATIONS, AWARDS)
TABLES_BY_NAME = {table.name: table for table in TABLES}
