"""Pages and API of the case workflow: inbox, case page and actions, pre-filled creation, the
public form with its receipt, printing, region isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.cases import services
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import Case

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_inbox_lists_what_waits_oldest_deadline_first(client, flow, household_a, household_b, staff):
    late = flow.create(household_a, today=DAY)
    flow.do(late, "accept", "township_a", DAY)  # due Thu 12 June
    early = flow.create(household_a, case_type="temporary_expenditure", today=DAY)
    early.refresh_from_db()
    Case.objects.filter(pk=early.pk).update(due_date=dt.date(2025, 6, 10))  # earlier deadline
    other = flow.create(household_b, today=DAY, who="village_b")
    response = _client(client, staff["township_a"]).get(reverse("cases:index"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [c.pk for c in rows] == [early.pk, late.pk]
    assert other.pk not in [c.pk for c in rows]
    # the county has nothing waiting (no case awaits a decision)
    assert _client(client, staff["county"]).get(reverse("cases:index")).context["rows"] == []


def test_inbox_keyset_paging(client, flow, household_a, staff, monkeypatch):
    from bangfu.cases import selectors

    for day in (1, 2, 3):
        c = flow.create(household_a, case_type=["dibao", "temporary_expenditure", "temporary_emergency"][day - 1],
                        today=DAY, emergency_event="fire", emergency_date=DAY, emergency_loss_fen=1000)
        Case.objects.filter(pk=c.pk).update(due_date=dt.date(2025, 6, day))
    first, nxt = selectors.inbox(staff["township_a"], limit=2)
    second, last = selectors.inbox(staff["township_a"], after=nxt, limit=2)
    assert [c.due_date.day for c in first] == [1, 2] and [c.due_date.day for c in second] == [3] and last is None


def test_overdue_list_per_office(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    flow.do(case, "accept", "township_a", DAY)
    response = _client(client, staff["county"]).get(reverse("cases:overdue"))
    offices = response.context["offices"]
    assert [(o["code"], o["n"]) for o in offices] == [("340102001000", 1)]
    assert "明光路街道" in response.content.decode()


def test_case_page_action_and_timeline(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    c = _client(client, staff["township_a"])
    page = c.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200 and "受理" in page.content.decode()
    response = c.post(reverse("cases:case_action", args=[case.pk]),
                      {"action_name": "accept", "accept-action": "accept", "accept-version": case.version,
                       "accept-comment": "材料齐全"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == S.ACCEPTED
    page = c.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "材料齐全" in page and "已受理，待入户调查" in page


def test_stale_form_answers_409_with_message(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    c = _client(client, staff["township_a"])
    data = {"action_name": "accept", "accept-action": "accept", "accept-version": case.version}
    assert c.post(reverse("cases:case_action", args=[case.pk]), data).status_code == 302
    data2 = {"action_name": "start_investigation", "start_investigation-action": "start_investigation",
             "start_investigation-version": case.version}  # the old version
    response = c.post(reverse("cases:case_action", args=[case.pk]), data2)
    assert response.status_code == 409
    assert "案件已被他人更新，请刷新后重试" in response.content.decode()


def test_wrong_role_gets_403_and_other_region_404(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    data = {"action_name": "accept", "accept-action": "accept", "accept-version": case.version}
    assert _client(client, staff["village_a"]).post(reverse("cases:case_action", args=[case.pk]), data).status_code == 403
    client.logout()
    assert _client(client, staff["township_b"]).post(reverse("cases:case_action", args=[case.pk]), data).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    client.logout()
    assert _client(client, staff["partner"]).get(reverse("cases:index")).status_code == 403


def test_create_form_prefilled_from_other_apps(client, household_a, staff):
    url = reverse("cases:case_create") + f"?household={household_a.pk}&type=temporary_expenditure&origin=比对发现"
    response = _client(client, staff["village_a"]).get(url)
    form = response.context["form"]
    assert form.initial["household"] == household_a.pk and form.initial["case_type"] == "temporary_expenditure"
    assert form.initial["origin"] == "比对发现"
    response = client.post(reverse("cases:case_create"), {"case_type": "dibao", "household": household_a.pk,
                                                          "applied_on": "2025-06-09", "origin": "比对发现"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.origin == "link" and case.origin_note == "比对发现" and case.entered_by == staff["village_a"]


def test_create_for_household_of_another_village_refused(client, household_b, staff):
    response = _client(client, staff["village_a"]).post(reverse("cases:case_create"),
                                                        {"case_type": "dibao", "household": household_b.pk})
    assert response.status_code == 200 and not Case.objects.exists()
    assert "不在您的辖区" in response.content.decode()


def test_online_application_receipt_and_lookup(client, household_a, regions):
    head = household_a.head
    data = {"case_type": "dibao", "village": regions["village_a"].code, "applicant_name": head.name,
            "applicant_id_number": head.id_number, "applicant_phone": "13800000000", "address": "胜利路1号",
            "statement": "丈夫病重，无收入"}
    response = client.post(reverse("cases:apply"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.origin == "online" and case.household == household_a and case.entered_by is None
    page = client.get(reverse("cases:apply_done")).content.decode()
    assert case.receipt_number in page
    found = client.post(reverse("cases:lookup"), {"receipt_number": case.receipt_number, "id_number": head.id_number})
    assert found.status_code == 200 and "已登记，待受理" in found.content.decode()
    wrong = client.post(reverse("cases:lookup"), {"receipt_number": case.receipt_number, "id_number": "340102198005170011"})
    assert wrong.status_code == 404 and "不匹配" in wrong.content.decode()


def test_online_application_validated(client, regions):
    response = client.post(reverse("cases:apply"), {"case_type": "dibao", "village": "340102001999",
                                                    "applicant_name": "张三", "applicant_id_number": "123",
                                                    "applicant_phone": "x", "address": "a", "statement": "b"})
    assert response.status_code == 400 and not Case.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"village", "applicant_id_number", "applicant_phone"}


def test_online_application_rate_limited(client, household_a, regions):
    head = household_a.head
    data = {"case_type": "tekun", "village": regions["village_a"].code, "applicant_name": "某", "applicant_id_number": head.id_number,
            "applicant_phone": "13800000000", "address": "x", "statement": "y"}
    for _ in range(services.ONLINE_LIMIT_PER_HOUR):
        client.post(reverse("cases:apply"), data)
    response = client.post(reverse("cases:apply"), data)
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert Case.objects.count() == services.ONLINE_LIMIT_PER_HOUR


def test_online_case_linked_before_acceptance(flow, household_a, regions, staff):
    case = services.online_application_create(ip="10.0.0.1", case_type="dibao", region=regions["village_a"],
                                              applicant_name="外来户", applicant_id_number="340102198005170999",
                                              applicant_phone="13800000000", address="x", statement="y", today=DAY)
    assert case.household is None
    with pytest.raises(services.CaseError, match="关联"):
        flow.do(case, "accept", "township_a", DAY)
    case = flow.do(case, "accept", "township_a", DAY, household_id=household_a.pk)
    assert case.household == household_a and case.state == S.ACCEPTED


def test_printable_notice_masks_the_id_number(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_approval", "township_a", DAY)
    html = _client(client, staff["township_a"]).get(reverse("cases:notice_print", args=[case.pk])).content.decode()
    assert "最低生活保障公示" in html and household_a.head.id_number not in html
    assert household_a.head.id_number[:4] in html and "cases/print.css" in html


def test_rejection_letter_has_reasons(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_rejection", "township_a", DAY, comment="存款超标")
    flow.do(case, "reject", "county", DAY, comment="家庭存款超过当地规定")
    html = _client(client, staff["county"]).get(reverse("cases:decision_print", args=[case.pk])).content.decode()
    assert "不予批准通知书" in html and "家庭存款超过当地规定" in html and household_a.head.id_number not in html


def test_open_reviews_post(client, household_a, staff):
    from bangfu.benefits import services as benefit_services

    b = benefit_services.benefit_grant(acting_user=staff["county"], household=household_a, programme="dibao", monthly_amount_fen=100000,
                               approved_on=dt.date(2024, 6, 3), case_id=None, review_class="A")
    response = _client(client, staff["township_a"]).post(reverse("cases:open_reviews"), {"benefit": [b.pk]})
    assert response.status_code == 302
    assert Case.objects.get().benefit == b


def test_household_page_shows_cases(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    html = _client(client, staff["village_a"]).get(reverse("registry:household_detail", args=[household_a.pk])).content.decode()
    assert "救助案件" in html and reverse("cases:case_detail", args=[case.pk]) in html


def test_api_action_codes(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    url = f"/api/cases/{case.pk}/actions"
    c = _client(client, staff["village_a"])
    assert c.post(url, {"action": "accept", "version": 1}, content_type="application/json").status_code == 403
    client.logout()
    c = _client(client, staff["township_a"])
    ok = c.post(url, {"action": "accept", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    assert c.post(url, {"action": "start_investigation", "version": 1}, content_type="application/json").status_code == 409
    assert c.post(url, {"action": "approve", "version": 2}, content_type="application/json").status_code == 400
    inbox = c.get("/api/cases/inbox").json()
    assert inbox["items"][0]["id"] == case.pk and "*" in inbox["items"][0]["applicant_id_number"]
    client.logout()
    assert _client(client, staff["township_b"]).get(f"/api/cases/{case.pk}").status_code == 404
    client.logout()
    assert _client(client, staff["partner"]).get("/api/cases/inbox").status_code == 403


def test_list_pages_query_count_does_not_grow_with_rows(client, flow, household_a, staff):
    """Inbox and overdue list load their rows in one query with the columns a row shows (no
    join, no deferred column read per row) and label states and types without per-row queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(user, name):
        c = _client(client, staff[user])
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse(name))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    first = flow.create(household_a, today=DAY)
    flow.do(first, "accept", "township_a", DAY)
    before = {(u, n): count(u, n)[0] for u in ("township_a", "county") for n in ("cases:index", "cases:overdue")}
    for case_type in ("temporary_expenditure", "temporary_emergency"):
        flow.create(household_a, case_type=case_type, today=DAY, emergency_event="fire", emergency_date=DAY,
                    emergency_loss_fen=1000)
    for (user, name), n in before.items():
        after, response = count(user, name)
        assert after == n, (user, name)
    _, response = count("township_a", "cases:index")
    rows = response.context["rows"]
    assert len(rows) == 3
    html = response.content.decode()
    for row in rows:
        assert str(row.get_state_display()) in html and str(row.get_case_type_display()) in html
    # the page still makes few queries: session, user, region, the filter's townships and
    # villages, rows, the rows' place names, overdue counts, office names, reassessment changes
    assert before[("township_a", "cases:index")] <= 10


def test_case_page_shows_each_citation_once(client, flow, household_a, staff):
    """Issue 17: each finding of the assessment ends with its citation — the document and article
    (with the standard it used) — once; the page printed it a second time in brackets. No
    requirement codes or parameter keys reach the page."""
    import re

    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    case.refresh_from_db()
    reasons = [r for r in case.determination["reasons"] if r["source"]]
    assert reasons, "the assessment cites its sources"
    page = _client(client, staff["village_a"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    section = page[page.index('class="card determination"'):]
    section = section[:section.index("</section>")]
    for r in reasons:
        assert section.count(r["source"]) == 1, r["source"]
    # the amount follows 《社会救助暂行办法》第十二条: it is named once for that one finding
    assert sum("第十二条" in r["source"] for r in reasons) == section.count("第十二条") == 1
    assert not re.search(r"\bR\d+|src_|asset_\w+|dibao_standard", section)
