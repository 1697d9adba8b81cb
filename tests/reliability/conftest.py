"""The reliability tests drive the browser tests' Chromium: share their fixture."""
from tests.browser.conftest import browser  # noqa: F401  (re-exported as a fixture)
