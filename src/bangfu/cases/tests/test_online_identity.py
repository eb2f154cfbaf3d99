"""An online application in someone else's name (issue 13): the public form attaches the case to
the household of the member whose ID number was typed, but anyone can type a neighbour's ID
number. The case is marked "identity not verified" until the township sees the applicant in
person, cannot be accepted before, and the form never changes registry data."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from bangfu.cases import services
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import Case
from bangfu.cases.services import CaseError
from bangfu.registry.models import Household, Person

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _registry(household) -> tuple:
    """Everything the registry holds about the household, to compare before and after."""
    return (model_to_dict(Household.objects.get(pk=household.pk)),
            [model_to_dict(p) for p in Person.objects.filter(household=household).order_by("pk")],
            household.history.count() if hasattr(household, "history") else None)


def _apply_as(regions, member, **over) -> Case:
    data = dict(ip="10.0.0.1", case_type="dibao", region=regions["village_a"], applicant_name="冒名者",
                applicant_id_number=member.id_number, applicant_phone="13900000000", address="别处路9号",
                statement="代为申请", today=DAY)
    data.update(over)
    return services.online_application_create(**data)


def test_application_with_a_members_id_number_is_marked_unverified(household_a, regions):
    # given: a registered member's ID number, typed by someone with another name, phone and address
    head = household_a.head
    before = _registry(household_a)
    # when
    case = _apply_as(regions, head)
    # then: attached, marked, and the registry untouched
    assert case.household == household_a and case.identity_unverified
    assert _registry(household_a) == before
    head.refresh_from_db()
    assert head.name == "张伟" and head.phone != "13900000000"


def test_application_without_a_registered_member_is_not_marked(regions):
    case = services.online_application_create(
        ip="10.0.0.1", case_type="dibao", region=regions["village_a"], applicant_name="外来户",
        applicant_id_number="340102198005170999", applicant_phone="13800000000", address="x", statement="y", today=DAY)
    assert case.household is None and not case.identity_unverified


def test_worker_entered_cases_are_not_marked(flow, household_a):
    assert not flow.create(household_a, today=DAY).identity_unverified


def test_unverified_case_cannot_be_accepted(flow, household_a, regions):
    case = _apply_as(regions, household_a.head)
    with pytest.raises(CaseError, match="身份未核实"):
        flow.do(case, "accept", "township_a", DAY)
    case.refresh_from_db()
    assert case.state == S.SUBMITTED and case.identity_unverified


def test_township_verifies_in_person_then_accepts(flow, household_a, regions, staff):
    case = _apply_as(regions, household_a.head)
    before = _registry(household_a)
    # when: the township records the in-person check
    case = services.case_verify_identity(acting_user=staff["township_a"], case_id=case.pk, version=case.version,
                                         note="申请人持身份证到乡镇民政办当面核实，系本人", today=DAY)
    # then: the mark is gone, an event says how, and acceptance works
    assert not case.identity_unverified and case.state == S.SUBMITTED
    event = case.events.order_by("-pk").first()
    assert event.action == "verify_identity" and event.actor == staff["township_a"] and "当面核实" in event.comment
    case = flow.do(case, "accept", "township_a", DAY)
    assert case.state == S.ACCEPTED
    assert _registry(household_a) == before  # neither step changed the registry


def test_verification_needs_a_note_and_the_township(flow, household_a, regions, staff):
    case = _apply_as(regions, household_a.head)
    with pytest.raises(CaseError, match="说明"):
        services.case_verify_identity(acting_user=staff["township_a"], case_id=case.pk, version=case.version, note=" ")
    with pytest.raises(CaseError) as refused:
        services.case_verify_identity(acting_user=staff["village_a"], case_id=case.pk, version=case.version, note="看过了")
    assert refused.value.code == "forbidden"
    case.refresh_from_db()
    assert case.identity_unverified


def test_verification_of_a_case_that_needs_none_is_refused(flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    with pytest.raises(CaseError, match="无需核实"):
        services.case_verify_identity(acting_user=staff["township_a"], case_id=case.pk, version=case.version, note="x")


def test_public_form_marks_the_case_and_the_pages_show_it(client, household_a, regions, staff):
    head = household_a.head
    before = _registry(household_a)
    response = client.post(reverse("cases:apply"), {
        "case_type": "dibao", "village": regions["village_a"].code, "applicant_name": "冒名者",
        "applicant_id_number": head.id_number, "applicant_phone": "13900000000", "address": "别处路9号",
        "statement": "代为申请"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.identity_unverified and _registry(household_a) == before
    client.force_login(staff["township_a"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "身份未核实" in page and "核实申请人身份" in page
    assert "身份未核实" in client.get(reverse("cases:index")).content.decode()
    # the township records the check through the page
    response = client.post(reverse("cases:case_action", args=[case.pk]), {
        "action_name": "verify_identity", "verify_identity-action": "verify_identity",
        "verify_identity-version": case.version, "verify_identity-comment": "持身份证当面核实"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.identity_unverified
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "身份未核实" not in page and "核实申请人身份" in page  # the event stays in the timeline
    assert 'value="verify_identity"' not in page  # no more form for it


def test_api_reports_the_mark(client, household_a, regions, staff):
    case = _apply_as(regions, household_a.head)
    client.force_login(staff["township_a"])
    assert client.get(f"/api/cases/{case.pk}").json()["identity_unverified"] is True
