"""The registry API answers errors in the project's one schema (common.api_errors.ErrorOut)."""

from __future__ import annotations

import pytest

from bangfu_testing.api import KEYS, NOT_FOUND, api_error
from bangfu_testing.english import assert_no_cjk
from bangfu.registry.error_codes import RegistryErrorCode
from bangfu.registry.errors import DuplicatePerson, RegistryError

pytestmark = pytest.mark.django_db


def test_not_found_and_other_village_answer_the_same(client, users, household_b):
    for pk in (household_b.pk, 999999):
        assert api_error(client, users["village_a"], f"/api/households/{pk}", status=404) == NOT_FOUND


def test_not_logged_in_is_401_in_the_schema(client):
    body = api_error(client, None, "/api/households", status=401)
    assert body == {"code": "unauthenticated", "message": "请先登录", "field": None, "errors": {}}


def test_validation_error_names_the_field(client, users):
    body = api_error(client, users["village_a"], "/api/households", data={"before": "abc"}, status=422)
    assert body["code"] == "invalid" and body["field"] == "before" and body["errors"]["before"]


def test_registry_error_codes():
    assert RegistryError("x").code == RegistryErrorCode.INVALID.value
    assert DuplicatePerson({"id_number": ["已登记"]}).code == "duplicate_person"
    assert str(RegistryError({"name": ["请填写姓名"]})) == "name: 请填写姓名"  # the older text, for imports


def test_openapi_declares_the_schema(client, users):
    client.force_login(users["village_a"])  # the schema is for logged-in users only (issue 13)
    schema = client.get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == KEYS
    responses = schema["paths"]["/api/households"]["post"]["responses"]
    assert responses["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_refusals_answer_in_english(client, users):
    assert_no_cjk(api_error(client, None, "/api/households", status=401, language="en")["message"])
    body = api_error(client, users["partner"], "/api/households", method="post", data={"village": "340102001001", "members": []},
                     status=403, language="en")
    assert body["code"] == "forbidden"
    assert_no_cjk(body["message"])
