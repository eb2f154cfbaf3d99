"""Fixtures of the policy tests: a parameter cache emptied around each test (a test that sets a
value must not leak it into the next), and household_a (src/bangfu/conftest.py) with the head's
wage of 600.00 a month from 2024-01-01."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.policy import current
from bangfu.registry import services as registry_services


@pytest.fixture(autouse=True)
def _fresh_cache():
    current.clear()
    yield
    current.clear()


@pytest.fixture
def earning(household_a, users):
    registry_services.item_add(acting_user=users["village_a"], household_id=household_a.pk, kind="income",
                               data={"kind": "wage", "monthly_amount_fen": 60000, "valid_from": dt.date(2024, 1, 1)})
    return household_a
