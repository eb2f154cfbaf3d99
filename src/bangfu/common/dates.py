"""Plausible dates (issue 13 "too lenient", "server errors on bad input"). Pure: no Django.

A date a user or a caller types is a real date but not always a plausible one: year 1 and year
9999 parse, and 9999-12-31 breaks the first computation that adds a day. Birth dates lie between
1900-01-01 and today; any other date a page or the API takes (an assessment date, a quarter, a
period) between 1900-01-01 and 2099-12-31.
"""

from __future__ import annotations

import datetime as dt

from bangfu.common.texts import _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2099, 12, 31)


def day_problem(day: dt.date | None) -> str | None:
    """Why `day` is not a plausible date, or None."""
    if day is None or EARLIEST <= day <= LATEST:
        return None
    return _("日期 %(day)s 超出范围，应在 %(first)s 至 %(last)s 之间") % {
        "day": day.isoformat(), "first": EARLIEST.isoformat(), "last": LATEST.isoformat()}


def birth_date_problem(day: dt.date | None, today: dt.date | None = None) -> str | None:
    """Why `day` is not a plausible birth date (before 1900, or after `today`), or None."""
    if day is None:
        return None
    today = today or dt.date.today()
    if day > today:
        return _("出生日期 %(day)s 晚于今天") % {"day": day.isoformat()}
    if day < EARLIEST:
        return _("出生日期 %(day)s 早于 %(first)s，请核对") % {"day": day.isoformat(), "first": EARLIEST.isoformat()}
    return None
