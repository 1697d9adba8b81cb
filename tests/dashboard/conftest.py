import logging

import pytest

from dashboard import db
from dashboard.filters import Filters

# Streamlit warns that caches run without a server; expected in unit tests.
logging.getLogger("streamlit").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def ref(curated_db):
    return db.current_ref(curated_db)


@pytest.fixture
def everything():
    return Filters()
