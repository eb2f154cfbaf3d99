"""Chinese working days for legal time limits (办法 §15, §20–22; architecture.md "working days").

A day is a working day when the deployment's `WorkdayOverride` table says so; otherwise as the
`chinesecalendar` package says (public holidays off, make-up working days 调休 on); for a year
the package does not know yet, Monday to Friday. The table wins, so a deployment can enter next
year's State Council notice before a new package release.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)
# A limit of n working days never spans more than this many calendar days (45 working days with
# the longest Golden Week stays far below it); it bounds the one override query.
_SPAN_FACTOR = 3
_SPAN_EXTRA = 30


def _package_is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # year outside the package's data
        return day.weekday() < 5


def _overrides(low: dt.date, high: dt.date) -> dict[dt.date, bool]:
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.filter(date__gte=low, date__lte=high).values_list("date", "is_workday"))


def is_workday(day: dt.date) -> bool:
    override = _overrides(day, day).get(day)
    return _package_is_workday(day) if override is None else override


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (`start` itself not counted): a limit "within n working
    days of acceptance" ends on this day. n = 0 gives `start`."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return start
    overrides = _overrides(start, start + dt.timedelta(days=n * _SPAN_FACTOR + _SPAN_EXTRA))
    day, counted = start, 0
    while counted < n:
        day += ONE_DAY
        override = overrides.get(day)
        if (_package_is_workday(day) if override is None else override):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    day, counted = start, 0
    while day < end:
        day += ONE_DAY
        override = overrides.get(day)
        counted += (_package_is_workday(day) if override is None else override)
    return counted
