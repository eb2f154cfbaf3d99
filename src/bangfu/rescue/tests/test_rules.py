"""The rescue rules against cases worked out by hand from the texts they cite."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.rescue import rules
from bangfu.rescue.choices import CareLevel, SettlementOutcome

from .conftest import at


def test_notice_deadline_is_24_hours_after_arrival():
    """2015 opinion 二（一）, seed 篇四 二（三）: notice within 24 hours of arrival."""
    arrival = at(2025, 3, 1, 21, 15)
    assert rules.tracing_deadlines(arrival).notice_by == at(2025, 3, 2, 21, 15)
    assert not rules.notice_overdue(arrival, at(2025, 3, 2, 21, 15), now=at(2025, 3, 9))
    assert rules.notice_overdue(arrival, at(2025, 3, 2, 21, 16), now=at(2025, 3, 9))
    assert not rules.notice_overdue(arrival, None, now=at(2025, 3, 2, 21, 0))
    assert rules.notice_overdue(arrival, None, now=at(2025, 3, 2, 21, 16))


@pytest.mark.parametrize(("arrival", "dna_by"), [
    (at(2025, 3, 1, 9), dt.date(2025, 4, 1)),
    (at(2025, 1, 31, 9), dt.date(2025, 2, 28)),  # no 31 February: the month's last day
    (at(2024, 1, 31, 9), dt.date(2024, 2, 29)),
    (at(2025, 12, 15, 9), dt.date(2026, 1, 15)),
])
def test_dna_deadline_is_one_calendar_month(arrival, dna_by):
    """2015 opinion 二（一）: DNA taken within one month for those still unidentified."""
    assert rules.tracing_deadlines(arrival).dna_by == dna_by
    assert not rules.dna_overdue(arrival, None, dna_by)
    assert rules.dna_overdue(arrival, None, dna_by + dt.timedelta(days=1))
    assert not rules.dna_overdue(arrival, dna_by, dna_by + dt.timedelta(days=30))


def test_settlement_only_after_more_than_three_months():
    """Seed 篇四 二（五）: unidentified and staying *over* 3 months. Arrival 10 Jan → 10 Apr is
    exactly 3 months (not yet); 11 Apr is over."""
    arrival = at(2025, 1, 10, 8)
    assert not rules.settlement_due(arrival, dt.date(2025, 4, 9))
    assert not rules.settlement_due(arrival, dt.date(2025, 4, 10))
    assert rules.settlement_due(arrival, dt.date(2025, 4, 11))
    # 30 Nov + 3 months = 28 Feb (no 30 Feb)
    assert rules.settlement_due(at(2024, 11, 30, 8), dt.date(2025, 3, 1))
    assert not rules.settlement_due(at(2024, 11, 30, 8), dt.date(2025, 2, 28))


@pytest.mark.parametrize(("unable", "level"), [
    (0, CareLevel.SELF_CARING), (1, CareLevel.PARTLY_DEPENDENT), (3, CareLevel.PARTLY_DEPENDENT),
    (4, CareLevel.FULLY_DEPENDENT), (6, CareLevel.FULLY_DEPENDENT),
])
def test_care_level_from_six_activities(unable, level):
    """特困人员认定办法: all six able = self-caring; 1–3 unable = partly; ≥ 4 = fully dependent."""
    assert rules.care_level(unable) == level


RATES = rules.Rates(bed_fen=60000, rehab_fen=30000, other_fen=10000, margin_bp=1000,
                    care_fen={CareLevel.SELF_CARING: 20000, CareLevel.PARTLY_DEPENDENT: 90000, CareLevel.FULLY_DEPENDENT: 150000})


def test_month_cost_with_a_care_level_change_mid_month():
    """R22 (seed 篇四 二（三）): bed + care by self-care + rehabilitation + other, plus a margin.
    June 2025 has 30 days. By hand: partly 600+900+300+100 = 1900 元 × 1.10 = 2090 元/month for
    1–14 June (14 days); fully 600+1500+300+100 = 2500 × 1.10 = 2750 元/month from 15 June
    (16 days): 2090 × 14/30 + 2750 × 16/30 = (29260 + 44000) / 30 = 2442.00 元."""
    total, lines = rules.month_cost(year=2025, month=6, placed=[(dt.date(2025, 5, 20), None)],
                                    levels=[(dt.date(2025, 6, 15), CareLevel.FULLY_DEPENDENT), (dt.date(2025, 5, 20), CareLevel.PARTLY_DEPENDENT)],
                                    rates=RATES)
    assert total == 244200
    assert [(line.start.day, line.end.day, line.days, line.level) for line in lines] == [
        (1, 14, 14, CareLevel.PARTLY_DEPENDENT), (15, 30, 16, CareLevel.FULLY_DEPENDENT)]


def test_month_cost_placed_mid_month_rounds_half_up_once():
    """Self-caring: 600+200+300+100 = 1200 × 1.10 = 1320 元/month. Placed from 21 Feb 2025 (28-day
    month): 8 days → 1320 × 8/28 = 377.142857… 元 → 377.14 元."""
    total, _ = rules.month_cost(year=2025, month=2, placed=[(dt.date(2025, 2, 21), None)],
                                levels=[(dt.date(2025, 2, 21), CareLevel.SELF_CARING)], rates=RATES)
    assert total == 37714


def test_month_cost_outside_the_placement_is_zero():
    total, lines = rules.month_cost(year=2025, month=7, placed=[(dt.date(2025, 5, 1), dt.date(2025, 6, 30))],
                                    levels=[(dt.date(2025, 5, 1), CareLevel.SELF_CARING)], rates=RATES)
    assert total == 0 and lines == []


@pytest.mark.parametrize(("escorted", "capable", "vulnerable", "consent", "handover", "fields"), [
    (True, True, False, False, False, {"consent_given"}),  # capable adult escorted without consent
    (True, True, False, True, False, set()),
    (False, True, False, False, False, set()),  # walked in: no escort, no consent needed
    (True, False, True, False, False, {"handover_document"}),  # a minor or disabled person: written handover
    (True, False, True, False, True, set()),
    (True, True, True, False, True, set()),  # elderly but capable: the handover rule governs
])
def test_escort_needs_consent_of_a_capable_adult_and_a_handover_for_the_vulnerable(escorted, capable, vulnerable, consent, handover, fields):
    """Seed 篇四 二（二）(R21): escort the disabled, minors, elderly and immobile with a written
    handover; escort a person with full civil capacity only with their consent."""
    problems = rules.escort_problems(escorted=escorted, capable_adult=capable, vulnerable=vulnerable, consent=consent, handover=handover)
    assert set(problems) == fields


def test_minor_settlement_outcome():
    """Seed 篇四 二（五）: a minor must go to a children's welfare institution and the orphan benefit."""
    p = rules.settlement_outcome_problems
    assert "outcome" in p(minor=True, outcome=SettlementOutcome.TEKUN_INSTITUTION, orphan_benefit=True, tekun_eligible=True)
    assert "orphan_benefit" in p(minor=True, outcome=SettlementOutcome.CHILD_WELFARE, orphan_benefit=False, tekun_eligible=False)
    assert p(minor=True, outcome=SettlementOutcome.CHILD_WELFARE, orphan_benefit=True, tekun_eligible=False) == {}
    assert "outcome" in p(minor=False, outcome=SettlementOutcome.CHILD_WELFARE, orphan_benefit=True, tekun_eligible=True)
    assert "outcome" in p(minor=False, outcome=SettlementOutcome.TEKUN_INSTITUTION, orphan_benefit=False, tekun_eligible=False)
    assert p(minor=False, outcome=SettlementOutcome.TEKUN_INSTITUTION, orphan_benefit=False, tekun_eligible=True) == {}


def test_is_minor_by_birth_date_or_flag():
    """民法典 第十七条: 18 years and over are adults."""
    assert rules.is_minor(dt.date(2007, 6, 2), dt.date(2025, 6, 1))
    assert not rules.is_minor(dt.date(2007, 6, 1), dt.date(2025, 6, 1))
    assert rules.is_minor(None, dt.date(2025, 6, 1), flagged=True)
