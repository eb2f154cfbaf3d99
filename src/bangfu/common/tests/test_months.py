"""Calendar-month arithmetic shared by benefits (payment months, review dates), rescue (DNA within
a month, settlement after 3 months) and matching (certificate checks, stop after a death)."""

import datetime as dt

import pytest

from bangfu.common.months import add_months, month_of, next_month, parse_month, previous_month

D = dt.date


@pytest.mark.parametrize(("day", "n", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),  # clamped to the month's end
    (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
    (D(2100, 1, 31), 1, D(2100, 2, 28)),  # a century year that is not a leap year
    (D(2026, 11, 15), 3, D(2027, 2, 15)),  # across the year
    (D(2026, 3, 1), -3, D(2025, 12, 1)),
])
def test_add_months(day, n, expected):
    assert add_months(day, n) == expected


def test_months_are_first_days():
    assert month_of(D(2026, 12, 31)) == D(2026, 12, 1)
    assert next_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert previous_month(D(2026, 1, 15)) == D(2025, 12, 1)
    assert parse_month("2026-03") == D(2026, 3, 1) and parse_month("2026-13") is None and parse_month("") is None
