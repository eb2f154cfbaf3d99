"""The role × action × region matrix, generated from the transition table (issue 4 "Done when":
each transition is refused for every role and region that may not take it, and for a related
staff member). Style: OpenSPP's `test_<entity>_<action>_<role>_denied`, as one generated table."""

from __future__ import annotations

import pytest

from bangfu.accounts.access import NotFound
from bangfu.accounts.choices import Role
from bangfu.cases import services, transitions as tt
from bangfu.cases.models import Case
from bangfu.cases.services import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db

CASES = [
    pytest.param(t, case_type, decider, id=f"{case_type}-{t.source}-{t.action}-{decider}")
    for t in tt.TRANSITIONS
    for case_type in sorted(t.types)
    for decider in (("county", "township") if t.level == tt.DECIDER else ("county",))
]


@pytest.fixture
def actors(staff, regions):
    """One user per role inside the case's region (village A) and one outside it."""
    from bangfu_testing.factories import make_user, region

    other_county = region("340103", "庐阳区", regions["city"])
    inside = {
        Role.VILLAGE_WORKER: staff["village_a"], Role.TOWNSHIP_OFFICER: staff["township_a"],
        Role.COUNTY_OFFICER: staff["county"], Role.PARTNER_VIEWER: staff["partner"], Role.AUDITOR: staff["auditor"],
        Role.ADMIN: staff["admin"],
        Role.STATION_STAFF: make_user("station", Role.STATION_STAFF, regions["county"]),
        Role.HELPER: make_user("helper", Role.HELPER, regions["village_a"]),
    }
    outside = {
        Role.VILLAGE_WORKER: staff["village_b"], Role.TOWNSHIP_OFFICER: staff["township_b"],
        Role.COUNTY_OFFICER: make_user("county_other", Role.COUNTY_OFFICER, other_county),
    }
    return inside, outside


def _allowed_roles(t, decider):
    return tt.roles_for(t, decider)


@pytest.mark.parametrize(("transition", "case_type", "decider"), CASES)
def test_transition_matrix(transition, case_type, decider, actors, household_a):
    inside, outside = actors
    case = Case.objects.create(case_type=case_type, state=transition.source, region_code=household_a.region_code,
                               household=household_a, applied_on=DAY, decider_level=decider)
    allowed = _allowed_roles(transition, decider)
    assert allowed, "every transition has a role"
    for role, user in inside.items():
        if role in allowed:
            services.case_authorize(acting_user=user, case=case, transition=transition)  # passes the role/region/relative checks
        else:
            with pytest.raises(CaseError) as refused:
                services.case_perform(acting_user=user, case_id=case.pk, action=transition.action, version=case.version, today=DAY)
            assert refused.value.code == "forbidden", (role, refused.value.message)
    for role, user in outside.items():
        with pytest.raises(NotFound):
            services.case_perform(acting_user=user, case_id=case.pk, action=transition.action, version=case.version, today=DAY)
    # a related staff member of an allowed role is refused (办法 §11)
    user = inside[sorted(allowed)[0]]
    case.related_staff = user
    case.save()
    with pytest.raises(CaseError, match="近亲属") as refused:
        services.case_perform(acting_user=user, case_id=case.pk, action=transition.action, version=case.version, today=DAY)
    assert refused.value.code == "forbidden"
    case.refresh_from_db()
    assert case.state == transition.source and case.version == 1 and not case.events.exists()


@pytest.mark.parametrize("state", sorted({t.source for t in tt.TRANSITIONS}))
def test_action_not_in_table_is_refused(state, staff, household_a):
    """An action the table has no row for in this state is refused with the state named."""
    case = Case.objects.create(case_type="dibao", state=state, region_code=household_a.region_code,
                               household=household_a, applied_on=DAY)
    with pytest.raises(CaseError, match="不能执行此操作"):
        services.case_perform(acting_user=staff["county"], case_id=case.pk, action="grant_first", version=1, today=DAY)


def test_table_has_no_duplicate_and_every_action_has_a_handler():
    assert len(tt._INDEX) == sum(len(t.types) for t in tt.TRANSITIONS)
    assert {t.action for t in tt.TRANSITIONS} <= set(services.HANDLERS)


def test_every_open_state_waits_for_a_level():
    """The inbox column `waits_for` comes from the table: every state a case type can be in before
    it closes waits for someone; decisions wait for the decider."""
    from bangfu.cases.choices import FINAL_STATES

    reachable = {(ct, t.target) for t in tt.TRANSITIONS if t.forward for ct in t.types}
    reachable |= {(ct, "submitted") for ct in ("dibao", "dibao_individual", "tekun", "temporary_emergency",
                                              "temporary_expenditure")}
    reachable |= {(ct, "review_open") for ct in ("review", "benefit_change", "termination")}
    for case_type, state in reachable:
        if state in FINAL_STATES:
            continue
        assert tt.waiting_level(case_type, state, "county") in ("township", "county"), (case_type, state)
    assert tt.waiting_level("dibao", "awaiting_decision", "township") == "township"
    assert tt.waiting_level("dibao", "awaiting_decision", "county") == "county"
    assert tt.waiting_level("dibao", "approved", "county") == ""
