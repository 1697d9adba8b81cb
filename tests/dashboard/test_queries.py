"""Query functions against a warehouse the ETL built from the curated data."""
import duckdb
import pytest

from dashboard import db, queries
from dashboard.filters import Filters
from tests.conftest import CURATED, read_rows


def curated_rows(table: str) -> list[dict]:
    """The shipped CSV's rows: what the warehouse must hold, however many curators add."""
    return read_rows(CURATED / f"{table}.csv")[1]


def test_options_come_from_the_warehouse(ref):
    options = queries.options(ref)
    assert set(options.institutions) == {"dalian_vtc", "hubei_ou", "ningbo_tc2", "tianjin_livtc", "jiaxing_vtc"}
    assert options.types == ("higher_vocational", "open_university", "technician_college")
    assert (options.first_year, options.last_year) == (2019, 2022)


def test_tidy_observations_carry_source_and_evidence(ref, everything):
    obs = queries.observations(ref, everything)
    assert len(obs) == len(curated_rows("observations"))
    row = obs[obs["indicator_id"] == "emp_destination_rate"].iloc[0]
    assert row["value"] == 96.08 and row["unit"] == "percent"
    assert row["source_title"].startswith("大连职业技术学院")
    assert "96.08%" in row["evidence"]


@pytest.mark.parametrize(
    ("filters", "institutions"),
    [
        (Filters(types=("technician_college",)), {"ningbo_tc2"}),
        (Filters(provinces=("浙江",)), {"ningbo_tc2", "jiaxing_vtc"}),
        (Filters(institutions=("tianjin_livtc",)), {"tianjin_livtc"}),
        (Filters(types=("open_university",)), set()),  # Hubei: no figures
    ],
)
def test_institution_filters(ref, filters, institutions):
    assert set(queries.observations(ref, filters)["institution_id"]) == institutions


def test_period_filter_keeps_figures_that_overlap(ref):
    only_2019 = queries.observations(ref, Filters(period_from=2019, period_to=2019))
    assert set(only_2019["indicator_id"]) == {"pb_ideopolitical_assessment_rank"}
    span = queries.observations(ref, Filters(period_from=2021, period_to=2021, institutions=("jiaxing_vtc",)))
    assert "oth_strategic_agreements" in set(span["indicator_id"])  # 2020–2021 overlaps 2021


def test_targets_filter(ref):
    targets = queries.observations(ref, Filters(kinds=("target",)))
    assert set(targets["kind"]) == {"target"}
    assert set(targets["institution_id"]) == {"tianjin_livtc", "ningbo_tc2"}
    assert queries.awards(ref, Filters(kinds=("target",))).empty  # awards are results


def test_theme_and_indicator_selection(ref, everything):
    employment = queries.observations(ref, everything, themes=("employment",))
    assert set(employment["theme"]) == {"employment"}
    one = queries.observations(ref, everything, indicator_ids=("emp_initial_rate",))
    assert list(one["value"]) == [81.24]


def test_input_reaches_sql_only_as_parameters(ref):
    hostile = Filters(institutions=("x' OR '1'='1",), provinces=("'); DROP TABLE observations; --",))
    assert queries.observations(ref, hostile).empty
    assert len(queries.observations(ref, Filters())) == len(curated_rows("observations"))


def test_awards_and_sources(ref, everything):
    awards = queries.awards(ref, everything)
    rows = curated_rows("awards")
    assert len(awards) == len(rows)
    assert awards["is_total"].sum() == sum(row["is_total"].lower() == "true" for row in rows)
    sources = queries.sources(ref, everything).set_index("source_id")
    assert sources.loc["hubei_2021_plan", "figures"] == 0
    assert sources.loc["dalian_2021_summary", "award_rows"] == 11  # 4 competition rows, 7 honours


def test_figures_per_theme(ref, everything):
    counts = queries.figures_per_theme(ref, everything).set_index(["institution_id", "theme"])["figures"]
    assert counts[("dalian_vtc", "competition")] == 11 + 3  # 11 award rows (4 competition, 7 honours) + 3 hosting figures
    assert "hubei_ou" not in counts.index.get_level_values(0)


def test_connection_is_read_only(ref):
    connection = db.open_connection(ref)
    with pytest.raises(duckdb.Error):
        connection.execute("USE wh; DELETE FROM observations")
    with pytest.raises(duckdb.Error):
        connection.execute("SELECT * FROM read_csv('data/curated/institutions.csv')")
    connection.close()


def test_missing_and_broken_warehouse(tmp_path):
    with pytest.raises(db.WarehouseUnavailable) as missing:
        db.current_ref(tmp_path / "nope.duckdb")
    assert missing.value.kind == "missing"
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(db.WarehouseUnavailable) as broken:
        db.open_connection(db.current_ref(garbage))
    assert broken.value.kind == "broken"


def test_rebuilt_warehouse_is_picked_up(tmp_path, data_dir):
    from etl.validate import validate_dir
    from etl.warehouse import build
    from tests.conftest import read_rows, write_rows

    path = tmp_path / "w.duckdb"
    build(validate_dir(data_dir), path)
    first = db.current_ref(path)
    header, rows = read_rows(data_dir / "observations.csv")
    assert len(queries.observations(first, Filters())) == len(rows)
    write_rows(data_dir / "observations.csv", header, rows[:-5])
    build(validate_dir(data_dir), path)
    second = db.current_ref(path)
    assert second != first
    assert len(queries.observations(second, Filters())) == len(rows) - 5
