"""The blank templates curators copy: valid headers, and examples that would load."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.spec import TABLES
from etl.validate import read_table, validate_dir
from tests.conftest import ROOT

TEMPLATES = ROOT / "data" / "templates"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_template_has_every_column_and_no_rows(table):
    read = read_table(TEMPLATES / table.file_name)
    frame, problems = read.data, read.problems
    assert problems == []
    assert [c for c in frame.column_names if not c.startswith("_")] == list(table.column_names)
    assert len(frame) == 0  # the example is a comment


def test_uncommented_examples_load_beside_the_curated_data(data_dir: Path):
    for table in TABLES:
        lines = (TEMPLATES / table.file_name).read_text(encoding="utf-8").splitlines()
        example = next(line for line in lines if line.startswith("# ")).removeprefix("# ")
        target = data_dir / table.file_name
        target.write_text(target.read_text(encoding="utf-8") + example + "\n", encoding="utf-8")
    dataset = validate_dir(data_dir)
    assert "example_vtc" in set(dataset.frames["observations"]["institution_id"])
