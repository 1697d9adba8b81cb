"""Security in a real Chromium against `streamlit run` on the hostile warehouse: text from the data
that holds HTML, script or Markdown is shown as typed on every page and in a chart's hover
label, nothing in it runs (window.__xss stays undefined), and the console stays clean.
And the Validate page's size cap, from the browser's side."""
from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from dashboard.uploads import MAX_MB
from tests.browser.conftest import Server, _need_browser
from tests.browser.helpers import assert_clean, open_page, screenshot, settle
from tests.security.conftest import XSS_ALT_NAME, XSS_NAME, XSS_NAME_EN, XSS_TITLE
from tests.security.conftest import hostile_data_dir, hostile_db  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_server(hostile_db):  # noqa: F811
    """`streamlit run app.py` serving the hostile warehouse (tests/security/conftest.py)."""
    _need_browser()
    running = Server(hostile_db)
    yield running
    running.stop()

PAGES = {
    "": "",
    "employment": "",
    "training": "",
    "competition": "",
    "party_building": "",
    "compare": "cmp=xss_college&cmp=formula_college&cmp=dalian_vtc",
    "profile": "id=xss_college",
    "data": "",
    "validate": "",
}
# What an injection would leave behind: its side effect, or elements built from the text.
PLANTED = """() => ({
    xss: typeof window.__xss,
    imgs: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
    scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
    links: [...document.querySelectorAll('a')].filter(a => (a.getAttribute('href') || '').startsWith('javascript')).length,
    bold: [...document.querySelectorAll('b, strong, [style*="bold"]')].filter(e => /粗体|粗|Bold|大赛/.test(e.textContent)).length,
    math: document.querySelectorAll('.katex').length,
})"""


def assert_nothing_ran(page) -> None:
    planted = page.evaluate(PLANTED)
    assert planted == {"xss": "undefined", "imgs": 0, "scripts": 0, "links": 0, "bold": 0, "math": 0}, planted


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_hostile_text_is_shown_as_text_on_every_page(hostile_server, page, path):
    open_page(page, hostile_server.url, path, PAGES[path])
    assert_nothing_ran(page)
    assert_clean(page)
    if path in ("", "employment", "party_building", "compare", "competition", "profile"):
        assert XSS_NAME in main_text(page)  # the literal name, markup and all
    screenshot(page, f"hostile-{path or 'overview'}")


def test_profile_shows_names_and_markdown_literally(hostile_server, page):
    open_page(page, hostile_server.url, "profile", "id=xss_college")
    header = page.locator("[data-testid='stMain'] h2").first.inner_text()
    assert header.strip() == XSS_NAME
    body = main_text(page)
    assert XSS_ALT_NAME in body  # **, [link](javascript:), $…$ and :red[…] as typed
    assert "<i>测试省</i>" in body
    assert_nothing_ran(page)
    assert_clean(page)
    screenshot(page, "hostile-profile-literal")


def test_english_names_and_presentation_mode(hostile_server, page):
    open_page(page, hostile_server.url, "party_building", "lang=en&present=1")
    assert_nothing_ran(page)
    assert_clean(page)
    slides = []
    for _ in range(3):  # each slide's takeaway and sources are Markdown built from the data
        slides.append(main_text(page))
        following = page.get_by_role("button", name="Next")
        if following.is_disabled():  # fewer slides: one-college charts are left out by default
            break
        following.click()
        settle(page)
        assert_nothing_ran(page)
    # The caption names each source (cut to 24 characters), tags and all; the chart the name.
    assert any(XSS_TITLE[:20] in text for text in slides), slides[0][-600:]
    assert XSS_NAME_EN in slides[0]
    open_page(page, hostile_server.url, "compare", "lang=en&cmp=xss_college&cmp=dalian_vtc")
    assert XSS_NAME_EN in main_text(page)
    assert_nothing_ran(page)
    assert_clean(page)
    screenshot(page, "hostile-compare-en")


