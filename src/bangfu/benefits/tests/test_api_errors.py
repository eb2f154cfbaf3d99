"""The benefits API answers errors in the project's one schema."""

from __future__ import annotations

import pytest

from bangfu_testing.api import NOT_FOUND, api_error
from bangfu_testing.english import assert_no_cjk
from bangfu.benefits.error_codes import BenefitErrorCode
from bangfu.benefits.services import BenefitError
from bangfu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def test_household_outside_the_region_is_404(client, users, household_b):
    assert api_error(client, users["village_a"], f"/api/benefits/households/{household_b.pk}", status=404) == NOT_FOUND


def test_a_bad_query_names_the_field(client, users):
    body = api_error(client, users["county"], "/api/benefits/due", data={"within_days": -1}, status=422)
    assert body["code"] == "invalid" and body["field"] == "within_days" and body["errors"]["within_days"]


def test_benefit_error_code():
    error = BenefitError("核查分类须为A类或B类")
    assert isinstance(error, DomainError) and error.code == BenefitErrorCode.INVALID.value and error.http_status == 400
    assert error.message == "核查分类须为A类或B类"


def test_refusals_answer_in_english(client, users, household_b):
    body = api_error(client, users["village_a"], f"/api/benefits/households/{household_b.pk}", status=404, language="en")
    assert body["code"] == "not_found"
    assert_no_cjk(body["message"])
    body = api_error(client, users["county"], "/api/benefits/due", data={"within_days": -1}, status=422, language="en")
    assert_no_cjk(str(body["errors"]))
