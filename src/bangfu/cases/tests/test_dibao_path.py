"""The dibao path (R15; 办法 §4–22) through each branch, on the service layer."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits.models import Benefit
from bangfu.cases import services
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import ApprovalDelegation, CaseEvent
from bangfu.cases.services import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_approve_grants_dibao_from_the_next_month(flow, household_a):
    """办法 §21: payment starts the month after approval. The two-person rural household in 合肥
    (standard 880 元/人·月, no income) gets 2 × 880 = 1,760 元 a month."""
    # given
    case = flow.create(household_a, today=DAY)
    # when
    flow.to_awaiting_decision(case, DAY)
    case = flow.do(case, "approve", "county", DAY + dt.timedelta(days=10), comment="同意")
    # then
    assert case.state == S.APPROVED
    benefit = Benefit.objects.get(household=household_a)
    assert benefit.monthly_amount_fen == 176000
    assert benefit.start_month == dt.date(2025, 7, 1)
    assert benefit.granted_case_id == case.pk
    assert case.decided_by.username == "county"
    actions = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "accept", "start_investigation", "record_investigation", "propose_approval",
                       "end_notice", "approve"]
    assert case.determination["dibao_eligible"] is True
    assert case.determination["reasons"], "the engine's reasons are attached"


def test_documents_are_asked_for_once_only(flow, household_a):
    """办法 §10: the township tells the applicant at once everything that is missing — once."""
    case = flow.create(household_a, today=DAY)
    case = flow.do(case, "request_documents", "township_a", DAY, documents=["户口簿", "收入证明"])
    assert case.state == S.DOCUMENTS_REQUESTED and case.missing_documents == ["户口簿", "收入证明"]
    case = flow.do(case, "accept", "township_a", DAY + dt.timedelta(days=3))
    assert case.state == S.ACCEPTED
    # no second request from any state: the table has none after acceptance, and SUBMITTED again is impossible
    with pytest.raises(CaseError):
        flow.do(case, "request_documents", "township_a", DAY)


def test_objection_sends_the_case_back_to_investigation(flow, household_a):
    """办法 §19: an objection during the notice leads to a new investigation; the notice starts again."""
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_approval", "township_a", DAY)
    case = flow.do(case, "objection_reinvestigate", "township_a", DAY + dt.timedelta(days=2), comment="邻居反映有经营收入")
    assert case.state == S.INVESTIGATING and case.notice_end is None
    assert case.objections.get().outcome == "reinvestigate"


def test_objection_to_democratic_review_then_new_notice(flow, household_a):
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_approval", "township_a", DAY)
    case = flow.do(case, "objection_democratic_review", "township_a", DAY, comment="村民对收入有异议")
    assert case.state == S.DEMOCRATIC_REVIEW
    case = flow.do(case, "democratic_review", "township_a", DAY + dt.timedelta(days=3), comment="评议认为符合条件")
    assert case.state == S.INVESTIGATED
    case = flow.do(case, "propose_approval", "township_a", DAY + dt.timedelta(days=3))
    assert case.notice_start == DAY + dt.timedelta(days=3)


def test_notice_cannot_end_before_seven_days(flow, household_a):
    """办法 §19: 7 days of notice. Started on Monday 9 June, its last day is Sunday 15 June;
    ending it is refused on the 15th and allowed on the 16th."""
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    case = flow.do(case, "propose_approval", "township_a", DAY)
    assert case.notice_end == dt.date(2025, 6, 15)
    with pytest.raises(CaseError, match="公示期"):
        flow.do(case, "end_notice", "township_a", dt.date(2025, 6, 15))
    assert flow.do(case, "end_notice", "township_a", dt.date(2025, 6, 16)).state == S.AWAITING_DECISION


def test_rejection_then_written_notice(flow, household_a):
    """办法 §21: a rejection is notified in writing with reasons within 3 working days."""
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    case = flow.do(case, "propose_rejection", "township_a", DAY, comment="家庭存款超过规定")
    assert case.state == S.AWAITING_DECISION
    case = flow.do(case, "reject", "county", dt.date(2025, 6, 10), comment="家庭财产不符合规定")
    assert case.state == S.REJECTED
    assert case.step_deadline == dt.date(2025, 6, 13)  # Tue + 3 working days = Fri
    case = flow.do(case, "notify_rejection", "township_a", dt.date(2025, 6, 11))
    assert case.state == S.CLOSED_REJECTED and case.notified_on == dt.date(2025, 6, 11)
    assert not Benefit.objects.exists()


def test_rejection_needs_reasons(flow, household_a):
    case = flow.create(household_a, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    with pytest.raises(CaseError, match="理由"):
        flow.do(case, "reject", "county", DAY)


def test_unnoticed_application_cannot_be_approved(flow, household_a):
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_rejection", "township_a", DAY, comment="不符合")
    with pytest.raises(CaseError, match="未经公示"):
        flow.do(case, "approve", "county", DAY)
    case = flow.do(case, "return_to_township", "county", DAY, comment="请重新初审")
    assert case.state == S.INVESTIGATED


def test_delegated_approval_by_the_township(flow, household_a, staff):
    """R5: where the county delegated approval, the township decides and the whole case has 20
    working days (办法 §22). Accepted Monday 9 June 2025 (the Dragon Boat holiday was 31 May – 2 June,
    before it): 10–13 June are days 1–4, 16–20 June 5–9, 23–27 June 10–14, 30 June – 4 July 15–19,
    so the 20th working day is Monday 7 July 2025."""
    ApprovalDelegation.objects.create(county_code="340102000000", programme="dibao", valid_from=dt.date(2025, 1, 1),
                                      document="瑶海区民政局关于委托下放低保审批权限的通知")
    case = flow.create(household_a, today=DAY)
    flow.do(case, "accept", "township_a", DAY)
    case.refresh_from_db()
    assert case.delegated and case.overall_deadline == dt.date(2025, 7, 7)
    flow.do(case, "start_investigation", "township_a", DAY)
    flow.do(case, "record_investigation", "township_a", DAY, investigators=[staff["township_a"].pk, staff["county2"].pk],
            visit_record="入户", economic_check="核对无异常")
    flow.do(case, "propose_approval", "township_a", DAY)
    flow.do(case, "end_notice", "township_a", dt.date(2025, 6, 16))
    with pytest.raises(CaseError, match="须由"):
        flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    case = flow.do(case, "approve", "township_a2", dt.date(2025, 6, 17))
    assert case.state == S.APPROVED and case.decided_by == staff["township_a2"]


def test_stale_version_is_refused(flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    old = case.version
    flow.do(case, "accept", "township_a", DAY)
    with pytest.raises(CaseError, match="案件已被他人更新，请刷新后重试"):
        services.case_perform(acting_user=staff["township_a"], case_id=case.pk, action="start_investigation", version=old, today=DAY)


def test_one_investigator_is_not_enough(flow, household_a, staff):
    """办法 §16: at least two investigators."""
    case = flow.create(household_a, today=DAY)
    flow.do(case, "accept", "township_a", DAY)
    flow.do(case, "start_investigation", "township_a", DAY)
    with pytest.raises(CaseError, match="两名"):
        flow.do(case, "record_investigation", "township_a", DAY, investigators=[staff["township_a"].pk],
                visit_record="x", economic_check="y")


def test_investigator_cannot_approve(flow, household_a, staff):
    """Separation of duties: the county officer who took part in the visit does not decide."""
    case = flow.create(household_a, today=DAY)
    flow.do(case, "accept", "township_a", DAY)
    flow.do(case, "start_investigation", "township_a", DAY)
    flow.do(case, "record_investigation", "township_a", DAY, investigators=[staff["township_a"].pk, staff["county"].pk],
            visit_record="入户", economic_check="核对")
    flow.do(case, "propose_approval", "township_a", DAY)
    flow.do(case, "end_notice", "township_a", dt.date(2025, 6, 16))
    with pytest.raises(CaseError, match="审批分离"):
        flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    assert flow.do(case, "approve", "county2", dt.date(2025, 6, 17)).state == S.APPROVED


def test_individual_application_grants_to_the_member(flow, household_a, staff):
    """R12, 办法 §8: a grade-1 disabled member of a near-dibao family applies alone."""
    from bangfu.registry.models import IncomeItem

    person = household_a.members.order_by("pk")[1]
    person.disability_type, person.disability_grade, person.disability_cert_number = "physical", 1, "34010219800517002X11"
    person.save()
    # family income 1.2 × standard × 2 → above the standard, below 1.5 ×: near dibao
    IncomeItem.objects.create(household=household_a, person=household_a.members.order_by("pk")[0], kind="wage",
                              monthly_amount_fen=211200, valid_from=dt.date(2025, 1, 1))
    case = flow.create(household_a, case_type="dibao_individual", person=person, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case.refresh_from_db()
    assert case.amount_fen and case.amount_fen > 0, case.determination
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    benefit = Benefit.objects.get(household=household_a)
    assert benefit.person == person and benefit.monthly_amount_fen == case.amount_fen
