"""The rescue app's role × action × region matrix, generated from rescue/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside the region. The stays
are at station A (瑶海区); station staff are inside at their own station (A) and outside at
station B (庐阳区); a returnee's home is village A, where the home office follows them up."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.accounts.choices import Role
from bangfu_testing import matrix
from bangfu_testing.factories import make_id_number
from bangfu.rescue import permissions as p
from bangfu.rescue import services
from bangfu.rescue.models import PreventionEntry

from .conftest import at

pytestmark = pytest.mark.django_db

ENTRIES = {
    p.RESCUE_EDIT: lambda user, w: services.tracing_step_record(acting_user=user, stay_id=w["open"].pk, kind="notice",
                                                                done_at=at(2025, 3, 2, 10), done_by="李站"),
    p.RESCUE_VIEW: matrix.page(lambda w: f"/rescue/stays/{w['returnee'].pk}/"),
    p.RESCUE_FOLLOW_UP: lambda user, w: services.follow_up_record(acting_user=user, entry_id=w["entry"].pk, kind="visit",
                                                                  done_on=dt.date(2025, 4, 3), note="已返家"),
    p.RESCUE_SETTLE: lambda user, w: services.settlement_plan(
        acting_user=user, case_id=w["settlement"].pk, version=w["settlement"].version, planned_on=dt.date(2025, 6, 20),
        outcome="child_welfare", orphan_benefit=True, institution_name="合肥市儿童福利院"),
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("rescue", ENTRIES)


@pytest.fixture
def world(intake, staff, regions):
    returnee = intake(arrival_at=at(2025, 3, 1, 9, 30))
    services.identity_confirm(acting_user=staff["a"], stay_id=returnee.pk, id_number=make_id_number(area="340102"),
                              name="王大山", home_region_code=regions["village_a"].code)
    services.stay_end(acting_user=staff["a"], stay_id=returnee.pk, ended_at=at(2025, 3, 5, 10), reason="returned_home",
                      destination="胜利路8号")
    minor = intake(arrival_at=at(2025, 3, 1, 9, 30), referral_source="patrol", is_minor=True, capable_adult=False,
                   handover_document="JJ-1", birth_date=dt.date(2013, 1, 1), birth_date_estimated=True)
    settlement = services.settlement_apply(acting_user=staff["a"], stay_id=minor.pk, applied_on=dt.date(2025, 6, 10))
    return {"open": intake(), "returnee": returnee, "entry": PreventionEntry.objects.get(), "settlement": settlement}


@pytest.mark.parametrize(("action", "role"), matrix.cases("rescue"))
def test_role_action_region(action, role, regions, staff, world):
    inside, outside = matrix.actors(regions, role)
    if role == Role.STATION_STAFF:
        inside, outside = staff["a"], staff["b"]
    matrix.check("rescue", action, role, ENTRIES, world, inside, outside)
