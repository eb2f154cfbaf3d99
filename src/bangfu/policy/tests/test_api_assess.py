"""POST /api/assess (issue 3 "Interfaces"): household JSON documents in, the determination out.

The expected amounts are computed by hand from the shipped defaults (defaults.yaml): 来安县
(341122) lies in 滁州市 (3411), whose rural dibao standard is 700.00 元 from 2024-07-01 and
730.00 元 from 2025-07-01 (示例值). R11 / 《社会救助暂行办法》第十二条: household amount =
standard × members − counted income; with no A/B member (R14) nothing is added; the household
amount is rounded up to the yuan (`rounding_household_amount` = yuan_up).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from bangfu.common.models import AccessLog
from bangfu.policy.models import ParameterValue

pytestmark = pytest.mark.django_db

ON = "2025-08-01"


@pytest.fixture
def api(client, users):
    client.force_login(users["village_a"])
    return client


def couple(**fields) -> dict:
    """Two adults in 来安县, rural; the head earns 600.00 元 a month, the spouse nothing."""
    doc = {
        "id": "H-1", "region_code": "341122100201", "hukou_type": "rural",
        "members": [
            {"id": 1, "birth_date": "1980-03-01", "sex": "M", "relation": "head"},
            {"id": 2, "birth_date": "1982-06-01", "sex": "F", "relation": "spouse"},
        ],
        "incomes": [{"member": 1, "kind": "wage", "monthly_amount": "600.00", "valid_from": "2024-01-01"}],
    }
    doc.update(fields)
    return doc


def post(client, body, **query):
    path = "/api/assess"
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(path, body, content_type="application/json")


class TestDetermination:
    def test_hand_computed_amount(self, api):
        # given: per-capita income 600.00 / 2 = 300.00 < 730.00 (滁州 rural standard from 2025-07-01)
        # when
        response = post(api, couple(), on=ON)
        # then: (730.00 × 2 − 600.00) = 860.00 元, already whole yuan
        assert response.status_code == 200
        out = response.json()
        assert out["id"] == "H-1" and out["on"] == ON
        assert out["standard_fen"] == 73000
        assert out["per_capita_income_fen"] == 30000
        assert out["dibao_eligible"] is True and out["dibao_basis"] == "income"
        assert out["dibao_gap_fen"] == 86000
        assert out["dibao_supplement_fen"] == 0
        assert out["dibao_amount_fen"] == 86000
        assert [m["dibao_level_fen"] for m in out["members"]] == [43000, 43000]  # 730.00 − 300.00 each
        texts = [r["text"] for r in out["reasons"]]
        assert any("家庭月人均收入 300.00 元，低于当地农村低保标准 730.00 元（农村低保标准，自 2025-07-01 起" in t for t in texts)

    def test_past_date_uses_the_value_then_in_force(self, api):
        # on 2025-06-30 the 滁州 rural standard was 700.00: (700.00 × 2 − 600.00) = 800.00 元
        out = post(api, couple(), on="2025-06-30").json()
        assert out["standard_fen"] == 70000 and out["dibao_amount_fen"] == 80000

    def test_list_and_envelope(self, api):
        listed = post(api, [couple(), couple(id="H-2", hukou_type="urban")], on=ON).json()
        assert [d["id"] for d in listed] == ["H-1", "H-2"]
        # 滁州 urban standard 790.00 from 2025-07-01: 790.00 × 2 − 600.00 = 980.00
        assert listed[1]["dibao_amount_fen"] == 98000
        enveloped = post(api, {"on": ON, "households": [couple()]}).json()
        assert isinstance(enveloped, list) and enveloped[0]["dibao_amount_fen"] == 86000

    def test_without_reasons(self, api):
        out = post(api, couple(), on=ON, reasons="false").json()
        assert out["reasons"] == [] and out["dibao_amount_fen"] == 86000

    def test_administrator_value_is_used_and_the_cache_follows_it(self, api, users):
        # given: the cache holds the defaults
        assert post(api, couple(), on=ON).json()["dibao_amount_fen"] == 86000
        # when: a county value is written without any signal (as another process's bulk write would be)
        ParameterValue.objects.bulk_create([ParameterValue(
            name="dibao_standard_rural", region_code="341122000000", valid_from=dt.date(2025, 7, 15),
            value="750.00", citation_document="来安县文件")])
        # then: the version query sees it: 750.00 × 2 − 600.00 = 900.00
        assert post(api, couple(), on=ON).json()["dibao_amount_fen"] == 90000

    def test_nothing_is_logged(self, api):
        before = AccessLog.objects.count()
        post(api, couple(), on=ON)
        assert AccessLog.objects.count() == before


class TestRefusals:
    def test_bad_document_names_the_field_in_chinese(self, api):
        doc = couple()
        doc["members"][0]["sex"] = "X"
        doc["incomes"][0]["monthly_amount"] = "12.345"
        response = post(api, doc, on=ON)
        assert response.status_code == 422
        body = response.json()
        assert body["message"] == "家庭文档有误，未作测评" and body["code"] == "invalid"
        assert body["errors"]["第1户.members[0].sex"][0].startswith("“X”不是有效代码")
        assert body["errors"]["第1户.incomes[0].monthly_amount"] == ["金额“12.345”最多保留两位小数"]

    @pytest.mark.parametrize("body, key, message", [
        ("not json", "__all__", "请求内容不是有效的 JSON"),
        ([], "__all__", "请求应为一户的家庭文档或家庭文档列表"),
        ({"on": "2025/08/01", "households": []}, "on", "日期格式应为 YYYY-MM-DD"),
        ({"households": [], "colour": 1}, "__all__", "未知字段 colour"),
    ])
    def test_bad_requests(self, api, body, key, message):
        response = api.post("/api/assess", body, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["errors"][key] == [message]

    def test_bad_query_date(self, api):
        response = post(api, couple(), on="2025-13-01")
        assert response.status_code == 422 and "on" in response.json()["errors"]

    def test_date_before_any_value(self, api):
        response = post(api, couple(), on="2019-01-01")
        assert response.status_code == 422
        assert "没有有效取值" in response.json()["errors"]["on"][0]

    def test_anonymous_is_401(self, client):
        assert post(client, couple(), on=ON).status_code == 401

    def test_csrf_is_enforced_for_the_session(self, users):
        client = Client(enforce_csrf_checks=True)
        client.force_login(users["partner"])
        assert post(client, couple(), on=ON).status_code == 403
        client.get("/registry/")  # any page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        response = client.post(f"/api/assess?on={ON}", couple(), content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 200  # any logged-in role may call it


def test_documented_in_the_openapi_schema(api):
    operation = api.get("/api/openapi.json").json()["paths"]["/api/assess"]["post"]
    assert [p["name"] for p in operation["parameters"]] == ["on", "reasons"]
    assert "application/json" in operation["requestBody"]["content"]
