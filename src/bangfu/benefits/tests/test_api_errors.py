"""The benefits API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu.benefits.error_codes import BenefitErrorCode
from bangfu.benefits.services import BenefitError
from bangfu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def test_household_outside_the_region_is_404(client, users, household_b):
    client.force_login(users["village_a"])
    response = client.get(f"/api/benefits/households/{household_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在", "field": None, "errors": {}}


def test_a_bad_query_names_the_field(client, users):
    client.force_login(users["county"])
    response = client.get("/api/benefits/due", {"within_days": -1})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "within_days" and body["errors"]["within_days"]


def test_benefit_error_code():
    error = BenefitError("核查分类须为A类或B类")
    assert isinstance(error, DomainError) and error.code == BenefitErrorCode.INVALID.value and error.http_status == 400
    assert error.message == "核查分类须为A类或B类"
