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
# What a figure measures in time: activity during its period (培训人次 in 2021), a count at a
# point (党支部 24个), or a running total since a start year (2020年以来, 累计).
BASES = ("flow", "stock", "cumulative")
# How a figure was got from its evidence when the text does not state it as one number.
DERIVATIONS = ("counted", "summed", "converted")
# Only competitions enter competition counts and scores; the rest are honours of other kinds.
AWARD_CATEGORIES = ("competition", "honour", "research_prize", "product_prize")
# A total's level is exact (国家级奖项8项) or a floor (省部级以上奖项111项).
LEVEL_SCOPES = ("exact", "or_higher")
# The national standard indicator sets a bureau already collects.
STANDARD_SETS = (
    "scorecard", "teaching_resources", "service_contribution", "international_influence",
    "policy_implementation", "destination", "training_funds",
)

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
    references: str | None = None  # parent table
    parent_key: str | None = None  # the parent's key column, when its name differs
    default: str = ""  # the value of a blank optional cell
    max_length: int = 2000

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def referenced_column(self) -> str:
        return self.parent_key or self.name


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

STANDARDS = Table(
    "standards",
    (
        Column("standard_id", "slug", max_length=60),
        _vocab("set", STANDARD_SETS),
        Column("name_zh", "text", max_length=100),
        Column("name_en", "text", max_length=150),
        _vocab("unit", UNITS),
        Column("definition_zh", "text", required=False, optional=True),
        Column("definition_en", "text", required=False, optional=True),
        # Where the set and the name are published, so a reader can check the mapping.
        Column("reference", "text", max_length=500),
    ),
    ("standard_id",),
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
        # The national standard indicator this one is (standards.csv); blank where none is.
        Column("standard", "slug", required=False, optional=True, references="standards",
               parent_key="standard_id", max_length=60),
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
        _vocab("basis", BASES),
        # The first year a cumulative figure counts from (2020年以来 -> 2020); its `period`
        # is the year the running total stands at.
        Column("since", "year", required=False, optional=True),
        # The day a figure was measured (就业率 on 9月1日 and on 12月26日 differ).
        Column("as_of", "date", required=False, optional=True),
        # Blank when the evidence states the figure; else how it was got (notes say how).
        _vocab("derivation", DERIVATIONS, required=False, optional=True),
        Column("source_id", "slug", references="sources", max_length=60),
        Column("evidence", "text"),
        _note("notes"),
        # Where the report contradicts this figure elsewhere; shown beside it, never resolved silently.
        _note("conflict"),
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
        _vocab("category", AWARD_CATEGORIES),
        _vocab("level", LEVELS),
        # or_higher: the level is a floor (省部级以上); only a total can say so.
        _vocab("level_scope", LEVEL_SCOPES, required=False, optional=True, default="exact"),
        _vocab("grade", GRADES),
        _vocab("recipient", RECIPIENTS),
        Column("count", "integer"),
        _vocab("unit", AWARD_UNITS),
        _vocab("qualifier", QUALIFIERS),
        # A total the report gives ("国家级奖项8项", "省部级以上奖项111项"). Itemised rows of
        # the same institution, category, recipient and unit whose level and years lie within
        # the total's are part of it and are never counted on top of it.
        _flag("is_total"),
        _vocab("derivation", DERIVATIONS, required=False, optional=True),
        Column("source_id", "slug", references="sources", max_length=60),
        Column("evidence", "text"),
        _note("notes"),
        _note("conflict"),
    ),
    ("institution_id", "period", "period_type", "competition", "level", "grade", "recipient", "source_id"),
)

# Load order: parents before children.
TABLES = (INSTITUTIONS, SOURCES, STANDARDS, INDICATORS, OBSERVATIONS, AWARDS)
TABLES_BY_NAME = {table.name: table for table in TABLES}
