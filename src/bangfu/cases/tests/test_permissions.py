"""The case app's role × action × region matrix for the actions around the transitions, generated
from cases/permissions.py (bangfu_testing/matrix.py); the transitions themselves have theirs in
test_matrix.py. Every Role × every action, inside and outside the household's region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu_testing import matrix
from bangfu.cases import permissions as p
from bangfu.cases import services
from bangfu.cases.models import Case
from bangfu.cases.services import CaseError

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _create(user, world):
    return services.case_create(acting_user=user, case_type="dibao", household=world["household"], today=DAY)


def _open_review(user, world):
    """Open a review case for household A's benefit; outside the region the benefit is refused."""
    try:
        return services.review_cases_open(acting_user=user, benefit_ids=[world["benefit"].pk], today=DAY)
    except CaseError as exc:
        assert "辖区" in exc.message, exc.message
        return False


ENTRIES = {
    p.VIEW_CASES: matrix.page(lambda w: reverse("cases:case_detail", args=[w["case"].pk])),
    p.CREATE_CASE: _create,
    p.OPEN_REVIEW: _open_review,
}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("cases", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("cases"))
def test_role_action_region(action, role, regions, users, household_a):
    from bangfu.benefits import services as benefits
    from bangfu.benefits.choices import Programme

    benefit = benefits.benefit_grant(acting_user=users["county"], household=household_a, programme=Programme.DIBAO,
                             monthly_amount_fen=60000, approved_on=dt.date(2025, 1, 15), case_id=101, review_class="A")
    case = Case.objects.create(case_type="tekun", state="submitted", region_code=household_a.region_code,
                               household=household_a, applied_on=DAY)
    inside, outside = matrix.actors(regions, role)
    world = {"household": household_a, "benefit": benefit, "case": case}
    matrix.check("cases", action, role, ENTRIES, world, inside, outside)
