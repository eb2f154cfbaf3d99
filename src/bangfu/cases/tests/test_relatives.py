"""Staff relatives (办法 §11, §20): recorded on the case; a county home visit before decision;
the related worker can take no action."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.cases.choices import CaseState as S
from bangfu.cases.services import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_related_worker_refused_and_county_visit_required(flow, household_a, staff):
    # given: the applicant is the brother of township officer A2
    case = flow.create(household_a, today=DAY)
    case = flow.do(case, "record_relative", "village_a", DAY, related_staff=staff["township_a2"].pk, relation="兄弟")
    assert case.related_staff == staff["township_a2"] and case.related_staff_relation == "兄弟"
    # the related officer can do nothing on it
    with pytest.raises(CaseError, match="近亲属") as refused:
        flow.do(case, "accept", "township_a2", DAY)
    assert refused.value.code == "forbidden"
    # nor investigate it
    flow.do(case, "accept", "township_a", DAY)
    flow.do(case, "start_investigation", "township_a", DAY)
    with pytest.raises(CaseError, match="近亲属"):
        flow.do(case, "record_investigation", "township_a", DAY,
                investigators=[staff["township_a"].pk, staff["township_a2"].pk], visit_record="x", economic_check="y")
    flow.do(case, "record_investigation", "township_a", DAY, investigators=[staff["township_a"].pk, staff["county2"].pk],
            visit_record="入户", economic_check="核对")
    flow.do(case, "propose_approval", "township_a", DAY)
    case = flow.do(case, "end_notice", "township_a", dt.date(2025, 6, 16))
    # when the county decides without its own home visit: refused
    with pytest.raises(CaseError, match="县级民政部门入户核查"):
        flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    flow.do(case, "county_visit", "county", dt.date(2025, 6, 17), comment="县局入户核实，情况属实")
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 18))
    assert case.state == S.APPROVED and case.county_visited_by == staff["county"]


def test_village_committee_member_named_without_account(flow, household_a):
    """A village committee member has no account: the name is enough to require the county visit."""
    case = flow.create(household_a, today=DAY, related_staff_name="赵村委", related_staff_relation="配偶")
    flow.to_awaiting_decision(case, DAY)
    with pytest.raises(CaseError, match="县级民政部门入户核查"):
        flow.do(case, "approve", "county", dt.date(2025, 6, 17))
