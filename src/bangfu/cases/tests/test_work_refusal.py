"""Refusing work (《社会救助暂行办法》第四十五条: a member able to work who, without good reason,
refuses three suitable jobs in a row has their own dibao reduced or stopped). The offers are
recorded; the third refusal in a row without good reason proposes the change on a benefit-change
case that the township and the decider handle: never an automatic cut.

Own share = the household's monthly amount ÷ the members it is paid for, rounded down to the fen."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits import services as benefit_services
from bangfu.benefits.models import BenefitAmount, JobOffer
from bangfu.cases import services
from bangfu.cases.models import Case

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _dibao(household, staff, amount=176000, person=None):
    return benefit_services.benefit_grant(acting_user=staff["county"], household=household, programme="dibao",
                                          monthly_amount_fen=amount, approved_on=dt.date(2025, 3, 10), case_id=None,
                                          review_class="B", person=person)


def _offer(staff, person, n, outcome="refused", good_reason=False, note=""):
    return services.job_offer_record(acting_user=staff["township_a"], person=person, offered_by="瑶海区就业服务中心",
                                     offered_on=DAY + dt.timedelta(days=n), job=f"保洁员{n}", outcome=outcome,
                                     good_reason=good_reason, reason_note=note, today=DAY + dt.timedelta(days=n))


def test_third_refusal_without_good_reason_proposes_lowering_by_the_members_share(flow, household_a, staff, client):
    """1,760 元 for 2 members: share 1,760 ÷ 2 = 880 元; proposed 1,760 − 880 = 880 元. The township
    confirms, the county decides on 20 June: 880 元 from July; the notice cites §45."""
    benefit = _dibao(household_a, staff)
    zhang = household_a.members.get(name="张伟")
    assert _offer(staff, zhang, 0)[1] is None
    assert _offer(staff, zhang, 1)[1] is None
    offer, case = _offer(staff, zhang, 2)
    assert case is not None and case.case_type == "benefit_change" and case.origin == "work_refusal"
    assert case.proposal == "lower" and case.amount_fen == 88000 and case.benefit == benefit and case.person == zhang
    assert "880.00" in case.origin_note and "第四十五条" in case.origin_note
    assert set(JobOffer.objects.values_list("proposal_case_id", flat=True)) == {case.pk}
    benefit.refresh_from_db()
    assert benefit.monthly_amount_fen == 176000  # nothing cut until decided
    flow.do(case, "record_findings", "township_a", dt.date(2025, 6, 18), proposal="lower", comment="核实属实")
    case = flow.do(case, "decide", "county", dt.date(2025, 6, 20), comment="减发本人份额")
    benefit.refresh_from_db()
    assert benefit.monthly_amount_fen == 88000
    assert BenefitAmount.objects.get(benefit=benefit, kind="lower").from_month == dt.date(2025, 7, 1)
    client.force_login(staff["county"])
    from django.urls import reverse

    html = client.get(reverse("cases:decision_print", args=[case.pk])).content.decode()
    assert "减发通知书" in html and "《社会救助暂行办法》第四十五条" in html and "由每月 1,760.00 元减发为每月 880.00 元" in html


def test_share_rounds_down_to_the_fen(household_a, staff):
    """1,000.01 元 ÷ 2 = 500.005 → share 500.00 元; proposed 500.01 元."""
    _dibao(household_a, staff, amount=100001)
    zhang = household_a.members.get(name="张伟")
    for n in range(3):
        _offer(staff, zhang, n)
    assert Case.objects.get().amount_fen == 50001


def test_a_refusal_with_good_reason_or_an_accepted_offer_breaks_the_run(household_a, staff):
    _dibao(household_a, staff)
    zhang = household_a.members.get(name="张伟")
    _offer(staff, zhang, 0)
    _offer(staff, zhang, 1, good_reason=True, note="住院治疗")
    _offer(staff, zhang, 2)
    _offer(staff, zhang, 3)
    assert not Case.objects.exists()  # last three: good reason, refused, refused
    _offer(staff, zhang, 4, outcome="accepted")
    _offer(staff, zhang, 5)
    _offer(staff, zhang, 6)
    assert not Case.objects.exists()  # accepted, refused, refused
    _offer(staff, zhang, 7)
    assert Case.objects.count() == 1  # refused × 3 in a row


def test_a_member_unable_to_work_gets_no_proposal(household_a, staff):
    _dibao(household_a, staff)
    li = household_a.members.get(name="李娜")
    li.labor_capacity = "none"
    li.save()
    for n in range(3):
        _offer(staff, li, n)
    assert JobOffer.objects.count() == 3 and not Case.objects.exists()


def test_own_individual_dibao_is_proposed_to_stop(household_a, staff):
    """A personal (individual) dibao is the member's own: the proposal is to stop it."""
    zhang = household_a.members.get(name="张伟")
    _dibao(household_a, staff, amount=50000, person=zhang)
    for n in range(3):
        _offer(staff, zhang, n)
    case = Case.objects.get()
    assert case.proposal == "stop" and case.amount_fen is None


def test_offers_are_spent_once(household_a, staff):
    """A fourth refusal does not open a second case: the three are spent, and one case is open."""
    _dibao(household_a, staff)
    zhang = household_a.members.get(name="张伟")
    for n in range(4):
        _offer(staff, zhang, n)
    assert Case.objects.count() == 1


def test_recording_needs_the_facts_and_a_role(household_a, staff):
    from bangfu.common.errors import DomainError

    zhang = household_a.members.get(name="张伟")
    with pytest.raises(DomainError, match="介绍单位"):
        services.job_offer_record(acting_user=staff["township_a"], person=zhang, offered_by="", offered_on=DAY, job="保洁",
                                  outcome="refused", today=DAY)
    with pytest.raises(DomainError, match="写明理由"):
        services.job_offer_record(acting_user=staff["township_a"], person=zhang, offered_by="就业服务中心", offered_on=DAY,
                                  job="保洁", outcome="refused", good_reason=True, today=DAY)
    with pytest.raises(DomainError):
        services.job_offer_record(acting_user=staff["county"], person=zhang, offered_by="就业服务中心", offered_on=DAY,
                                  job="保洁", outcome="refused", today=DAY)
    assert not JobOffer.objects.exists()


def test_job_offer_page_records_and_is_scoped(client, household_a, staff):
    from django.urls import reverse

    _dibao(household_a, staff)
    zhang = household_a.members.get(name="张伟")
    url = reverse("cases:job_offers", args=[zhang.pk])
    client.force_login(staff["township_b"])  # another township
    assert client.get(url).status_code == 404
    assert client.post(url, {"offered_by": "x", "offered_on": "2025-06-09", "job": "y", "outcome": "refused"}).status_code == 404
    client.force_login(staff["county"])  # may read, not record
    page = client.get(url)
    assert page.status_code == 200 and "登记就业介绍" not in page.content.decode()
    assert client.post(url, {"offered_by": "x", "offered_on": "2025-06-09", "job": "y", "outcome": "refused"}).status_code == 403
    assert not JobOffer.objects.exists()
    client.force_login(staff["village_a"])
    for day in (9, 10, 11):
        response = client.post(url, {"offered_by": "瑶海区就业服务中心", "offered_on": f"2025-06-{day:02d}", "job": "保洁员",
                                     "outcome": "refused"})
        assert response.status_code == 302
    case = Case.objects.get()
    html = client.get(url).content.decode()
    assert html.count("保洁员") == 3 and reverse("cases:case_detail", args=[case.pk]) in html