def test_hover_label_shows_the_name_and_source_as_typed(hostile_server, page):
    """Plotly's hover label takes a subset of HTML; the escaped customdata must come out as
    the literal text, with no link made of the source title."""
    open_page(page, hostile_server.url, "employment", "inst=xss_college&inst=dalian_vtc")
    # The first chart with bars (a theme page opens on its overview grid).
    chart = page.locator("[data-testid='stPlotlyChart']").filter(has=page.locator(".bars .point path")).first
    chart.scroll_into_view_if_needed()
    bars = chart.locator(".bars .point path")
    assert bars.count() >= 1
    hover = ""
    for index in range(bars.count()):
        box = bars.nth(index).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        hover = chart.locator(".hoverlayer").text_content() or ""
        if "测试" in hover:
            break
    assert XSS_NAME in hover, hover
    assert XSS_TITLE[:20] in hover  # the source title, tags and all
    assert chart.locator(".hoverlayer a").count() == 0
    assert_nothing_ran(page)
    assert_clean(page)
    screenshot(page, "hostile-hover")


# --- the upload cap, from the browser -----------------------------------------------------

def upload(page, tmp_path, name: str, size: int) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.write(b"institution_id,indicator_id\n")
        handle.truncate(size)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    settle(page)


def test_a_file_over_the_page_cap_gets_the_pages_message(server, page, tmp_path, curated_db):
    before = hashlib.sha256(curated_db.read_bytes()).hexdigest()
    open_page(page, server.url, "validate")
    # Over the page's 10 MiB, under the widget's 11 MB (Streamlit counts decimal megabytes).
    upload(page, tmp_path, "big.csv", MAX_MB * 1024 * 1024 + 200 * 1024)
    # The upload itself takes a moment: wait for the page's verdict, not just a quiet page.
    expect(page.locator("[data-testid='stMain'] [data-testid='stAlert']")).to_contain_text(
        f"文件超过 {MAX_MB} MB，请拆分后再上传。", timeout=60_000)
    settle(page)
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    assert_clean(page)
    screenshot(page, "validate-too-big")
    assert hashlib.sha256(curated_db.read_bytes()).hexdigest() == before


def test_a_file_over_the_server_cap_never_arrives(server, page, tmp_path):
    open_page(page, server.url, "validate")
    upload(page, tmp_path, "huge.csv", 30 * 1024 * 1024)
    # Streamlit's own refusal, shown at the widget before anything is sent.
    expect(page.locator("[data-testid='stFileUploader']")).to_contain_text("MB or smaller", timeout=30_000)
    settle(page)
    assert f"文件超过 {MAX_MB} MB" not in main_text(page)  # the page never saw it
    screenshot(page, "validate-over-server-cap")


# --- the access gate, served -----------------------------------------------------------------

GATE_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def gated_server(tmp_path_factory, curated_db):
    """The app with a shared password in a secrets file outside the repo."""
    from dashboard.access import hash_password

    _need_browser()
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(f'[vocdash]\npassword_pbkdf2 = "{hash_password(GATE_PASSWORD, iterations=1_000)}"\n', encoding="utf-8")
    running = Server(curated_db, env={"STREAMLIT_SECRETS_FILES": str(secrets)})
    yield running
    running.stop()


def test_the_password_gate_shows_nothing_until_signed_in(gated_server, page):
    open_page(page, gated_server.url, "data", "inst=dalian_vtc")

    def only_the_form():
        assert page.locator("[data-testid='stSidebar']").count() == 0  # no filters, no page list
        assert page.locator("[data-testid='stDataFrame'], [data-testid='stPlotlyChart']").count() == 0
        body = page.locator("body").inner_text()
        assert "请登录" in body and "大连" not in body and "数据构建于" not in body

    only_the_form()
    screenshot(page, "gate-signed-out")
    field = page.get_by_label("访问密码")
    field.fill("wrong guess")
    page.get_by_role("button", name="进入").click()
    expect(page.locator("[data-testid='stAlert']")).to_contain_text("密码不正确", timeout=30_000)
    settle(page)
    only_the_form()
    field.fill(GATE_PASSWORD)
    page.get_by_role("button", name="进入").click()
    expect(page.locator("h1").first).to_have_text("数据", timeout=30_000)  # the page the link named
    settle(page)
    assert page.locator("[data-testid='stSidebar']").count() == 1
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    assert "/data" in page.url
    assert_clean(page)
    screenshot(page, "gate-signed-in")
