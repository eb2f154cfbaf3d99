"""Tekun, temporary assistance (emergency first, expenditure full path), periodic review to
gradual exit, changes from reassessment, bulk review opening."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.benefits import services as benefit_services
from bangfu.common.money import format_yuan
from bangfu.benefits.models import Benefit, OneOffPayment
from bangfu.cases import services
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import Case, CaseEvent
from bangfu.cases.services import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def elderly_alone(users, regions):
    """One person of 77 (born 1948-03-01), no income, no supporter (none outside, checked):
    tekun-eligible (特困人员认定办法)."""
    from bangfu.registry.services import household_create
    from bangfu_testing.factories import person_data

    return household_create(acting_user=users["village_a"], region_id=regions["village_a"].pk, address="胜利路9号",
                            members=[person_data("孙福", "head", birth=dt.date(1948, 3, 1), supporters_checked="none")])


def test_tekun_deadlines_and_approval(flow, elderly_alone, staff):
    """特困人员认定办法: township 15 working days, notice 7 days, county 15 working days.
    Accepted Mon 9 June 2025: 15 working days → Mon 30 June (10–13 = 4, 16–20 = 9, 23–27 = 14,
    30 June = 15). Decision reached Mon 16 June: county 15 working days → Mon 7 July.
    Amount (国发〔2016〕14号 二、（三）; issue 14): 合肥 rural standard 880.00 → basic
    ceil(1.3 × 880.00) = 1144.00; institutional (recorded at the investigation), self-caring:
    care 100.00 (national 2025 value) → 1244.00 a month, the engine's figure, not a typed one."""
    person = elderly_alone.members.get()
    case = flow.create(elderly_alone, case_type="tekun", person=person, today=DAY)
    case = flow.do(case, "accept", "township_a", DAY)
    assert case.step_deadline == dt.date(2025, 6, 30) and case.overall_deadline is None
    flow.do(case, "start_investigation", "township_a", DAY)
    case = flow.do(case, "record_investigation", "township_a", DAY, investigators=[staff["township_a"].pk, staff["township_a2"].pk],
                   visit_record="入户", economic_check="核对", support_mode="institutional")
    assert case.step_deadline == dt.date(2025, 6, 30)  # the township's 15 days run on
    assert case.amount_fen == 124400 and case.determination["tekun_support_mode"] == "institutional"
    flow.do(case, "propose_approval", "township_a", DAY)
    case = flow.do(case, "end_notice", "township_a", dt.date(2025, 6, 16))
    assert case.step_deadline == dt.date(2025, 7, 7)
    with pytest.raises(CaseError, match="不能另填金额"):
        flow.do(case, "approve", "county", dt.date(2025, 6, 17), amount_fen=114400)
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    benefit = Benefit.objects.get(household=elderly_alone)
    assert benefit.programme == "tekun" and benefit.person == person and benefit.monthly_amount_fen == 124400
    assert benefit.support_mode == "institutional"
    grant = benefit.amounts.get()
    assert (grant.amount_fen, grant.basic_fen, grant.care_fen) == (124400, 114400, 10000)
    event = CaseEvent.objects.filter(case=case, action="approve").get()
    assert all(format_yuan(f) in event.comment for f in (124400, 114400, 10000))


def test_tekun_approval_refused_when_the_engine_finds_no_tekun(flow, household_a):
    """A member of 45 with an able spouse is not tekun-eligible (no labour-capacity condition):
    the case cannot be approved at any amount; the decider rejects or sends it back."""
    person = household_a.members.order_by("pk")[0]
    case = flow.to_awaiting_decision(flow.create(household_a, case_type="tekun", person=person, today=DAY), DAY)
    case.refresh_from_db()
    assert case.amount_fen == 0
    with pytest.raises(CaseError, match="不符合特困人员条件"):
        flow.do(case, "approve", "county", case.notice_end + dt.timedelta(days=2), amount_fen=114400)
    assert not Benefit.objects.filter(household=household_a).exists()


