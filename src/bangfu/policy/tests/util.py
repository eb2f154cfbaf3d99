"""Test helpers: a pinned parameter set and one-household judging.

Rule tests run in a test province "99" whose dibao standards are pinned here (rural 650.00,
urban 800.00 from 2025-01-01, citation "测试文件第一条"), so that changing the shipped example
values cannot change the expected numbers. All other parameters are the shipped national
defaults (factors 1.0 / 1.5, rates 30 % / 20 %, age lines 80 / 60 / 16, …), which are national
rules the expected values are computed from by hand.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from bangfu.policy.engine import assess_documents
from bangfu.policy.parameters import Citation, ParameterSet, ValueSpec, default_parameter_set

ON = dt.date(2025, 8, 1)
REGION = "990101001001"
TEST_CITATION = Citation("测试文件", "第一条")


@lru_cache(maxsize=1)
def params() -> ParameterSet:
    return default_parameter_set().with_values([
        ValueSpec("dibao_standard_rural", "99", dt.date(2025, 1, 1), None, 65000, TEST_CITATION),
        ValueSpec("dibao_standard_urban", "99", dt.date(2025, 1, 1), None, 80000, TEST_CITATION),
    ])


def born(age: int, on: dt.date = ON, *, days_after_birthday: int = 100) -> str:
    """A birth date giving `age` on `on`, some days past the birthday (away from boundaries)."""
    birthday = on.replace(year=on.year - age)
    return (birthday - dt.timedelta(days=days_after_birthday)).isoformat()


def person(age: int, **fields: Any) -> dict:
    return {"birth_date": born(age), **fields}


def household(*members: dict, incomes: list | None = None, **fields: Any) -> dict:
    doc = {"region_code": REGION, "hukou_type": "rural", "members": list(members)}
    if incomes is not None:
        doc["incomes"] = incomes
    doc.update(fields)
    return doc


def wage(amount: str, member: int | None = 1, kind: str = "wage") -> dict:
    return {"member": member, "kind": kind, "monthly_amount": amount}


def judge(doc: dict, *, on: dt.date = ON, ps: ParameterSet | None = None) -> dict:
    return assess_documents([doc], on, ps or params())[0]


def fen(yuan: str) -> int:
    from decimal import Decimal

    return int(Decimal(yuan) * 100)


def reason_rules(result: dict) -> list[str]:
    return [r["rule"] for r in result["reasons"]]


def member(result: dict, index: int) -> dict:
    return result["members"][index]
