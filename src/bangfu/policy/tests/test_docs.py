"""docs/policy.md carries the parameter table generated from defaults.yaml (cannot drift)."""

from pathlib import Path

from bangfu.policy.parameters import default_parameter_set
from bangfu.policy.parameters.docs import render_block

DOC = Path(__file__).resolve().parents[4] / "docs" / "policy.md"


def test_parameter_table_is_current():
    assert render_block() in DOC.read_text(encoding="utf-8"), (
        "docs/policy.md is stale: run PYTHONPATH=src python -m bangfu.policy.parameters.docs --write docs/policy.md")


def test_every_parameter_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for name in default_parameter_set().names:
        assert f"`{name}`" in text
