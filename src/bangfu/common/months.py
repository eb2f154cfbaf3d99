"""Calendar-month arithmetic, shared by the apps whose rules count months (benefits, rescue,
matching). A month is the date of its first day."""

from __future__ import annotations

import calendar
import datetime as dt


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, clamped to the month's end (31 Jan + 1 → 28/29 Feb),
    as the engine's next review date (policy.engine.expr.months_later) does."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_month(day: dt.date) -> dt.date:
    return add_months(month_of(day), 1)


def previous_month(day: dt.date) -> dt.date:
    return add_months(month_of(day), -1)


def parse_month(text: str | None) -> dt.date | None:
    """"2026-03" (or "2026-03-15") → 2026-03-01; None when empty or not a month."""
    text = (text or "").strip()
    try:
        year, month = text[:7].split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return None
