"""English mode (issue 11): with cases in two villages, the case pages (inbox, overdue list, case page,
forms submitted with errors, refused actions, prints, the public form and look-up) and the case API
show no Chinese outside data (names, addresses, region names)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from bangfu_testing import english
from bangfu_testing.english import EN, IDEOGRAPHS, api_text, assert_no_cjk, section
from bangfu.cases import services
from bangfu.cases.models import Case

from .conftest import DAY

pytestmark = pytest.mark.django_db


def data_strings() -> set[str]:
    """The data of the test database, and the applicants' names the cases hold, and the issuing
    offices and document numbers of their notices (the official document's own text)."""
    return english.data_strings(Case.objects.values_list("applicant_name", flat=True),
                                Case.objects.values_list("issuing_office", flat=True),
                                Case.objects.values_list("document_number", flat=True))


@pytest.fixture
def cases(flow, household_a, household_b, staff):
    """Worked by officers using English (their free text in English too): A awaits the decision,
    a second A case was rejected, B was just registered in village B."""
    import datetime as dt

    def investigate(case):
        flow.do(case, "accept", "township_a", DAY)
        flow.do(case, "start_investigation", "township_a", DAY)
        flow.do(case, "record_investigation", "township_a", DAY, investigators=[staff["township_a"].pk, staff["township_a2"].pk],
                visit_record="Visited: no income from work.", economic_check="No savings, vehicles or businesses.")

    with translation.override("en"):
        waiting = flow.create(household_a, today=DAY)
        investigate(waiting)
        flow.do(waiting, "propose_approval", "township_a", DAY)
        waiting.refresh_from_db()
        flow.do(waiting, "end_notice", "township_a", waiting.notice_end + dt.timedelta(days=1))
        rejected = flow.create(household_a, case_type="temporary_expenditure", today=DAY)
        investigate(rejected)
        flow.do(rejected, "propose_rejection", "township_a", DAY, comment="Savings above the limit")
        flow.do(rejected, "reject", "county", DAY, comment="Savings above the limit")
        other = flow.create(household_b, today=DAY, who="village_b")
    return {"waiting": waiting, "rejected": rejected, "other": other}


def test_case_pages_in_english(client, cases, household_a, staff):
    data = data_strings()
    for who, url in (("township_a", reverse("cases:index")), ("county", reverse("cases:index")),
                     ("county", reverse("cases:overdue")),
                     ("county", reverse("cases:case_detail", args=[cases["waiting"].pk])),
                     ("county", reverse("cases:case_detail", args=[cases["rejected"].pk])),
                     ("township_b", reverse("cases:case_detail", args=[cases["other"].pk])),
                     ("township_a", reverse("cases:notice_print", args=[cases["waiting"].pk])),
                     ("county", reverse("cases:decision_print", args=[cases["rejected"].pk])),
                     ("village_a", reverse("cases:case_create") + f"?household={household_a.pk}&type=dibao"),
                     ("village_a", reverse("cases:job_offers", args=[household_a.members.order_by("pk")[0].pk]))):
        client.force_login(staff[who])
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        assert_no_cjk(response.content.decode(), data)
    client.force_login(staff["village_a"])
    page = client.get(reverse("registry:household_detail", args=[household_a.pk]), **EN).content.decode()
    assert_no_cjk(section(page, "household-cases"), data)


def test_a_moved_households_case_timeline_in_english(client, cases, household_a, staff, regions):
    # given: the household of the waiting case moves to village B (the case records the move)
    from bangfu.registry.services import household_update

    household_update(acting_user=staff["county"], household_id=household_a.pk, region_id=regions["village_b"].pk)
    data = data_strings()
    # when
    client.force_login(staff["township_b"])
    response = client.get(reverse("cases:case_detail", args=[cases["waiting"].pk]), **EN)
    # then: the move is in the timeline, in English
    assert response.status_code == 200
    page = response.content.decode()
    assert "Household moved" in page
    assert_no_cjk(page, data)


def test_case_forms_with_errors_and_refused_actions_in_english(client, cases, household_a, household_b, staff):
    data = data_strings()
    client.force_login(staff["village_a"])
    # a form with errors, and a household of another village
    for post in ({}, {"case_type": "dibao", "household": household_b.pk}, {"case_type": "dibao", "household": 999999}):
        response = client.post(reverse("cases:case_create"), post, **EN)
        assert response.status_code in (200, 400)
        assert_no_cjk(response.content.decode(), data)
    # an action by the wrong role, a stale version and an action the state does not allow
    waiting = Case.objects.get(pk=cases["waiting"].pk)
    url = reverse("cases:case_action", args=[waiting.pk])
    for who, post in (("village_a", {"action_name": "approve", "approve-action": "approve", "approve-version": waiting.version}),
                      ("county", {"action_name": "approve", "approve-action": "approve", "approve-version": waiting.version - 1}),
                      ("county", {"action_name": "accept", "accept-action": "accept", "accept-version": waiting.version}),
                      ("county", {"action_name": "nonsense"})):
        client.force_login(staff[who])
        response = client.post(url, post, **EN)
        assert response.status_code >= 400 or response.status_code == 200
        assert_no_cjk(response.content.decode(), data)


def test_refused_steps_are_explained_in_english(flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    with translation.override("en"):
        flow.do(case, "accept", "township_a", DAY)
        flow.do(case, "start_investigation", "township_a", DAY)
        for data in ({"investigators": [staff["township_a"].pk]},
                     {"investigators": [staff["township_a"].pk, staff["village_b"].pk]},
                     {"investigators": [staff["township_a"].pk, staff["township_a2"].pk]}):
            with pytest.raises(services.CaseError) as refused:
                flow.do(case, "record_investigation", "township_a", DAY, **data)
            assert not IDEOGRAPHS.search(str(refused.value)), str(refused.value)


def test_public_form_and_lookup_in_english(client, cases, regions):
    data = data_strings()
    response = client.get(reverse("cases:apply"), **EN)
    assert_no_cjk(response.content.decode(), data)
    response = client.post(reverse("cases:apply"), {"case_type": "dibao", "village": "340102001999", "applicant_name": "",
                                                    "applicant_id_number": "123", "applicant_phone": "x"}, **EN)
    assert response.status_code == 400
    assert_no_cjk(response.content.decode(), data)
    for post in ({}, {"receipt_number": "X", "id_number": "340102198005170011"}):
        response = client.post(reverse("cases:lookup"), post, **EN)
        assert_no_cjk(response.content.decode(), data)


def test_case_api_in_english(client, cases, staff):
    data = data_strings()
    waiting = Case.objects.get(pk=cases["waiting"].pk)
    url = f"/api/cases/{waiting.pk}/actions"
    for who, method, path, body in (
            ("county", "get", "/api/cases/inbox", None),
            ("county", "get", f"/api/cases/{waiting.pk}", None),
            ("township_b", "get", f"/api/cases/{waiting.pk}", None),
            ("partner", "get", "/api/cases/inbox", None),
            ("village_a", "post", url, {"action": "approve", "version": waiting.version}),
            ("county", "post", url, {"action": "approve", "version": waiting.version - 1}),
            ("county", "post", url, {"action": "accept", "version": waiting.version}),
            ("county", "post", url, {"action": "nonsense", "version": waiting.version})):
        assert_no_cjk(api_text(client, staff[who], path, method, body), data)
