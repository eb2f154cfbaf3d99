"""Region codes and the prefix arithmetic that scoping relies on.

Every region has a 12-digit statistical code (GB/T 2260 for the first six digits, padded with
zeros; townships fill digits 7–9, villages 10–12). A region's subtree is then exactly the codes
between `low` and `high` below: a plain range on a B-tree index, the same on SQLite and
PostgreSQL whatever the collation, since all codes are 12 ASCII digits.
"""

from __future__ import annotations

from .choices import Level

PREFIX_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}


def full_code(code: str) -> str:
    code = code.strip()
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValueError(f"区划代码“{code}”应为6、9或12位数字")
    return code.ljust(12, "0")


def level_of(code12: str) -> Level:
    if code12[6:] != "000000":
        return Level.VILLAGE if code12[9:] != "000" else Level.TOWNSHIP
    if code12[4:6] != "00":
        return Level.COUNTY
    if code12[2:4] != "00":
        return Level.CITY
    return Level.PROVINCE


def prefix_of(code12: str, level: Level) -> str:
    return code12[: PREFIX_LENGTH[Level(level)]]


def subtree_bounds(prefix: str) -> tuple[str, str]:
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def parent_code(code12: str) -> str | None:
    level = level_of(code12)
    if level == Level.PROVINCE:
        return None
    parent_level = Level(level - 1)
    return code12[: PREFIX_LENGTH[parent_level]].ljust(12, "0")
