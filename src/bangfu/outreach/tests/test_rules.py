"""The frequency rule of R8 (seed 篇二 （二）1 “每个季度至少定期走访两次”), computed by hand."""

import datetime as dt

import pytest

from bangfu.outreach import rules

Q1_2025 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))  # 90 days


@pytest.mark.parametrize("day,expected", [
    (dt.date(2025, 3, 31), Q1_2025),
    (dt.date(2025, 4, 1), (dt.date(2025, 4, 1), dt.date(2025, 6, 30))),
    (dt.date(2024, 12, 31), (dt.date(2024, 10, 1), dt.date(2024, 12, 31))),
    (dt.date(2024, 2, 29), (dt.date(2024, 1, 1), dt.date(2024, 3, 31))),
])
def test_quarter_boundaries(day, expected):
    assert rules.quarter_of(day) == expected


@pytest.mark.parametrize("start,end,expected", [
    (dt.date(2024, 6, 1), None, 2),  # in force the whole quarter: N = 2
    (dt.date(2024, 6, 1), dt.date(2025, 2, 14), 1),  # 45 of 90 days: ceil(2 × 45 / 90) = 1
    (dt.date(2024, 6, 1), dt.date(2025, 2, 15), 2),  # 46 of 90 days: ceil(2 × 46 / 90) = 2
    (dt.date(2025, 3, 31), None, 1),  # one day still owes one visit
    (dt.date(2025, 4, 1), None, 0),  # not yet in force
    (dt.date(2024, 1, 1), dt.date(2024, 12, 31), 0),  # ended before the quarter
])
def test_required_visits_pro_rata(start, end, expected):
    assert rules.required_visits(2, start, end, Q1_2025) == expected


def test_sql_thresholds_agree_with_the_rule_for_every_span():
    for per_quarter in (1, 2, 3):
        for first in range(90):
            for last in range(first, 90):
                a, b = Q1_2025[0] + dt.timedelta(days=first), Q1_2025[0] + dt.timedelta(days=last)
                by_rule = rules.required_visits(per_quarter, a, b, Q1_2025)
                by_sql = next((k for k, d in rules.required_thresholds(per_quarter, Q1_2025) if (b - a).days >= d), 0)
                assert by_rule == by_sql


@pytest.mark.django_db
def test_parameter_resolution_most_specific_region_wins():
    from bangfu.outreach.models import OutreachParameter

    # given: the national default of migration 0002 and a county value from 2025
    assert rules.parameter_value("visits_per_quarter_min", "340102001001", dt.date(2025, 1, 1)) == 2
    OutreachParameter.objects.create(name="visits_per_quarter_min", region_prefix="340102", valid_from=dt.date(2025, 1, 1),
                                     value=3, citation="test")
    # then: the county's villages take 3 from 2025, not before; other counties keep 2
    assert rules.parameter_value("visits_per_quarter_min", "340102001001", dt.date(2025, 1, 1)) == 3
    assert rules.parameter_value("visits_per_quarter_min", "340102001001", dt.date(2024, 12, 31)) == 2
    assert rules.parameter_value("visits_per_quarter_min", "341122001001", dt.date(2025, 6, 1)) == 2


@pytest.mark.django_db
def test_national_default_answers_when_the_table_holds_no_row():
    """R8 (seed 篇二 （二）1): at least two visits a quarter. The rule stands even when the table
    is empty (a flushed test database, a deployment that deleted the national row); a national
    row in the table overrides it, and nothing answers before the default's start date."""
    from bangfu.outreach.models import OutreachParameter

    OutreachParameter.objects.all().delete()
    assert rules.parameter_value("visits_per_quarter_min", "340102001001", dt.date(2026, 10, 1)) == 2
    assert rules.parameter_value("followup_due_days", "340102001001", dt.date(2026, 10, 1)) == 30
    OutreachParameter.objects.create(name="visits_per_quarter_min", region_prefix="", valid_from=dt.date(2026, 1, 1),
                                     value=4, citation="test")
    assert rules.parameter_value("visits_per_quarter_min", "340102001001", dt.date(2026, 10, 1)) == 4
    with pytest.raises(rules.ParameterMissing):
        rules.parameter_value("visits_per_quarter_min", "340102001001", dt.date(2020, 12, 31))
