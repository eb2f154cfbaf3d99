"""Issue 13 "server errors on bad input": /api/assess answers every bad input 422 in the API error
body (code, message, field, errors) — a date beyond any plausible one, numbers beyond 64 bits,
thousands of nested brackets, implausible birth dates — never a 500."""

from __future__ import annotations

import pytest

from bangfu_testing.api import KEYS

pytestmark = pytest.mark.django_db

BIG = "123456789012345678901234567890"


@pytest.fixture
def api(client, users):
    client.raise_request_exception = False
    client.force_login(users["village_a"])
    return client


def couple(**fields) -> dict:
    doc = {"id": "H-1", "region_code": "341122100201", "hukou_type": "rural",
           "members": [{"id": 1, "birth_date": "1980-03-01", "sex": "M", "relation": "head"},
                       {"id": 2, "birth_date": "1982-06-01", "sex": "F", "relation": "spouse"}],
           "incomes": [{"member": 1, "kind": "wage", "monthly_amount": "600.00", "valid_from": "2024-01-01"}]}
    doc.update(fields)
    return doc


def refused(response, field: str | None = None) -> dict:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == KEYS and body["code"] == "invalid" and body["message"]
    if field is not None:
        assert field in body["errors"], body["errors"]
    return body


def post(client, body, path="/api/assess?on=2025-08-01"):
    return client.post(path, body, content_type="application/json")


def test_year_9999_as_the_assessment_date(api):
    body = refused(post(api, couple(), "/api/assess?on=9999-12-31"), "on")
    assert body["errors"]["on"] == ["日期 9999-12-31 超出范围，应在 1900-01-01 至 2099-12-31 之间"]
    refused(post(api, {"on": "9999-12-31", "households": [couple()]}, "/api/assess"), "on")


@pytest.mark.parametrize("incomes", [
    [{"member": 1, "kind": "wage", "monthly_amount": BIG, "valid_from": "2024-01-01"}],
    [{"member": 1, "kind": "wage", "monthly_amount": int(BIG), "valid_from": "2024-01-01"}],
    [{"member": 1, "kind": "wage", "monthly_amount_fen": int(BIG), "valid_from": "2024-01-01"}],
    [{"member": 1, "kind": "wage", "monthly_amount": "1e999999", "valid_from": "2024-01-01"}],
])
def test_amounts_beyond_64_bits(api, incomes):
    body = refused(post(api, couple(incomes=incomes)))
    assert any("过大" in m for messages in body["errors"].values() for m in messages), body["errors"]


def test_an_asset_quantity_beyond_64_bits(api):
    body = refused(post(api, couple(assets=[{"kind": "vehicle", "value": "1000", "quantity": int(BIG)}])))
    assert any("quantity" in k for k in body["errors"]), body["errors"]


def test_ten_to_the_sixteen_yuan_is_refused_and_ten_to_the_nine_allowed(api):
    refused(post(api, couple(incomes=[{"member": 1, "kind": "wage", "monthly_amount": "1" + "0" * 16, "valid_from": "2024-01-01"}])))
    ok = post(api, couple(assets=[{"kind": "deposit", "value": "1000000000"}]))
    assert ok.status_code == 200, ok.content[:300]


@pytest.mark.parametrize("birth", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_implausible_birth_dates(api, birth):
    members = [{"id": 1, "birth_date": birth, "sex": "M", "relation": "head"}]
    body = refused(post(api, couple(members=members, incomes=[])))
    assert any("birth_date" in k for k in body["errors"]), body["errors"]


def test_ten_thousand_nested_brackets(api):
    body = refused(post(api, "[" * 10_000))
    assert body["errors"]["__all__"] == ["请求内容嵌套层数过多，不是家庭文档"]


def test_multipart_without_a_boundary_is_a_4xx_in_the_error_body(api):
    for path in ("/api/assess", "/api/households"):
        response = api.generic("POST", path, b"--x\r\n", content_type="multipart/form-data")
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert set(response.json()) == KEYS


def test_a_body_over_the_upload_limit_is_a_413_in_the_error_body(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(api, [couple()] * 20)
    assert response.status_code == 413
    body = response.json()
    assert set(body) == KEYS and body["message"] == "请求内容过大"
