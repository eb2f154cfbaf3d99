"""The user guide's column table is generated from the column spec and cannot drift from it."""

from pathlib import Path

from bangfu.registry.survey.columns import COLUMNS, markdown_table
from bangfu.registry.survey.docs import table_in

GUIDE = Path(__file__).resolve().parents[5] / "docs" / "registry.md"


def test_the_guide_table_matches_the_column_spec():
    # given
    text = GUIDE.read_text(encoding="utf-8")
    # when
    table = table_in(text)
    # then (regenerate with: PYTHONPATH=src python -m bangfu.registry.survey.docs docs/registry.md)
    assert table == markdown_table()


def test_the_table_names_every_column_once():
    lines = markdown_table().splitlines()[2:]
    assert [line.split(" | ")[1] for line in lines] == [col.header for col in COLUMNS]