def test_tekun_case_page_shows_the_amount_and_its_parts(client, flow, elderly_alone, staff):
    """The approver sees 1224.00 = 1144.00 basic + 80.00 care (dispersed: the default for a person
    not living in an institution; self-caring), and no amount field to type."""
    from django.urls import reverse

    person = elderly_alone.members.get()
    case = flow.to_awaiting_decision(flow.create(elderly_alone, case_type="tekun", person=person, today=DAY), DAY)
    client.force_login(staff["county"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert all(format_yuan(f) in page for f in (122400, 114400, 8000))
    assert 'name="amount_yuan"' not in page


def _emergency(flow, household, loss_fen):
    return flow.create(household, case_type="temporary_emergency", today=DAY, emergency_event="fire",
                       emergency_date=DAY - dt.timedelta(days=5), emergency_loss_fen=loss_fen)


def test_emergency_help_first_then_paperwork(flow, household_a):
    """先行救助 (暂行办法 §48). Loss 1,500 元; standard 880 元: grade 1 (need ≥ 0 ×), capped at
    2 × 880 = 1,760 元, so the amount is the need, 1,500 元 — within the township's 2,000 元."""
    case = _emergency(flow, household_a, 150000)
    case = flow.do(case, "grant_first", "township_a", DAY)
    assert case.state == S.PAID_FIRST and case.amount_fen == 150000
    payment = OneOffPayment.objects.get(household=household_a)
    assert payment.kind == "emergency" and payment.amount_fen == 150000 and payment.case_id == case.pk
    case = flow.do(case, "complete", "township_a", DAY + dt.timedelta(days=5), comment="补齐申请书、调查记录")
    assert case.state == S.COMPLETED


def test_emergency_over_the_limit_grant_first_is_refused_with_the_other_paths_named(flow, household_a):
    """Loss 6,000 元 ≥ 6 × 880 = 5,280 元: grade 2, capped at 6 × 880 = 5,280 元 > 2,000 元. The
    township's own 先行救助 stays within its limit; the refusal names the paths that remain."""
    case = _emergency(flow, household_a, 600000)
    with pytest.raises(CaseError, match="余额报县级审批"):
        flow.do(case, "grant_first", "township_a", DAY)
    assert not OneOffPayment.objects.exists()
    case.refresh_from_db()
    assert case.state == S.SUBMITTED and case.version == 1  # the refused step changed nothing


def test_emergency_over_the_limit_township_first_then_county_decides_the_rest(flow, household_a):
    """暂行办法 §48 and 国发〔2014〕47号 (紧急程序): no emergency is refused for its size. Loss 6,000 元:
    grade 2, assessed 6 × 880 = 5,280 元. The township pays its limit, 2,000 元, at once; the rest,
    5,280 − 2,000 = 3,280 元, waits for the county, which approves it: two payments, 2,000 + 3,280."""
    case = _emergency(flow, household_a, 600000)
    case = flow.do(case, "grant_first_refer", "township_a", DAY, comment="火灾，急需安置")
    assert case.state == S.AWAITING_DECISION and case.decider_level == "county" and case.waits_for == "county"
    assert case.amount_fen == 528000 and case.paid_first_fen == 200000
    assert [p.amount_fen for p in OneOffPayment.objects.order_by("pk")] == [200000]
    with pytest.raises(CaseError):  # the rest is the county's
        flow.do(case, "approve", "township_a2", DAY)
    with pytest.raises(CaseError, match="3,280.00|3280.00"):  # not more than the rest
        flow.do(case, "approve", "county", DAY, amount_fen=328001)
    case = flow.do(case, "approve", "county", DAY + dt.timedelta(days=1))
    assert case.state == S.APPROVED and case.amount_fen == 528000
    payments = list(OneOffPayment.objects.order_by("pk"))
    assert [p.amount_fen for p in payments] == [200000, 328000] and {p.kind for p in payments} == {"emergency"}
    assert case.document_number == "瑶海民救〔2025〕1号" and case.issuing_office == "瑶海区民政局"


def test_emergency_within_the_limit_cannot_be_referred(flow, household_a):
    """Loss 1,500 元 → 1,500 元, within 2,000 元: the township helps first itself."""
    case = _emergency(flow, household_a, 150000)
    with pytest.raises(CaseError, match="直接先行救助"):
        flow.do(case, "grant_first_refer", "township_a", DAY)


def test_emergency_rest_refused_by_the_county_keeps_the_first_payment(flow, household_a):
    """The county may refuse the rest with reasons (a refusal notice follows); what the township
    paid first stands (6,000 元 loss → 2,000 元 first)."""
    case = _emergency(flow, household_a, 600000)
    flow.do(case, "grant_first_refer", "township_a", DAY)
    case = flow.do(case, "reject", "county", DAY, comment="保险公司已赔付")
    assert case.state == S.REJECTED
    case = flow.do(case, "notify_rejection", "township_a", DAY)
    assert case.state == S.CLOSED_REJECTED
    assert [p.amount_fen for p in OneOffPayment.objects.all()] == [200000]


def test_emergency_over_the_limit_county_helps_first(flow, household_a):
    """国发〔2014〕47号 紧急程序: the county may help first with the whole assessed 5,280 元; the
    township completes the paperwork."""
    case = _emergency(flow, household_a, 600000)
    with pytest.raises(CaseError):
        flow.do(case, "county_grant_first", "township_a", DAY)
    case = flow.do(case, "county_grant_first", "county", DAY)
    assert case.state == S.PAID_FIRST and case.amount_fen == 528000 and case.decider_level == "county"
    assert OneOffPayment.objects.get().amount_fen == 528000
    case = flow.do(case, "complete", "township_a", DAY + dt.timedelta(days=3), comment="补齐申请书")
    assert case.state == S.COMPLETED


def _expenditure_household(household, medical_fen):
    from bangfu.registry.models import IncomeItem, RigidExpense

    head = household.members.order_by("pk")[0]
    IncomeItem.objects.create(household=household, person=head, kind="wage", monthly_amount_fen=300000,
                              valid_from=dt.date(2025, 1, 1))
    RigidExpense.objects.create(household=household, person=head, kind="medical", monthly_amount_fen=medical_fen,
                                valid_from=dt.date(2025, 1, 1))


def test_expenditure_type_full_path_county_decides(flow, household_a):
    """Expenditure type: income 3,000, standard 2 × 880 = 1,760, so 1,240 元 above it; medical
    2,000 元 → uncovered 760 元 × 12 months = need 9,120 元 ≥ 6 × 880: grade 2, cap 5,280 元 >
    2,000 元 → the county decides; paid once 5,280 元."""
    _expenditure_household(household_a, 200000)
    case = flow.create(household_a, case_type="temporary_expenditure", today=DAY)
    case = flow.to_awaiting_decision(case, DAY)
    case.refresh_from_db()
    assert case.state == S.AWAITING_DECISION and case.amount_fen == 528000 and case.decider_level == "county"
    with pytest.raises(CaseError):
        flow.do(case, "approve", "township_a2", DAY)
    flow.do(case, "approve", "county", DAY)
    assert OneOffPayment.objects.get().amount_fen == 528000


def test_expenditure_type_within_limit_township_decides(flow, household_a):
    """Medical 1,300 元 → uncovered 60 元 × 12 = 720 元: grade 1, within 2,000 元 → township decides."""
    _expenditure_household(household_a, 130000)
    case = flow.create(household_a, case_type="temporary_expenditure", today=DAY)
    case = flow.to_awaiting_decision(case, DAY)
    case.refresh_from_db()
    assert case.amount_fen == 72000 and case.decider_level == "township"
    with pytest.raises(CaseError, match="审批分离"):
        flow.do(case, "approve", "township_a", DAY)  # investigated it
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    third = make_user("township_a3", Role.TOWNSHIP_OFFICER, staff_region(case))
    services.case_perform(acting_user=third, case_id=case.pk, action="approve", version=case.version, today=DAY)
    assert OneOffPayment.objects.get().amount_fen == 72000


def staff_region(case):
    from bangfu.regions.models import Region

    return Region.objects.get(code=case.region_code[:9].ljust(12, "0"))


@pytest.fixture
def benefit_a(household_a, staff):
    return benefit_services.benefit_grant(acting_user=staff["county"], household=household_a, programme="dibao",
                                  monthly_amount_fen=176000, approved_on=dt.date(2024, 6, 3), case_id=None,
                                  review_class="A")


def test_review_to_gradual_exit(flow, benefit_a, staff):
    """R16, 办法 §31, §33: a review finds income above the standard through work and proposes a
    gradual exit of 6 months; decided on 17 June 2025 the amount is kept through December 2025."""
    case = services.review_cases_open(acting_user=staff["township_a"], benefit_ids=[benefit_a.pk], today=DAY)[0]
    assert case.state == S.REVIEW_OPEN and case.overall_deadline == dt.date(2025, 6, 3)
    with pytest.raises(CaseError, match="1至6"):
        flow.do(case, "record_findings", "township_a", DAY, comment="务工收入超过标准", proposal="gradual_exit", exit_months=7)
    case = flow.do(case, "record_findings", "township_a", DAY, comment="务工收入超过标准", proposal="gradual_exit", exit_months=6)
    assert case.state == S.REVIEW_PROPOSED and case.determination
    case = flow.do(case, "decide", "county", dt.date(2025, 6, 17))
    benefit_a.refresh_from_db()
    assert case.state == S.DECIDED
    assert benefit_a.status == "gradual_exit" and benefit_a.end_month == dt.date(2025, 12, 1)


def test_review_unchanged_records_the_review(flow, benefit_a, staff):
    """办法 §31: an unchanged review keeps the amount; class A → next review 12 months later."""
    case = services.review_cases_open(acting_user=staff["township_a"], benefit_ids=[benefit_a.pk], today=DAY)[0]
    flow.do(case, "record_findings", "township_a", DAY, comment="情况无变化", proposal="unchanged")
    flow.do(case, "decide", "county", dt.date(2025, 6, 17))
    benefit_a.refresh_from_db()
    assert benefit_a.monthly_amount_fen == 176000 and benefit_a.last_reviewed_on == dt.date(2025, 6, 17)
    assert benefit_a.next_review_date == dt.date(2026, 6, 17)


def test_review_cases_open_skips_a_benefit_already_under_review(benefit_a, staff):
    assert len(services.review_cases_open(acting_user=staff["township_a"], benefit_ids=[benefit_a.pk], today=DAY)) == 1
    assert services.review_cases_open(acting_user=staff["township_a"], benefit_ids=[benefit_a.pk], today=DAY) == []


def test_review_cases_open_outside_region_refused(benefit_a, staff):
    with pytest.raises(CaseError):
        services.review_cases_open(acting_user=staff["township_b"], benefit_ids=[benefit_a.pk], today=DAY)


def test_due_review_cases_open_in_bulk(benefit_a, household_b, staff):
    other = benefit_services.benefit_grant(acting_user=staff["county"], household=household_b, programme="dibao",
                                   monthly_amount_fen=88000, approved_on=dt.date(2024, 12, 2), case_id=None, review_class="A")
    assert other.next_review_date == dt.date(2025, 12, 2)
    # due by 30 June 2025: only benefit_a (next review 3 June 2025)
    n = services.due_review_cases_open(acting_user=staff["county"], as_of=dt.date(2025, 6, 30), today=DAY)
    assert n == 1
    case = Case.objects.get()
    assert case.benefit_id == benefit_a.pk and case.case_type == "review"
    assert CaseEvent.objects.get().action == "open_review"
    assert services.due_review_cases_open(acting_user=staff["county"], as_of=dt.date(2025, 6, 30), today=DAY) == 0


def test_reassessment_change_opens_a_benefit_change_case(flow, benefit_a, household_a, staff):
    from bangfu.policy.models import AssessmentRun, BenefitChange

    run = AssessmentRun.objects.create(started_by=staff["county"], region_code="340102000000", on_date=DAY)
    row = BenefitChange.objects.create(run=run, household=household_a, region_code=household_a.region_code,
                                       kind="amount_down", old_amount_fen=176000, new_amount_fen=120000)
    from bangfu.cases.selectors import open_reassessment_changes

    assert open_reassessment_changes(staff["township_a"]) == [row]
    assert open_reassessment_changes(staff["township_b"]) == []
    case = services.reassessment_change_open(acting_user=staff["township_a"], change_id=row.pk, today=DAY)
    row.refresh_from_db()
    assert row.status == "handled" and case.case_type == "benefit_change" and case.proposal == "lower"
    assert case.amount_fen == 120000
    flow.do(case, "record_findings", "township_a", DAY, comment="核实收入增加", proposal="lower", amount_fen=120000)
    flow.do(case, "decide", "county", DAY)
    benefit_a.refresh_from_db()
    assert benefit_a.monthly_amount_fen == 120000


def test_termination_stops_the_benefit(flow, benefit_a, staff):
    """R16: the county stops the benefit; 办法 §21 by analogy: paid through the month of the
    decision (17 June 2025 → last paid month June 2025). A termination cannot propose a raise."""
    case = services.benefit_case_open(acting_user=staff["township_a"], benefit=benefit_a, case_type="termination",
                                      note="全家迁出本县", today=DAY)
    with pytest.raises(CaseError, match="停发或渐退"):
        flow.do(case, "record_findings", "township_a", DAY, comment="迁出", proposal="raise", amount_fen=200000)
    flow.do(case, "record_findings", "township_a", DAY, comment="户籍已迁出", proposal="stop")
    case = flow.do(case, "return_findings", "county", DAY, comment="请附迁移证明")
    assert case.state == S.REVIEW_OPEN
    flow.do(case, "record_findings", "township_a", DAY, comment="已附迁移证明", proposal="stop")
    case = flow.do(case, "decide", "county", dt.date(2025, 6, 17))
    benefit_a.refresh_from_db()
    assert case.state == S.DECIDED and benefit_a.status == "stopped" and benefit_a.end_month == dt.date(2025, 6, 1)
    assert [e.action for e in case.events.order_by("pk")] == ["open_change", "record_findings", "return_findings",
                                                              "record_findings", "decide"]
