"""The stay page's tracing checklist and settlement flag, read by selectors (R22, R24)."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu_testing.factories import make_id_number
from bangfu.rescue import choices as c
from bangfu.rescue import selectors, services

from .conftest import at

pytestmark = pytest.mark.django_db


def _lines(stay, now):
    _deadlines, checklist = selectors.tracing_checklist(stay, now=now)
    return {item.kind: (item.done, item.late) for item in checklist}


def test_checklist_marks_the_notice_late_after_24_hours_and_the_dna_after_one_month(intake, staff):
    # given an unidentified person who arrived on 1 March at 9:30
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))

    # then the notice is late from the minute after 24 hours, the DNA from the day after a month
    assert _lines(stay, at(2025, 3, 2, 9, 30))["notice"] == (False, False)
    assert _lines(stay, at(2025, 3, 2, 9, 31))["notice"] == (False, True)
    assert _lines(stay, at(2025, 4, 1, 23, 0))["dna"] == (False, False)
    assert _lines(stay, at(2025, 4, 2, 0, 1))["dna"] == (False, True)
    deadlines, checklist = selectors.tracing_checklist(stay, now=at(2025, 3, 1, 10))
    by_kind = {item.kind: item for item in checklist}
    assert by_kind["notice"].deadline == deadlines.notice_by == at(2025, 3, 2, 9, 30)
    assert by_kind["dna"].deadline == deadlines.dna_by == dt.date(2025, 4, 1)
    assert [item.kind for item in checklist] == [kind for kind, _label in c.TracingStepKind.choices]


def test_checklist_step_done_is_never_late(intake, staff):
    # given a stay whose notice and DNA were done
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    services.tracing_step_record(acting_user=staff["a"], stay_id=stay.pk, kind="notice", done_at=at(2025, 3, 1, 12), done_by="李站")
    services.tracing_step_record(acting_user=staff["a"], stay_id=stay.pk, kind="dna", done_at=at(2025, 3, 3, 12), done_by="瑶海公安分局")

    # when read long after both deadlines
    lines = _lines(stay, at(2025, 6, 1, 9))

    # then both are done and neither is late
    assert lines["notice"] == (True, False)
    assert lines["dna"] == (True, False)


def test_checklist_is_empty_for_a_known_person(intake):
    stay = intake(name="小明", id_number=make_id_number(birth=dt.date(1975, 5, 5)))
    assert stay.identity_status == c.IdentityStatus.KNOWN

    deadlines, checklist = selectors.tracing_checklist(stay, now=at(2025, 6, 1, 9))

    assert checklist == []
    assert deadlines.notice_by == at(2025, 3, 2, 9, 30)


def test_stay_settlement_due_from_the_day_after_three_months_for_an_open_unidentified_stay(intake):
    stay = intake(arrival_at=at(2025, 3, 1, 9, 30))
    known = intake(name="小明", id_number=make_id_number(birth=dt.date(1975, 5, 5)))

    assert not selectors.stay_settlement_due(stay, today=dt.date(2025, 6, 1))
    assert selectors.stay_settlement_due(stay, today=dt.date(2025, 6, 2))
    assert not selectors.stay_settlement_due(known, today=dt.date(2025, 6, 2))
