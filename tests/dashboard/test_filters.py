from dashboard import filters as flt

OPTIONS = flt.Options(
    types=("higher_vocational", "technician_college"),
    provinces=("浙江", "辽宁"),
    institutions=("dalian_vtc", "ningbo_tc2"),
    first_year=2019,
    last_year=2022,
)


def test_url_values_are_kept_only_when_known():
    params = {
        "type": ["technician_college", "university"],
        "prov": "浙江,火星",
        "inst": ["ningbo_tc2", "x' OR 1=1 --", "ningbo_tc2"],
        "from": "2020",
        "to": "2999",
        "kind": ["target", "__import__('os')"],
    }
    parsed = flt.parse(params, OPTIONS)
    assert parsed == flt.Filters(
        types=("technician_college",), provinces=("浙江",), institutions=("ningbo_tc2",),
        period_from=2020, period_to=None, kinds=("target",),
    )


def test_malformed_years_and_reversed_ranges():
    assert flt.parse({"from": "20x1"}, OPTIONS).period_from is None
    swapped = flt.parse({"from": "2022", "to": "2020"}, OPTIONS)
    assert (swapped.period_from, swapped.period_to) == (2020, 2022)


def test_defaults_stay_out_of_the_url_and_values_round_trip():
    assert flt.to_params(flt.Filters(period_from=2019, period_to=2022), "zh", OPTIONS) == {}
    chosen = flt.Filters(types=("technician_college",), institutions=("ningbo_tc2",), period_from=2020, period_to=2021, kinds=("actual",))
    params = flt.to_params(chosen, "en", OPTIONS)
    assert params["lang"] == "en"
    assert flt.parse(params, OPTIONS) == chosen
    assert flt.parse_language(params) == "en"
    assert flt.parse_language({"lang": "fr"}) == "zh"
