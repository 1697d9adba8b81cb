"""Hostile URL parameters: SQL fragments, markup, very long values, unknown ids and digit
look-alikes give a normal page, with those values dropped (from the filters and from the
URL the app writes back). Values are parsed as plain strings and kept only when known."""
from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import filters as flt
from tests.conftest import ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)

PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")
HOSTILE = (
    "x' OR 1=1 --",
    "'; DROP TABLE institutions; --",
    "dalian_vtc' UNION SELECT name_zh FROM institutions --",
    "dalian_vtc)) OR TRUE OR ((",
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "A" * 20_000,  # Streamlit itself ignores a query string over 512 KiB
    "no_such_college",
    "²²²²",  # isdigit() is True, int() refuses it
    "9" * 5000,  # int() refuses more than 4300 digits
    "２０２１x",
    "../../../etc/passwd",
    "{{7*7}}${7*7}__import__('os').system('id')",
    "\x00\r\n",
)
# Every parameter the app reads from the URL: the shell's, and the one page that owns each
# of the others (other pages leave a page's parameter alone, unread).
PARAMS = ("lang", "type", "prov", "inst", "from", "to", "kind", "cmp", "cmp_period", "id", "present", "slide",
          "dtheme", "dind", "q", "sort", "desc", "page", "ind", "unit", "preset", "w", "ctheme", "mark", "peer", "peers", "n")
SHELL_PARAMS = ("lang", "type", "prov", "inst", "from", "to", "kind", "present", "slide")
# With the five colleges the theme pages read ?ind only (mark, peer, peers and n belong to
# the distributions past 30 colleges: tests/pages/test_url_state.py reads them there).
THEME_PARAMS = ("ind",)
PAGE_PARAMS = {
    "compare": ("cmp", "cmp_period"), "profile": ("id",), "data": ("dtheme", "dind", "sort", "desc", "page"),
    "overview": ("ctheme",), "employment": THEME_PARAMS, "training": THEME_PARAMS, "party_building": THEME_PARAMS,
    "competition": ("unit", "preset", "w"),
}


def app(db_path, monkeypatch, params: dict) -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def visit(at: AppTest, page: str) -> AppTest:
    at.run()
    return at if page == "overview" else at.switch_page(f"pages/{page}.py").run()


def page_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "title", "header", "subheader", "text", "code")
    parts = [str(element.value) for kind in kinds for element in getattr(at, kind)]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(parts)


def url_values(at: AppTest, names=PARAMS) -> list[str]:
    values = []
    for name in names:
        value = at.query_params.get(name, [])
        values += value if isinstance(value, list) else [value]
    return values


def assert_normal_page_without(at: AppTest, hostile, page: str = "overview") -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value  # a real page, in Chinese (the bad lang was dropped)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)
    sidebar = at.sidebar
    assert sidebar.multiselect(key="f_type").value == []
    assert sidebar.multiselect(key="f_province").value == []
    assert sidebar.multiselect(key="f_institutions").value == []
    assert sidebar.segmented_control(key="f_kind").value == "both"
    assert tuple(sidebar.select_slider(key="f_period").value) == (2019, 2022)
    shown, written = page_text(at), url_values(at, SHELL_PARAMS + PAGE_PARAMS.get(page, ()))
    for value in hostile:
        assert value not in written, f"{value[:40]!r} written back to the URL"
        if len(value) > 3 and value not in ("no_such_college",):
            assert value not in shown, f"{value[:40]!r} shown on the page"
    # The Data page's search box takes free text (as typed: only ever a bound SQL parameter,
    # matched as plain text): it comes back printable, at most MAX_SEARCH characters.
    if page == "data":
        from dashboard.urlstate import MAX_SEARCH

        term = at.text_input(key="data_search").value
        assert len(term) <= MAX_SEARCH and term.isprintable()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_drops_every_hostile_value(curated_db, monkeypatch, page):
    # The shell's parameters and the page's own (all of them at once would pass the 512 KiB
    # past which Streamlit ignores a query string: the app would then see none).
    names = SHELL_PARAMS + PAGE_PARAMS.get(page, ()) + (("q",) if page == "data" else ())
    at = visit(app(curated_db, monkeypatch, {name: list(HOSTILE) for name in names}), page)
    assert_normal_page_without(at, HOSTILE, page)


@pytest.mark.parametrize("value", HOSTILE, ids=lambda value: repr(value[:24]))
def test_one_hostile_value_alone(curated_db, monkeypatch, value):
    """A single bad value in each parameter (the most likely crafted link), with presentation
    mode on so ?slide is read too."""
    params = {name: value for name in PARAMS}
    params["present"] = "1"
    at = app(curated_db, monkeypatch, params).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert value not in url_values(at, SHELL_PARAMS)


def test_known_values_survive_next_to_hostile_ones(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch, {
        "prov": ["浙江", "浙江' OR '1'='1"], "inst": ["jiaxing_vtc", "<b>x</b>"], "kind": ["actual", "target'--"],
        "from": ["2021", "²²²²"],
    }).run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_province").value == ["浙江"]
    assert at.sidebar.multiselect(key="f_institutions").value == ["jiaxing_vtc"]
    assert at.sidebar.segmented_control(key="f_kind").value == "actual"
    assert at.metric[0].value == "1"
    assert at.query_params["inst"] == "jiaxing_vtc" and at.query_params["from"] == "2021"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3), ("0003", 3), ("", None), (None, None), ("²", None), ("٣", None), ("9" * 5000, None), ("-1", None), ("1e3", None)],
)
def test_slide_position_is_plain_ascii_digits(value, expected):
    assert flt.parse_position(value) == expected


@pytest.mark.parametrize("value", ["²²²²", "２０２１", "٢٠٢١", "2021x", "+2021", "9" * 5000])
def test_years_are_plain_ascii_digits(value):
    options = flt.Options(types=(), provinces=(), institutions=(), first_year=2019, last_year=2022)
    assert flt.parse({"from": [value], "to": [value]}, options).period_from is None
