"""The registry API answers errors in the project's one schema (common.api_errors.ErrorOut)."""

from __future__ import annotations

import pytest

from bangfu.registry.error_codes import RegistryErrorCode
from bangfu.registry.errors import DuplicatePerson, RegistryError

pytestmark = pytest.mark.django_db
KEYS = {"code", "message", "field", "errors"}


def test_not_found_and_other_village_answer_the_same(client, users, household_b):
    client.force_login(users["village_a"])
    for pk in (household_b.pk, 999999):
        response = client.get(f"/api/households/{pk}")
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "记录不存在", "field": None, "errors": {}}


def test_not_logged_in_is_401_in_the_schema(client):
    response = client.get("/api/households")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "请先登录", "field": None, "errors": {}}


def test_validation_error_names_the_field(client, users):
    client.force_login(users["village_a"])
    response = client.get("/api/households", {"before": "abc"})
    body = response.json()
    assert response.status_code == 422 and set(body) == KEYS
    assert body["code"] == "invalid" and body["field"] == "before" and body["errors"]["before"]


def test_registry_error_codes():
    assert RegistryError("x").code == RegistryErrorCode.INVALID.value
    assert DuplicatePerson({"id_number": ["已登记"]}).code == "duplicate_person"
    assert str(RegistryError({"name": ["请填写姓名"]})) == "name: 请填写姓名"  # the older text, for imports


def test_openapi_declares_the_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == KEYS
    responses = schema["paths"]["/api/households"]["post"]["responses"]
    assert responses["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
