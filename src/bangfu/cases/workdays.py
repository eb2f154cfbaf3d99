"""Chinese working days for legal time limits (办法 §15, §20–22; architecture.md "working days").

A day is a working day when the deployment's `WorkdayOverride` table says so; otherwise as the
`chinesecalendar` package says (public holidays off, make-up working days 调休 on); for a year
the package does not know yet, Monday to Friday. The table wins, so a deployment can enter next
year's State Council notice before a new package release.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from functools import lru_cache

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext as _

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


def workday_counter(low: dt.date, high: dt.date):
    """`workdays_between` for many pairs of dates within `low` … `high`, with one read of the
    override table: the statistics average the working days to decision over a month's cases."""
    overrides = _overrides(low, high)
    index: dict[dt.date, int] = {}
    day, counted = low, 0
    while day <= high:
        override = overrides.get(day)
        counted += (_package_is_workday(day) if override is None else override)
        index[day] = counted
        day += ONE_DAY

    def count(start: dt.date, end: dt.date) -> int:
        if end <= start:
            return 0
        return index[end] - index[start]

    return count


# ----------------------------------------------------------------------------- the year's calendar


def package_knows(year: int) -> bool:
    """Whether the installed `chinesecalendar` carries the State Council's notice for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4)
def _entered_years(_minute: int) -> frozenset[int]:
    from .models import HolidayCalendar

    return frozenset(HolidayCalendar.objects.values_list("year", flat=True))


def calendar_confirmed(year: int) -> bool:
    """A year's deadlines are exact once the package or an administrator knows its holidays.
    Deadline lists ask this per row: the entered years are read at most once a minute."""
    return package_knows(year) or year in _entered_years(int(time.monotonic() // 60))


def unconfirmed_years(today: dt.date) -> list[int]:
    """This year and next, where neither the package nor an administrator has given the holidays
    (the notice for next year appears in November or December)."""
    return [y for y in (today.year, today.year + 1) if not calendar_confirmed(y)]


_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_HOLIDAY_LINE = re.compile(rf"^{_DATE}(?:\s*(?:至|到|~|～|—|–|--)\s*{_DATE})?\s*(.*)$")
_LONGEST_HOLIDAY = 15  # days; the longest national holiday (春节, 国庆) is 8–9 days


def _date(groups, year: int, line_no: int, errors: list[str]) -> dt.date | None:
    try:
        day = dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
    except ValueError:
        errors.append(_("第%(n)d行：日期不存在") % {"n": line_no})
        return None
    if day.year != year:
        errors.append(_("第%(n)d行：%(day)s 不在%(year)d年内") % {"n": line_no, "day": day.isoformat(), "year": year})
        return None
    return day


def calendar_parse(year: int, holidays: str, makeup_days: str) -> tuple[dict[dt.date, tuple[bool, str]], list[str]]:
    """The days a year's notice declares: {date: (is_workday, note)} and the errors, each naming
    its line. Holidays: one line per holiday, "2027-02-06至2027-02-13 春节" or one date; make-up
    days: one date per line with an optional note, and only a Saturday or Sunday can be one."""
    days: dict[dt.date, tuple[bool, str]] = {}
    errors: list[str] = []
    for kind, text in ((False, holidays), (True, makeup_days)):
        label = _("调休上班") if kind else _("放假")
        for line_no, raw in enumerate((text or "").splitlines(), start=1):
            line = unicodedata.normalize("NFKC", raw).strip()
            if not line:
                continue
            m = _HOLIDAY_LINE.match(line)
            if not m:
                errors.append(_("%(kind)s第%(n)d行：应为“日期 名称”，日期如 2027-01-01") % {"kind": label, "n": line_no})
                continue
            start = _date(m.groups()[0:3], year, line_no, errors)
            end = _date(m.groups()[3:6], year, line_no, errors) if m.group(4) else start
            name = m.group(7).strip()
            if start is None or end is None:
                continue
            if kind and end != start:
                errors.append(_("调休上班第%(n)d行：每行只写一天") % {"n": line_no})
                continue
            if end < start or (end - start).days >= _LONGEST_HOLIDAY:
                errors.append(_("放假第%(n)d行：截止日期应在起始日期之后、%(max)d天以内") % {"n": line_no, "max": _LONGEST_HOLIDAY})
                continue
            if not kind and not name:
                errors.append(_("放假第%(n)d行：请写节日名称，如“春节”") % {"n": line_no})
                continue
            if kind and start.weekday() < 5:
                errors.append(_("调休上班第%(n)d行：%(day)s 不是周末，本来就是工作日") % {"n": line_no, "day": start.isoformat()})
                continue
            day = start
            while day <= end:
                if day in days:
                    errors.append(_("%(kind)s第%(n)d行：%(day)s 已在前面出现") % {"kind": label, "n": line_no, "day": day.isoformat()})
                    break
                days[day] = (kind, name or (_("调休上班") if kind else ""))
                day += ONE_DAY
    if not errors and not any(not w for w, _note in days.values()):
        errors.append(_("请至少填写一个放假日期"))
    return days, errors


@transaction.atomic
def calendar_save(calendar, user) -> int:
    """Save a year's notice and rewrite the working-day table's rows for it; returns how many days
    it declares. The caller has validated with `calendar_parse` (the admin form does)."""
    from .models import WorkdayOverride

    days, errors = calendar_parse(calendar.year, calendar.holidays, calendar.makeup_days)
    if errors:
        raise ValueError(errors)
    calendar.entered_by = user
    calendar.save()
    WorkdayOverride.objects.filter(calendar=calendar).delete()
    for day, (is_workday_, note) in sorted(days.items()):
        WorkdayOverride.objects.update_or_create(date=day, defaults={"is_workday": is_workday_, "note": note,
                                                                       "calendar": calendar})
    _entered_years.cache_clear()
    return len(days)
