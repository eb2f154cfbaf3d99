"""Issue 13 "too lenient": a dibao approval took any positive amount. The amount is the engine's
(办法 §21: household amount = standard × members − counted income) unless the decider writes why
it is higher; the reason is recorded on the case and in its history. An amount beyond any sane
figure is refused, and a malformed one is a refusal, not a server error."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits.models import Benefit
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import CaseEvent
from bangfu.cases.rules import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db
LATER = DAY + dt.timedelta(days=10)
ENGINE_FEN = 176000  # 2 × 880 元 (合肥 rural standard, no income), as in test_dibao_path


def _awaiting(flow, household):
    case = flow.create(household, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case.refresh_from_db()
    assert case.amount_fen == ENGINE_FEN
    return case


def test_an_amount_above_the_engine_without_a_reason_is_refused(flow, household_a):
    case = _awaiting(flow, household_a)
    with pytest.raises(CaseError, match="核定金额 5,000.00 元高于测评金额 1,760.00 元，须在“意见或说明”中写明理由"):
        flow.do(case, "approve", "county", LATER, amount_fen=500000)
    assert not Benefit.objects.filter(household=household_a).exists()


def test_an_amount_above_the_engine_with_a_reason_is_granted_and_the_reason_recorded(flow, household_a):
    case = _awaiting(flow, household_a)
    case = flow.do(case, "approve", "county", LATER, amount_fen=200000, comment="户主突发重病，经集体研究按2000元核定")
    assert case.state == S.APPROVED and case.amount_fen == 200000
    assert case.decision_reasons == "户主突发重病，经集体研究按2000元核定"
    event = CaseEvent.objects.filter(case=case, action="approve").get()
    assert event.comment == "核定金额 2,000.00 元高于测评金额 1,760.00 元，理由：户主突发重病，经集体研究按2000元核定"
    assert Benefit.objects.get(household=household_a).monthly_amount_fen == 200000


def test_the_engine_amount_or_less_needs_no_reason(flow, household_a):
    case = _awaiting(flow, household_a)
    case = flow.do(case, "approve", "county", LATER, amount_fen=150000)
    assert case.state == S.APPROVED and case.amount_fen == 150000


@pytest.mark.parametrize("raw, message", [
    (10**20, "金额过大：不能超过 1,000,000,000 元"),
    ("12abc", "金额应为整数（分）"),
    (True, "金额应为整数（分）"),
])
def test_malformed_or_absurd_amounts_are_refused(flow, household_a, raw, message):
    case = _awaiting(flow, household_a)
    with pytest.raises(CaseError, match=message):
        flow.do(case, "approve", "county", LATER, amount_fen=raw, comment="理由")


def test_through_the_api_an_absurd_amount_is_a_400_not_a_500(client, flow, household_a, staff):
    case = _awaiting(flow, household_a)
    client.force_login(staff["county"])
    response = client.post(f"/api/cases/{case.pk}/actions", {"action": "approve", "version": case.version,
                                                              "data": {"amount_fen": 10**30, "comment": "x"}},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"] == "金额过大：不能超过 1,000,000,000 元"
    response = client.post(f"/api/cases/{case.pk}/actions", {"action": "approve", "version": 10**30},
                           content_type="application/json")
    assert response.status_code == 422


def test_the_approval_form_refuses_ten_to_the_sixteen_yuan(client, flow, household_a, staff):
    case = _awaiting(flow, household_a)
    client.force_login(staff["county"])
    response = client.post(f"/cases/{case.pk}/act/", {"action_name": "approve", "approve-version": case.version,
                                                       "approve-action": "approve", "approve-amount_yuan": "1" + "0" * 15,
                                                       "approve-comment": "理由"})
    assert response.status_code == 400
    assert "过大：不能超过 1,000,000,000 元" in response.content.decode()
    case.refresh_from_db()
    assert case.state != S.APPROVED
