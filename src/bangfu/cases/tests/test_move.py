"""A household that moves takes its cases (and their investigations, objections and events) to the
new village: its offices see and act on them, the old ones do not; each moved case records the
move as an event and bumps its version (issue 11; cases/moves.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.accounts.access import NotFound
from bangfu.cases import selectors, services
from bangfu.cases.rules import CaseError
from bangfu.cases.models import Case, CaseEvent, Investigation
from bangfu.registry.services import household_update

DAY = dt.date(2025, 6, 9)  # as in conftest: a Monday with no holiday near


@pytest.fixture
def cases(flow, household_a):
    member = household_a.members.exclude(pk=household_a.head_id).get()
    dibao = flow.to_investigated(flow.create(household_a, today=DAY), DAY)
    tekun = flow.create(household_a, case_type="tekun", person=member, today=DAY)
    return {"dibao": dibao, "tekun": tekun}


def move(household, staff, regions):
    household_update(acting_user=staff["county"], household_id=household.pk, region_id=regions["village_b"].pk)


def test_cases_follow_the_household(cases, household_a, staff, regions):
    versions = {k: c.version for k, c in cases.items()}
    move(household_a, staff, regions)
    ids = {c.pk for c in cases.values()}
    for pk in ids:
        assert selectors.case_get(staff["village_b"], pk).region_code == regions["village_b"].code
        with pytest.raises(NotFound):
            selectors.case_get(staff["village_a"], pk)
    assert set(selectors.open_cases(staff["township_b"]).values_list("pk", flat=True)) == ids
    assert not selectors.open_cases(staff["township_a"]).exists()
    inbox_b, _ = selectors.inbox(staff["township_b"])
    inbox_a, _ = selectors.inbox(staff["township_a"])
    assert {c.pk for c in inbox_b} == ids and inbox_a == []
    code = regions["village_b"].code
    for model in (Investigation, CaseEvent):
        assert set(model.objects.filter(case_id__in=ids).values_list("region_code", flat=True)) == {code}, model
    # each case records the move and bumps its version
    for key, case in cases.items():
        case.refresh_from_db()
        assert case.version == versions[key] + 1
        last = case.events.order_by("-at", "-pk").first()
        assert (last.action, last.actor, last.comment) == ("household_moved", staff["county"], "胜利社区 → 大兴村")
        assert last.from_state == last.to_state == case.state


def test_the_new_township_acts_and_a_form_opened_before_the_move_is_refused(cases, household_a, staff, regions, flow):
    stale = cases["dibao"].version
    move(household_a, staff, regions)
    with pytest.raises(CaseError):
        services.case_perform(acting_user=staff["township_b"], case_id=cases["dibao"].pk, action="propose_approval", version=stale,
                         data={"comment": "符合条件"}, today=DAY)
    with pytest.raises((CaseError, NotFound)):
        flow.do(cases["dibao"], "propose_approval", "township_a", DAY, comment="符合条件")
    case = flow.do(cases["dibao"], "propose_approval", "township_b", DAY, comment="符合条件")
    assert case.region_code == regions["village_b"].code


def test_case_page_follows_the_household(cases, household_a, staff, regions, client):
    move(household_a, staff, regions)
    url = reverse("cases:case_detail", args=[cases["dibao"].pk])
    client.force_login(staff["village_b"])
    page = client.get(url)
    assert page.status_code == 200 and "家庭迁居" in page.content.decode()
    client.force_login(staff["village_a"])
    assert client.get(url).status_code == 404
    assert Case.objects.filter(region_code=regions["village_a"].code).count() == 0
