"""The engine is pure (architecture.md, issue 3 "Design"): no Django, no ORM inside."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

POLICY = Path(__file__).resolve().parent.parent
PURE_MODULES = sorted([*POLICY.joinpath("engine").glob("*.py"), *POLICY.joinpath("parameters").glob("*.py"), POLICY / "vocab.py",
                       POLICY.parent / "common" / "texts.py"])


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                package = path.parent.relative_to(POLICY.parent.parent).parts
                base = ".".join(package[: len(package) - node.level + 1])
                names.add(f"{base}.{node.module}" if node.module else base)
            else:
                names.add(node.module or "")
    return names


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_django_import(path):
    names = imported_modules(path)
    assert not [n for n in names if n == "django" or n.startswith("django.")], names
    forbidden = {"bangfu.policy.models", "bangfu.policy.selectors", "bangfu.registry", "bangfu.registry.models"}
    assert not [n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden)], names


def test_importing_the_engine_loads_no_django():
    code = ("import sys; import bangfu.policy.engine, bangfu.policy.parameters; "
            "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    src = str(POLICY.parent.parent)
    done = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
