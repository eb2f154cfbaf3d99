"""The API answers no server error to anything (issue 13, "API fuzzing in the suite").

Schemathesis generates requests from the API's own OpenAPI schema (every operation, every
parameter, bodies that follow the schema and bodies that do not) and sends them through the WSGI
application in this process, logged in (session cookie and CSRF token, as a browser) as an account
of every role. Bounded and reproducible: a fixed number of examples per operation, derandomized.
Any 5xx fails the test, listed with the request that caused it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings

pytestmark = pytest.mark.django_db

# Examples per operation: the county officer (who may do most) gets the most, every other role a
# few (their requests mostly end at the permission check, which is what they exercise).
EXAMPLES = {"county_officer": 12}
EXAMPLES_OTHER_ROLES = 3
CSRF = "p" * 32  # a CSRF secret the test sets as cookie and header alike


@pytest.fixture
def accounts(users, regions, household_a, household_b):
    """One account of every role, inside the region of the households."""
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    extra = {Role.STATION_STAFF: regions["county"], Role.HELPER: regions["village_a"]}
    accounts = {u.role: u for key, u in users.items() if key != "village_b"}
    for role, region in extra.items():
        accounts[role] = make_user(f"fuzz_{role}", role, region)
    assert set(accounts) == set(Role.values)
    return accounts


def _schema():
    import schemathesis
    from django.core.handlers.wsgi import WSGIHandler

    from bangfu.api_urls import api

    # From the API object itself, not /api/openapi.json: whether the schema is public is not ours.
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
    schema.app = WSGIHandler()
    return schema


def _cookies(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.fixture
def connection_kept():
    """Django's test client keeps the test's database connection open across requests; a request
    through the bare WSGI handler ends with `close_old_connections`, which on PostgreSQL closes the
    connection holding the test's transaction. Keep it open, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_request_to_the_api_is_a_server_error(accounts, household_a, connection_kept):
    schema = _schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    errors: dict[str, str] = {}
    real = {"household_id": household_a.pk}
    calls = 0
    for role, user in sorted(accounts.items()):
        cookies = _cookies(user)
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES.get(role, EXAMPLES_OTHER_ROLES), derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def probe(case):
                nonlocal calls
                # as generated, and (for an operation on one object) again on an object that exists
                variants = [dict(case.path_parameters or {})]
                if case.path_parameters and set(case.path_parameters) <= set(real):
                    variants.append({k: real[k] for k in case.path_parameters})
                for path_parameters in variants:
                    case.path_parameters = path_parameters or case.path_parameters
                    response = case.call(cookies=cookies, headers={"X-CSRFToken": CSRF})
                    calls += 1
                    if response.status_code >= 500:
                        key = f"{role} {operation.method.upper()} {operation.path} {response.status_code}"
                        errors.setdefault(key, case.as_curl_command())

            probe()
    assert calls > 500
    assert not errors, f"{len(errors)} server errors:\n" + "\n".join(f"{k}\n    {v}" for k, v in sorted(errors.items()))


def test_outreach_overdue_with_an_id_beyond_the_database_integer_is_refused(accounts):
    """Found by the fuzzing above (not in issue 13's list): `helper` or the page cursor beyond
    int64 reached the database and overflowed (a 500)."""
    client = Client()
    client.force_login(accounts["county_officer"])
    response = client.get("/api/outreach/overdue", {"helper": "-103344818092408215118544896"})
    assert response.status_code == 422, response.content[:300]
    response = client.get("/api/outreach/overdue", {"helper": str(2**63)})
    assert response.status_code == 422, response.content[:300]
    response = client.get("/api/outreach/overdue", {"after": f"340102001001-{2**64}"})
    assert response.status_code == 200, response.content[:300]
