"""The layers between the apps (docs/decisions.md, "Layers between the apps") are import-linter
contracts in pyproject.toml; this test runs them, so a wrong-way import fails the suite as it
fails `lint-imports`. The second test proves the contracts bite: in a copy of the source tree it
adds one wrong-way import at a time and expects the contract that forbids it to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
CONFIG = ROOT / "pyproject.toml"


def lint_imports(src: Path) -> subprocess.CompletedProcess:
    """`lint-imports` with the project's contracts over the `bangfu` package found in `src`."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", code, "--config", str(CONFIG), "--no-cache"], cwd=src,
                          env=env, capture_output=True, text=True, timeout=120)


def test_every_contract_is_kept():
    done = lint_imports(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout


# (module that gets the extra line, the line, the contract that must break)
WRONG_WAY = {
    "common imports an app": ("common/money.py", "from bangfu.registry import models", "Apps import only the floors below them"),
    "registry imports a workflow app": ("registry/selectors.py", "import bangfu.cases.services", "Apps import only the floors below them"),
    "a workflow app imports its sibling": ("matching/services.py", "import bangfu.outreach.models", "Apps import only the floors below them"),
    "an app imports the demo": ("rescue/views.py", "from bangfu.demo import data", "Apps import only the floors below them"),
    "a cycle inside an app": ("matching/kinds.py", "from . import models", "No cycles between the apps"),
    "the engine imports Django": ("policy/engine/expr.py", "import django.db", "The rules engine and its parameters import no Django"),
    "runtime imports test support": ("registry/views.py", "import pytest", "The running code imports no test support"),
}


@pytest.fixture(scope="module")
def src_copy(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("layers") / "src"
    shutil.copytree(ROOT / "src" / "bangfu", src / "bangfu",
                    ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "*.mo", "*.po"))
    done = lint_imports(src)  # the copy itself keeps every contract
    assert done.returncode == 0, done.stdout + done.stderr
    return src


@pytest.mark.parametrize("case", WRONG_WAY, ids=list(WRONG_WAY))
def test_a_wrong_way_import_breaks_its_contract(src_copy, case):
    # given: the source tree with one import added that its contract forbids
    relative, line, contract = WRONG_WAY[case]
    module = src_copy / "bangfu" / relative
    original = module.read_text(encoding="utf-8")
    module.write_text(original + f"\n\ndef _wrong_way():\n    {line}  # noqa\n", encoding="utf-8")
    try:
        # when
        done = lint_imports(src_copy)
    finally:
        module.write_text(original, encoding="utf-8")

    # then: lint-imports fails, and the broken contract is the one that forbids this import
    assert done.returncode != 0, done.stdout + done.stderr
    broken = [text for text in done.stdout.splitlines() if text.endswith(" BROKEN") or " BROKEN (" in text]
    assert [text for text in broken if text.startswith(contract)], done.stdout + done.stderr
