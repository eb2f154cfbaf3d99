"""Issue 13 "too lenient": money up to 10¹⁶ yuan and birth dates in year 1 or 9999 were accepted.
Money is bounded at 10⁹ yuan (10¹¹ fen) wherever yuan are typed (common.money.yuan_to_fen: the
registry's, cases', rescue's and outreach's forms, the survey import, the engine's documents);
birth dates lie between 1900-01-01 and today (common.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.common.dates import birth_date_problem, day_problem
from bangfu.common.money import MAX_FEN, InvalidAmount, yuan_to_fen


def test_a_billion_yuan_is_the_most():
    assert yuan_to_fen("1000000000") == MAX_FEN == 10**11
    assert yuan_to_fen("1,000,000,000.00") == MAX_FEN


@pytest.mark.parametrize("raw", ["1000000000.01", "1" + "0" * 16, "1e999999", 10**30, "123456789012345678901234567890"])
def test_more_is_refused_with_a_clear_message(raw):
    with pytest.raises(InvalidAmount, match="过大：不能超过 1,000,000,000 元"):
        yuan_to_fen(raw)


def test_dates():
    assert day_problem(dt.date(1900, 1, 1)) is None and day_problem(dt.date(2099, 12, 31)) is None
    assert day_problem(dt.date(9999, 12, 31)) == "日期 9999-12-31 超出范围，应在 1900-01-01 至 2099-12-31 之间"
    assert day_problem(dt.date(1, 1, 1))
    today = dt.date(2026, 1, 10)
    assert birth_date_problem(dt.date(1950, 5, 1), today) is None
    assert birth_date_problem(dt.date(1, 1, 1), today) == "出生日期 0001-01-01 早于 1900-01-01，请核对"
    assert birth_date_problem(dt.date(9999, 12, 31), today) == "出生日期 9999-12-31 晚于今天"
    assert birth_date_problem(dt.date(2026, 1, 11), today)


def test_a_survey_money_cell_of_ten_to_the_sixteen_is_a_cell_error():
    from bangfu.registry.survey.cells import CellError, Money

    with pytest.raises(CellError, match="过大"):
        Money().parse(1e16)
    assert Money().parse(1234.5) == 123450


@pytest.mark.django_db
@pytest.mark.parametrize("kind, data, field, message", [
    ("income", {"kind": "wage", "monthly_amount_fen": "123456789012345678901234567890", "valid_from": "2025-01-01"},
     "monthly_amount_fen", "过大"),
    ("asset", {"kind": "vehicle", "value_fen": "1" + "0" * 16, "quantity": "1"}, "value_fen", "过大"),
    ("asset", {"kind": "vehicle", "value_fen": "100", "quantity": "123456789012345678901234567890"}, "quantity", "1000000"),
])
def test_household_item_forms_refuse_absurd_numbers(client, users, household_a, kind, data, field, message):
    """These were 500s: the number reached the database (Python int too large for SQLite INTEGER)."""
    client.raise_request_exception = False
    client.force_login(users["village_a"])
    response = client.post(f"/registry/households/{household_a.pk}/{kind}/add/", data)
    assert response.status_code in (200, 400), response.status_code
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field]), form.errors
