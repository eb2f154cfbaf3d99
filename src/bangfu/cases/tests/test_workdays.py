"""Working-day time limits across the 2025 National Day holiday (办法 §15, §20–22).

chinesecalendar 1.11, State Council notice for 2025: 1–8 October off (National Day and
Mid-Autumn); Sunday 28 September and Saturday 11 October are make-up working days (调休)."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.cases.models import WorkdayOverride
from bangfu.cases.workdays import add_workdays, is_workday, workdays_between

pytestmark = pytest.mark.django_db

D = dt.date


def test_make_up_sunday_counts():
    """Accepted Fri 26 Sep: Sun 28 Sep is a make-up working day (1), Mon 29 (2), Tue 30 (3) →
    the investigation must start by Tue 30 Sep, not Wed 1 Oct."""
    assert add_workdays(D(2025, 9, 26), 3) == D(2025, 9, 30)


def test_holiday_skipped_and_make_up_saturday_counts():
    """Accepted Tue 30 Sep: 1–8 Oct off; Thu 9 (1), Fri 10 (2), Sat 11 make-up (3) → Sat 11 Oct."""
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_county_decision_ten_days_across_the_holiday():
    """Reported Tue 30 Sep: 9, 10, 11 (make-up), 13, 14, 15, 16, 17, 20, 21 Oct → Tue 21 Oct."""
    assert add_workdays(D(2025, 9, 30), 10) == D(2025, 10, 21)
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 21)) == 10


def test_table_overrides_the_package():
    """A deployment declares Fri 10 Oct a day off: Thu 9 (1), Sat 11 (2), Mon 13 (3)."""
    WorkdayOverride.objects.create(date=D(2025, 10, 10), is_workday=False, note="本地调整（测试）")
    assert not is_workday(D(2025, 10, 10))
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 13)


def test_year_unknown_to_the_package_uses_weekdays_and_the_table():
    """2027 is not in chinesecalendar 1.11: Mon–Fri, plus what the table says. Fri 1 Jan 2027 as
    a day off (New Year, entered by the deployment): from Thu 31 Dec 2026 + 1 → Mon 4 Jan 2027."""
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert is_workday(D(2027, 1, 5))


def test_case_deadlines_across_national_day(flow, household_a):
    """A dibao application accepted Fri 26 Sep 2025: investigation by Tue 30 Sep (3); the whole
    case 30 working days: 28, 29, 30 Sep (3), 9, 10, 11 Oct (6), 13–17 (11), 20–24 (16),
    27–31 (21), 3–7 Nov (26), 10, 11, 12, 13 Nov (30) → Thu 13 Nov 2025."""
    case = flow.create(household_a, today=D(2025, 9, 26))
    case = flow.do(case, "accept", "township_a", D(2025, 9, 26))
    assert case.step_deadline == D(2025, 9, 30)
    assert case.overall_deadline == D(2025, 11, 13)
    assert case.due_date == D(2025, 9, 30)


def test_extension_to_45_days(flow, household_a):
    """办法 §22: 45 working days in special cases, with a recorded reason. From Fri 26 Sep: the
    30th is Thu 13 Nov; 14, 17–21 (36), 24–28 (41), 1–4 Dec (45) → Thu 4 Dec 2025."""
    case = flow.create(household_a, today=D(2025, 9, 26))
    flow.do(case, "accept", "township_a", D(2025, 9, 26))
    flow.do(case, "start_investigation", "township_a", D(2025, 9, 28))
    case = flow.do(case, "extend", "county", D(2025, 10, 9), comment="需跨省核对存款")
    assert case.extended and case.overall_deadline == D(2025, 12, 4)
