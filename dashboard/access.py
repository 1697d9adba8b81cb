"""Optional access control for a bureau intranet. Off unless .streamlit/secrets.toml turns
it on (docs/security.md; .streamlit/secrets.toml.example):

    [vocdash]                       # a shared password; only its hash is stored
    password_pbkdf2 = "pbkdf2_sha256$600000$<salt>$<hash>"   # python -m dashboard.access
    # or: password_sha256 = "<sha256 hex of the password>"

    [vocdash]                       # the bureau's OpenID Connect provider, via st.login
    login = "oidc"
    allowed_email_domains = ["jyj.example.gov.cn"]           # optional
    [auth]
    ...                             # Streamlit's own settings (redirect_uri, client_id, ...)

The shell calls gate() before it reads the warehouse or draws the sidebar; until gate()
returns True the visitor sees the sign-in form and nothing else. A configuration that
cannot be understood (a secrets file that does not parse, a malformed hash, login = "oidc"
without [auth]) refuses everyone: it fails closed, never open.
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import importlib.util
import math
import os
import re
import secrets as token
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from .i18n import t

SECTION = "vocdash"
PBKDF2_ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256
MAX_TRIES = 5  # wrong passwords in a row before the form locks
LOCK_SECONDS = 60
FAIL_DELAY = 1.0  # seconds each wrong password costs
_GRANTED, _FAILURES, _LOCKED = "_vocdash_access", "_vocdash_failures", "_vocdash_locked_until"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_PBKDF2 = re.compile(r"pbkdf2_sha256\$([0-9]{1,7})\$([0-9a-fA-F]{16,128})\$([0-9a-fA-F]{64})")


@dataclass(frozen=True)
class Config:
    mode: str  # "off", "password", "oidc" or "broken" (refuse everyone)
    detail: str = ""
    stored: str = ""  # the password hash, either format
    provider: str | None = None
    allowed_domains: tuple[str, ...] = ()


def authlib_installed() -> bool:
    return importlib.util.find_spec("authlib") is not None


def read_config(secrets: Mapping | None) -> Config:
    """The access settings in secrets (None: no secrets file at all)."""
    if secrets is None:
        return Config("off")
    section = secrets.get(SECTION, {})
    auth = secrets.get("auth", {})
    if not isinstance(section, Mapping) or not isinstance(auth, Mapping):
        return Config("broken", f"[{SECTION}] and [auth] must be tables")
    login = str(section.get("login", "")).strip().lower()
    stored = str(section.get("password_pbkdf2") or section.get("password_sha256") or "").strip()
    if login in ("off", "none") or (not login and not stored):
        return Config("off")
    if login == "oidc":
        if not auth:
            return Config("broken", "login = \"oidc\" needs an [auth] section")
        if not authlib_installed():
            return Config("broken", "st.login needs the Authlib package")
        provider = section.get("provider")
        domains = section.get("allowed_email_domains", [])
        if isinstance(domains, str):
            domains = [domains]
        return Config(
            "oidc", provider=str(provider) if provider else None,
            allowed_domains=tuple(str(domain).strip().lower().lstrip("@") for domain in domains if str(domain).strip()),
        )
    if login in ("password", ""):
        if not stored:
            return Config("broken", "login = \"password\" needs password_pbkdf2 or password_sha256")
        if not (_PBKDF2.fullmatch(stored) or _SHA256.fullmatch(stored)):
            return Config("broken", "the password hash is malformed")
        return Config("password", stored=stored)
    return Config("broken", f"unknown login {login!r}")


def current_config() -> Config:
    """Read from st.secrets. A secrets file that exists but does not load means broken:
    Streamlit treats it as absent, which here would switch the gate off."""
    try:
        if st.secrets.load_if_toml_exists():
            return read_config(st.secrets)
    except Exception as error:  # noqa: BLE001 - any failure to read must refuse, not open
        return Config("broken", type(error).__name__)
    from streamlit import config as st_config

    present = [path for path in st_config.get_option("secrets.files") if os.path.exists(os.path.expanduser(path))]
    return Config("broken", "secrets.toml does not load") if present else Config("off")


# --- passwords ------------------------------------------------------------------------

def _normal(password: str) -> bytes:
    # One password, however the input method composed it.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, iterations: int = PBKDF2_ITERATIONS, salt: bytes | None = None) -> str:
    """The password_pbkdf2 value for a password: salted, slow, never the password itself."""
    salt = salt or token.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", _normal(password), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_password(candidate: str, stored: str) -> bool:
    """Constant-time comparison against either stored format."""
    match = _PBKDF2.fullmatch(stored)
    if match:
        iterations, salt, expected = int(match[1]), bytes.fromhex(match[2]), match[3].lower()
        digest = hashlib.pbkdf2_hmac("sha256", _normal(candidate), salt, iterations).hex()
        return hmac.compare_digest(digest, expected)
    if _SHA256.fullmatch(stored):
        return hmac.compare_digest(hashlib.sha256(_normal(candidate)).hexdigest(), stored.lower())
    return False


def _fingerprint(stored: str) -> str:
    # Changing the password in secrets.toml signs every session out.
    return hashlib.sha256(stored.encode()).hexdigest()


# --- the gate ----------------------------------------------------------------------------

def gate(lang: str) -> bool:
    """True when this visitor may see the app. Otherwise draws the sign-in form (or the
    reason for refusing) and nothing else, and returns False."""
    config = current_config()
    if config.mode == "off":
        return True
    if config.mode == "password":
        return _password_gate(config, lang)
    if config.mode == "oidc":
        return _oidc_gate(config, lang)
    st.title(t("app_title", lang))
    st.error(t("access_misconfigured", lang, detail=config.detail), icon=":material/lock:")
    return False


def _sign_out() -> None:
    for key in (_GRANTED, _FAILURES, _LOCKED):
        st.session_state.pop(key, None)


def _password_gate(config: Config, lang: str) -> bool:
    state = st.session_state
    if state.get(_GRANTED) == _fingerprint(config.stored):
        with st.sidebar:
            st.button(t("access_logout", lang), on_click=_sign_out, icon=":material/logout:", key="vocdash_logout")
        return True
    st.title(t("app_title", lang))
    st.subheader(t("access_title", lang), anchor=False)
    st.caption(t("access_intro", lang))
    with st.form("vocdash_login", clear_on_submit=True, enter_to_submit=True):
        password = st.text_input(t("access_password", lang), type="password", key="vocdash_password")
        submitted = st.form_submit_button(t("access_submit", lang), icon=":material/login:")
    if not submitted:
        return False
    wait = state.get(_LOCKED, 0.0) - time.monotonic()
    if wait > 0:
        st.error(t("access_locked", lang, seconds=math.ceil(wait)), icon=":material/lock_clock:")
        return False
    if password and verify_password(password, config.stored):
        _sign_out()
        state[_GRANTED] = _fingerprint(config.stored)
        st.rerun()
    time.sleep(FAIL_DELAY)  # a guess costs time
    failures = state.get(_FAILURES, 0) + 1
    state[_FAILURES] = failures
    if failures >= MAX_TRIES:
        state[_FAILURES] = 0
        state[_LOCKED] = time.monotonic() + LOCK_SECONDS
        st.error(t("access_locked", lang, seconds=LOCK_SECONDS), icon=":material/lock_clock:")
    else:
        st.error(t("access_wrong", lang), icon=":material/error:")
    return False


def _oidc_gate(config: Config, lang: str) -> bool:
    user = st.user
    if not user.get("is_logged_in"):
        st.title(t("app_title", lang))
        st.subheader(t("access_title", lang), anchor=False)
        st.caption(t("access_intro", lang))
        st.button(t("access_login_oidc", lang), on_click=st.login, args=(config.provider,) if config.provider else (),
                  icon=":material/login:", type="primary", key="vocdash_oidc_login")
        return False
    email = str(user.get("email") or "")
    who = str(user.get("name") or email or "?")
    if config.allowed_domains:
        domain = email.rpartition("@")[2].lower()
        if not email or domain not in config.allowed_domains or user.get("email_verified") is False:
            st.title(t("app_title", lang))
            st.error(t("access_not_allowed", lang, who=email or who), icon=":material/block:")
            st.button(t("access_logout", lang), on_click=st.logout, icon=":material/logout:", key="vocdash_logout")
            return False
    with st.sidebar:
        st.caption(t("access_signed_in", lang, who=who))
        st.button(t("access_logout", lang), on_click=st.logout, icon=":material/logout:", key="vocdash_logout")
    return True


def main() -> None:
    """python -m dashboard.access: print the secrets.toml line for a new shared password."""
    first = getpass.getpass("New VocDash password: ")
    if len(first) < 12:
        raise SystemExit("Use at least 12 characters.")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("The two entries differ.")
    print("[vocdash]")
    print(f'password_pbkdf2 = "{hash_password(first)}"')


if __name__ == "__main__":
    main()
