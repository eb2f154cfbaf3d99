"""The benefits app's role × action × region matrix, generated from benefits/permissions.py
(bangfu_testing/matrix.py): every Role × every action, inside and outside the household's region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu_testing import matrix
from bangfu.benefits import permissions as p

pytestmark = pytest.mark.django_db

def _publication(user, world):
    """The publication of recipients (办法 §24): outside the region household A's head (张伟,
    shown masked as 张*) is not listed (False)."""
    response = matrix.page(lambda w: reverse("benefits:publication"))(user, world)
    if response.status_code != 200:
        return response
    return "张*" in response.content.decode() or False


def _extend_reviews(user, world):
    """Extending due reviews (seed 篇三（四）) for the county of household A: outside that county
    NotFound, without the permission NotPermitted."""
    import datetime as dt

    from bangfu.benefits import services
    from bangfu.regions.codes import RegionCode

    return services.review_extension_create(
        acting_user=user, county=RegionCode(world["household"].region_code).county, document_name="通知", document_number="",
        document_date=dt.date(2026, 6, 1), event="洪涝灾害", months=1, due_from=dt.date(2026, 7, 1), due_to=dt.date(2026, 7, 31))


ENTRIES = {p.VIEW_BENEFITS: _publication, p.EXTEND_REVIEWS: _extend_reviews}


def test_every_action_has_an_entry_point():
    matrix.check_entries_cover_table("benefits", ENTRIES)


@pytest.mark.parametrize(("action", "role"), matrix.cases("benefits"))
def test_role_action_region(action, role, regions, dibao_a, household_a):
    inside, outside = matrix.actors(regions, role)
    matrix.check("benefits", action, role, ENTRIES, {"household": household_a}, inside, outside)
