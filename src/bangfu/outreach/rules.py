"""The visit frequency rule of R8 and its dated parameters.

R8 / seed 篇二 （二）1: "每个季度至少定期走访两次" — each pair is visited at least
`visits_per_quarter_min` times per calendar quarter (default 2, a parameter).

A pairing that starts or ends inside a quarter owes visits in proportion to the days it was in
force, rounded up: required = ceil(N × active days / days of the quarter). A full quarter owes N;
a pairing in force for one day still owes one visit; one that ended on the 45th day of a 90-day
quarter owes ceil(2 × 45 / 90) = 1. The seed does not say what a part quarter owes; rounding up
keeps "at least" true for every pair and never asks more than N.
"""

from __future__ import annotations

import datetime as dt
import math

from bangfu.regions.codes import RegionCode

from .models import OutreachParameter

PARAMETER_NAMES = ("visits_per_quarter_min", "followup_due_days")

# The national defaults, in force from 2021-01-01 (migration 0002 writes the same rows so that
# they show and can be overridden in the admin). A region's own row, or a national row in the
# table, wins; these answer when the table holds none, e.g. after a test database is flushed.
NATIONAL_DEFAULTS: dict[str, tuple[int, dt.date, str]] = {
    "visits_per_quarter_min": (2, dt.date(2021, 1, 1), "困难群众帮扶工作方案篇二 （二）1“每个季度至少定期走访两次”"),
    "followup_due_days": (30, dt.date(2021, 1, 1), "本系统默认办理期限（帮扶工作方案未规定，地区可按需设置）"),
}


class ParameterMissing(LookupError):
    pass


def region_ancestry(code: str) -> list[str]:
    """Prefixes of a 12-digit code from village (12) to province (2), then the nation ("")."""
    region = RegionCode.from_digits(code)
    return [region.prefix, *(a.prefix for a in reversed(region.ancestors)), ""]


def parameter_value(name: str, region_code: str, on: dt.date) -> int:
    """The value of `name` for a region on a day: the most specific prefix with a row in force."""
    rows = OutreachParameter.objects.filter(name=name, region_prefix__in=region_ancestry(region_code), valid_from__lte=on)
    best = None
    for row in rows:
        if row.valid_to is not None and row.valid_to <= on:
            continue
        key = (len(row.region_prefix), row.valid_from)
        if best is None or key > best[0]:
            best = (key, row)
    if best is None:
        default = NATIONAL_DEFAULTS.get(name)
        if default is not None and default[1] <= on:
            return default[0]
        raise ParameterMissing(f"参数 {name} 在 {on} 对区划 {region_code} 没有有效取值")
    return best[1].value


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar quarter holding `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1) - dt.timedelta(days=1))
    return start, end


def active_days(start: dt.date, end: dt.date | None, quarter: tuple[dt.date, dt.date]) -> int:
    q_start, q_end = quarter
    first, last = max(start, q_start), min(end or q_end, q_end)
    return max((last - first).days + 1, 0)


def required_visits(per_quarter: int, start: dt.date, end: dt.date | None, quarter: tuple[dt.date, dt.date]) -> int:
    """Visits a pairing owes in a quarter (see module docstring)."""
    days = active_days(start, end, quarter)
    q_days = (quarter[1] - quarter[0]).days + 1
    return math.ceil(per_quarter * days / q_days) if days else 0


def required_thresholds(per_quarter: int, quarter: tuple[dt.date, dt.date]) -> list[tuple[int, int]]:
    """(k, d): the pairing owes at least k visits when (last active day − first active day) ≥ d
    days; k from N down to 1. The SQL form of `required_visits` (selectors.overdue_pairings):
    ceil(N·a/Q) ≥ k ⇔ a > (k−1)·Q/N ⇔ a − 1 ≥ floor((k−1)·Q/N) for whole days a."""
    q_days = (quarter[1] - quarter[0]).days + 1
    return [(k, math.floor((k - 1) * q_days / per_quarter)) for k in range(per_quarter, 0, -1)]
