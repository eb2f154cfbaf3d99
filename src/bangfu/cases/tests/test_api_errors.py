"""The cases API answers refusals in the project's one schema: forbidden 403, stale 409, a refused
step 400, and a refusal from the engine or benefits with their own codes (no conversion)."""

from __future__ import annotations

import pytest

from bangfu_testing.api import api_error
from bangfu_testing.english import assert_no_cjk
from bangfu.cases.error_codes import CaseErrorCode
from bangfu.cases.rules import CaseError
from bangfu.common.errors import DomainError

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _post(client, user, case, **body):
    client.force_login(user)
    return client.post(f"/api/cases/{case.pk}/actions", body, content_type="application/json")


def test_forbidden_stale_and_invalid(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    # forbidden: a village worker may not accept
    response = _post(client, staff["village_a"], case, action="accept", version=1)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden" and body["message"] and body["field"] is None and body["errors"] == {}
    client.logout()
    assert _post(client, staff["township_a"], case, action="accept", version=1).status_code == 200
    # stale: version 1 again
    response = _post(client, staff["township_a"], case, action="start_investigation", version=1)
    assert response.status_code == 409 and response.json()["code"] == "stale"
    # a step the state does not allow
    response = _post(client, staff["township_a"], case, action="approve", version=2)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_other_region_is_404_in_the_schema(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    response = _post(client, staff["township_b"], case, action="accept", version=1)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_case_error_codes():
    assert CaseError("x").code == CaseErrorCode.INVALID.value
    assert CaseError("x", "forbidden").http_status == 403
    assert CaseError("x", CaseErrorCode.STALE).http_status == 409
    assert CaseError("x", "rate_limited").http_status == 429
    assert isinstance(CaseError("x"), DomainError) and CaseError("说明").message == "说明"


def test_refusals_answer_in_english(client, staff):
    body = api_error(client, staff["partner"], "/api/cases/inbox", status=403, language="en")
    assert body["code"] == "forbidden"
    assert_no_cjk(body["message"])


@pytest.mark.parametrize("role", ["partner", "station", "helper"])
def test_roles_without_cases_get_403_in_the_schema_on_every_endpoint(client, flow, household_a, staff, regions, role):
    """Issue 13: the case API answered PermissionDenied as a 500 for the partner, station and
    helper roles; each endpoint answers 403 with the error body."""
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    case = flow.create(household_a, today=DAY)
    user = {"partner": staff["partner"],
            "station": make_user("station_x", Role.STATION_STAFF, regions["county"]),
            "helper": make_user("helper_x", Role.HELPER, regions["village_a"])}[role]
    for url in ("/api/cases/inbox", f"/api/cases/{case.pk}"):
        body = api_error(client, user, url, status=403)
        assert body["code"] == "forbidden" and body["message"]
    body = api_error(client, user, f"/api/cases/{case.pk}/actions", status=403, method="post",
                     data={"action": "accept", "version": 1})
    assert body["code"] == "forbidden" and body["message"]
