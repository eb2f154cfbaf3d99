"""The engine's reasons follow the active language (issue 11), and the per-language caches of
reason expressions and parameter texts do not leak one language into the other."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from bangfu.policy.engine import assess_documents

DOC = {"region_code": "340102001001", "hukou_type": "rural",
       "members": [{"birth_date": "1980-01-01", "relation": "head", "labor_capacity": "full"}],
       "incomes": [{"kind": "wage", "monthly_amount": "300"}]}
ON = dt.date(2025, 8, 1)


def reasons(language: str) -> list[str]:
    with translation.override(language):
        return [r["text"] for r in assess_documents([DOC], ON)[0]["reasons"]]


def test_reasons_follow_the_active_language_and_back():
    chinese = reasons("zh-hans")
    english = reasons("en")
    again = reasons("zh-hans")
    assert any(t.startswith("家庭月人均收入 300.00 元，低于当地农村低保标准") for t in chinese)
    assert any(t.startswith("Monthly income per head is 300.00 yuan, below the local rural dibao standard") for t in english)
    assert "(Rural dibao standard, from " in " ".join(english)
    assert again == chinese
