"""Optional access control: off by default; with a password or OIDC configured, a visitor
who has not signed in sees the sign-in form and nothing else (no sidebar filters, no page,
no data, no query run), whatever page the URL names."""
from __future__ import annotations

import hashlib
import logging

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import access, queries
from dashboard.i18n import t
from tests.conftest import ROOT

logging.getLogger("streamlit").setLevel(logging.ERROR)

PASSWORD = "正确的马 battery staple"
FAST_HASH = access.hash_password(PASSWORD, iterations=1_000)  # the format, minus the wait
PAGES = ("overview", "employment", "training", "competition", "party_building", "compare", "profile", "data", "validate")
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "vocdash",
        "client_secret": "s", "server_metadata_url": "https://sso.example.invalid/.well-known/openid-configuration"}


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(access, "FAIL_DELAY", 0.0)


@pytest.fixture
def ran_queries(monkeypatch):
    calls = []
    real = queries.query

    def recording(ref, sql, params=None):
        calls.append(sql)
        return real(ref, sql, params)

    monkeypatch.setattr(queries, "query", recording)
    return calls


def app(db, monkeypatch, secrets=None, user=None, **params) -> AppTest:
    monkeypatch.setenv("VOCDASH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    return at


def shown(at: AppTest) -> str:
    """Everything the run sent to the browser, as text (every element's message)."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) else []:
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def assert_only_the_gate(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    assert not at.sidebar.multiselect and not at.sidebar.segmented_control and not at.sidebar.select_slider
    text = shown(at)
    for secret in ("大连职业技术学院", "dalian_vtc", "总览", "就业", "数据构建于", "warehouse"):
        assert secret not in text, secret


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="vocdash_password").input(password)
    return at.button[0].click().run()


# --- off by default ------------------------------------------------------------------------

def test_without_secrets_the_app_is_open(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch).run()
    assert not at.exception
    assert at.title[0].value == "总览" and at.metric[0].value == "5"
    assert not [w for w in at.text_input if w.key == "vocdash_password"]
    assert access.current_config().mode == "off"


@pytest.mark.parametrize("section", [{}, {"login": "off", "password_sha256": "0" * 64}, {"note": "x"}])
def test_settings_that_do_not_turn_it_on(curated_db, monkeypatch, section):
    at = app(curated_db, monkeypatch, secrets={"vocdash": section, "other": {"a": 1}}).run()
    assert not at.exception and at.metric[0].value == "5"


# --- password ---------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_signed_out_every_page_shows_only_the_form(curated_db, monkeypatch, ran_queries, page):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"password_pbkdf2": FAST_HASH}}, inst="dalian_vtc").run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert_only_the_gate(at)
    assert at.text_input(key="vocdash_password").proto.type == at.text_input(key="vocdash_password").proto.PASSWORD
    assert ran_queries == []  # the warehouse was never read


def test_wrong_password_shows_nothing_right_password_shows_the_pages(curated_db, monkeypatch, ran_queries):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"password_pbkdf2": FAST_HASH}}).run()
    for wrong in ("", "wrong", PASSWORD.upper(), PASSWORD + " "):
        sign_in(at, wrong)
        assert_only_the_gate(at)
        assert "密码不正确" in at.error[0].value
    assert ran_queries == []
    sign_in(at, PASSWORD)
    assert not at.exception
    assert at.title[0].value == "总览" and at.metric[0].value == "5"
    at.switch_page("pages/data.py").run()
    assert at.title[0].value == "数据" and at.dataframe
    assert "大连职业技术学院" in at.dataframe[0].value.to_csv()


def test_a_deep_link_survives_signing_in(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"password_pbkdf2": FAST_HASH}}, lang="en", id="tianjin_livtc")
    at.run().switch_page("pages/profile.py").run()
    assert_only_the_gate(at)
    assert at.title[0].value.startswith("VocDash") and "Please sign in" in at.subheader[0].value
    sign_in(at, PASSWORD)
    assert at.title[0].value == t("page_profile", "en")  # the page the link named, in its language
    assert "Tianjin" in at.header[0].value


def test_sha256_setting_and_signing_out(curated_db, monkeypatch):
    stored = hashlib.sha256(PASSWORD.encode()).hexdigest()
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"login": "password", "password_sha256": stored}}).run()
    sign_in(at, PASSWORD)
    assert at.metric[0].value == "5"
    at.sidebar.button(key="vocdash_logout").click().run()
    assert_only_the_gate(at)


def test_changing_the_password_signs_everyone_out(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"password_pbkdf2": FAST_HASH}}).run()
    sign_in(at, PASSWORD)
    assert at.metric
    at.secrets["vocdash"] = {"password_pbkdf2": access.hash_password("another one entirely", iterations=1_000)}
    at.run()
    assert_only_the_gate(at)


def test_too_many_wrong_passwords_lock_the_form(curated_db, monkeypatch):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"password_pbkdf2": FAST_HASH}}).run()
    for _ in range(access.MAX_TRIES):
        sign_in(at, "guess")
    assert "尝试次数过多" in at.error[0].value
    sign_in(at, PASSWORD)  # even the right one waits out the lock
    assert_only_the_gate(at)
    assert "尝试次数过多" in at.error[0].value


# --- misconfiguration fails closed ----------------------------------------------------------

@pytest.mark.parametrize("secrets", [
    {"vocdash": {"login": "password"}},
    {"vocdash": {"password_sha256": "not-a-hash"}},
    {"vocdash": {"password_pbkdf2": "pbkdf2_sha256$x$y$z"}},
    {"vocdash": {"login": "oidc"}},
    {"vocdash": {"login": "kerberos"}},
    {"vocdash": "password"},
])
def test_a_broken_configuration_refuses_everyone(curated_db, monkeypatch, ran_queries, secrets):
    at = app(curated_db, monkeypatch, secrets=secrets).run()
    assert_only_the_gate(at)
    assert "访问控制配置有误" in at.error[0].value
    assert not [w for w in at.text_input if w.key == "vocdash_password"]
    assert ran_queries == []


def test_a_secrets_file_that_does_not_parse_refuses_everyone(tmp_path, monkeypatch):
    """Streamlit treats an unparsable secrets.toml as absent; the gate must not open."""
    import streamlit as st
    from streamlit import config
    from streamlit.runtime.secrets import Secrets

    broken = tmp_path / "secrets.toml"
    broken.write_text('[vocdash]\npassword_sha256 = "unterminated\n', encoding="utf-8")
    monkeypatch.setattr(st, "secrets", Secrets())
    original = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    try:
        assert access.current_config().mode == "broken"
        broken.unlink()
        assert access.current_config().mode == "off"
    finally:
        config.set_option("secrets.files", original)


# --- OIDC (st.login) ------------------------------------------------------------------------------

@pytest.fixture
def with_authlib(monkeypatch):
    monkeypatch.setattr(access, "authlib_installed", lambda: True)


def test_oidc_needs_authlib(curated_db, monkeypatch):
    monkeypatch.setattr(access, "authlib_installed", lambda: False)
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"login": "oidc"}, "auth": AUTH}).run()
    assert_only_the_gate(at)
    assert "Authlib" in at.error[0].value


def test_oidc_signed_out_sees_only_the_sign_in_button(curated_db, monkeypatch, ran_queries, with_authlib):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"login": "oidc"}, "auth": AUTH},
             user={"is_logged_in": False}).run()
    at.switch_page("pages/data.py").run()
    assert_only_the_gate(at)
    assert at.button(key="vocdash_oidc_login").label == "使用单位账号登录"
    assert ran_queries == []


def test_oidc_signed_in_sees_the_pages(curated_db, monkeypatch, with_authlib):
    user = {"is_logged_in": True, "name": "张三", "email": "zhang@jyj.example.gov.cn", "email_verified": True}
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"login": "oidc", "allowed_email_domains": ["jyj.example.gov.cn"]},
                                               "auth": AUTH}, user=user).run()
    assert not at.exception and at.metric[0].value == "5"
    assert "张三" in " ".join(c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("user", [
    {"is_logged_in": True, "email": "someone@gmail.com"},
    {"is_logged_in": True, "email": "x@jyj.example.gov.cn", "email_verified": False},
    {"is_logged_in": True, "email": "x@evil-jyj.example.gov.cn"},
    {"is_logged_in": True},
])
def test_oidc_outside_the_allowed_domains_sees_nothing(curated_db, monkeypatch, with_authlib, user):
    at = app(curated_db, monkeypatch, secrets={"vocdash": {"login": "oidc", "allowed_email_domains": ["@jyj.example.gov.cn"]},
                                               "auth": AUTH}, user=user).run()
    assert_only_the_gate(at)
    assert "无权访问" in at.error[0].value


# --- passwords ------------------------------------------------------------------------------------

def test_password_hashes():
    stored = access.hash_password(PASSWORD, iterations=1_000)
    assert PASSWORD not in stored and stored.startswith("pbkdf2_sha256$1000$")
    assert access.verify_password(PASSWORD, stored)
    assert not access.verify_password(PASSWORD + "x", stored)
    assert access.hash_password(PASSWORD, iterations=1_000) != stored  # salted
    composed, decomposed = "é", "e\u0301"  # one password, however the input method spelled it
    assert access.verify_password(decomposed, access.hash_password(composed, iterations=1_000))
    assert access.verify_password(PASSWORD, hashlib.sha256(PASSWORD.encode()).hexdigest().upper())
    assert not access.verify_password(PASSWORD, "plain text password")
    assert access.read_config({"vocdash": {"password_pbkdf2": access.hash_password("x")}}).mode == "password"
