"""Keep the column table of the user guide (docs/registry.md) in step with columns.COLUMNS.

    PYTHONPATH=src python -m bangfu.registry.survey.docs docs/registry.md   # rewrite the table

The table sits between the two markers below; a test fails when it differs from the spec.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

START = "<!-- survey-columns:start (generated from bangfu.registry.survey.columns; do not edit by hand) -->"
END = "<!-- survey-columns:end -->"
BLOCK = re.compile(re.escape(START) + r"\n(.*?)\n" + re.escape(END), re.S)


def table_in(text: str) -> str | None:
    match = BLOCK.search(text)
    return match.group(1) if match else None


def update(path: Path) -> bool:
    """Rewrite the table in `path`; returns whether it changed."""
    from .columns import markdown_table

    text = path.read_text(encoding="utf-8")
    if table_in(text) is None:
        raise SystemExit(f"{path}: markers not found")
    new = BLOCK.sub(lambda _m: f"{START}\n{markdown_table()}\n{END}", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    os.environ.setdefault("BANGFU_DEBUG", "1")
    django.setup()
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/registry.md")
    print("updated" if update(target) else "unchanged", target)
