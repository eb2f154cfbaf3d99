"""Registry API: /api/households (list, detail, create), session auth, masked numbers, Chinese errors."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog
from bangfu_testing.factories import make_id_number, person_data
from bangfu.registry import services
from bangfu.registry.models import Household, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(client, users):
    client.force_login(users["village_a"])
    return users["village_a"]


def member(name: str, relation: str, number: str | None = None, **extra) -> dict:
    return {"name": name, "relation": relation, "id_number": number or make_id_number(), **extra}


def post(client, payload):
    return client.post("/api/households", payload, content_type="application/json")


class TestList:
    def test_rows_are_masked_and_scoped(self, client, worker, household_a, household_b):
        services.person_update(acting_user=worker, person_id=household_a.head_id, data={"phone": "13812345678"})
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="classification",
                          data={"kind": "category", "code": "dibao", "start_date": dt.date(2024, 1, 1)})
        head = Person.objects.get(pk=household_a.head_id)

        body = client.get("/api/households").json()

        assert body == {"items": [{
            "id": household_a.pk, "head_name": "张伟", "head_id_number": mask_id_number(head.id_number),
            "head_phone": "138****5678", "village_code": "340102001001", "village_name": "胜利社区",
            "member_count": 2, "categories": ["dibao"], "housing_safety": "unknown", "status": "active",
        }], "next_before": None}

    def test_keyset_paging(self, client, worker, regions):
        made = [services.household_create(acting_user=worker, region_id=regions["village_a"].pk,
                                          members=[person_data(f"户主{i}")]).pk for i in range(52)]
        first = client.get("/api/households").json()
        assert [r["id"] for r in first["items"]] == sorted(made, reverse=True)[:50]
        assert first["next_before"] == sorted(made, reverse=True)[49]
        second = client.get("/api/households", {"before": first["next_before"]}).json()
        assert [r["id"] for r in second["items"]] == sorted(made, reverse=True)[50:]
        assert second["next_before"] is None

    def test_filters(self, client, worker, household_a):
        head = Person.objects.get(pk=household_a.head_id)
        assert [r["id"] for r in client.get("/api/households", {"q": head.id_number[-4:]}).json()["items"]] == [household_a.pk]
        assert client.get("/api/households", {"q": "不存在的人"}).json()["items"] == []
        assert client.get("/api/households", {"category": "tekun"}).json()["items"] == []
        assert client.get("/api/households", {"status": "all"}).json()["items"][0]["id"] == household_a.pk

    def test_bad_filter_value_is_422(self, client, worker):
        response = client.get("/api/households", {"category": "rich"})
        assert response.status_code == 422

    def test_query_count_is_flat(self, client, worker, regions, django_assert_max_num_queries):
        for i in range(20):
            services.household_create(acting_user=worker, region_id=regions["village_a"].pk, members=[person_data(f"户主{i}")])
        with django_assert_max_num_queries(6):
            assert len(client.get("/api/households").json()["items"]) == 20


class TestDetail:
    def test_members_masked_items_and_logged(self, client, worker, household_a):
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="income",
                          data={"kind": "pension", "monthly_amount_fen": 150000, "valid_from": dt.date(2024, 1, 1)})
        response = client.get(f"/api/households/{household_a.pk}")
        body = response.json()
        assert response.status_code == 200
        assert body["id"] == household_a.pk and body["address"] == "胜利路1号" and body["village_code"] == "340102001001"
        numbers = {p.name: p.id_number for p in household_a.members.all()}
        assert [(m["name"], m["id_number"], m["relation"]) for m in body["members"]] == [
            ("张伟", mask_id_number(numbers["张伟"]), "head"), ("李娜", mask_id_number(numbers["李娜"]), "spouse")]
        assert all(n not in response.content.decode() for n in numbers.values())
        assert body["members"][1]["sex"] == "F" and body["members"][0]["age"] >= 40
        assert body["incomes"][0]["monthly_amount_fen"] == 150000 and body["incomes"][0]["kind"] == "pension"
        assert body["assets"] == [] and body["expenses"] == [] and body["classifications"] == []
        log = AccessLog.objects.get()
        assert (log.action, log.user, log.object_id) == (AccessLog.Action.VIEW_RECORD, worker, str(household_a.pk))

    def test_missing_is_404(self, client, worker):
        response = client.get("/api/households/999999")
        assert response.status_code == 404
        assert not AccessLog.objects.exists()


class TestCreate:
    def test_creates_with_two_members(self, client, worker, regions):
        spouse_number = make_id_number(sex="F")
        response = post(client, {
            "village": "340102001001", "address": "胜利路9号", "housing_safety": "d_grade",
            "members": [member("马强", "head", phone="13900001111"),
                        member("刘芳", "spouse", spouse_number.lower(), major_illnesses=["uremia"], can_walk_indoors=False,
                               disability_type="visual", disability_grade=1)],
        })
        assert response.status_code == 201, response.content
        body = response.json()
        household = Household.objects.get(pk=body["id"])
        assert household.head.name == "马强" and household.housing_safety == "d_grade"
        spouse = household.members.get(name="刘芳")
        assert spouse.id_number == spouse_number and spouse.major_illnesses == ["uremia"]
        assert (spouse.can_walk_indoors, spouse.disability_grade, spouse.disability_type) == (False, 1, "visual")
        assert body["members"][1]["id_number"] == mask_id_number(spouse_number)
        assert body["members"][0]["phone"] == "139****1111"

    def test_bad_id_number_is_keyed_by_member_and_saves_nothing(self, client, worker):
        good = make_id_number()
        wrong = make_id_number(sex="F")
        wrong = wrong[:-1] + ("3" if wrong[-1] != "3" else "4")
        response = post(client, {"village": "340102001001", "members": [member("甲", "head", good), member("乙", "spouse", wrong)]})
        assert response.status_code == 422
        body = response.json()
        assert body["message"] == "输入有误，未保存" and body["code"] == "invalid"
        assert list(body["errors"]) == ["members.1.id_number"]
        assert body["errors"]["members.1.id_number"][0].startswith("校验码错误：末位应为 ")
        assert Household.objects.count() == 0 and Person.objects.count() == 0

    def test_several_errors_and_village_out_of_scope(self, client, worker):
        response = post(client, {"village": "340102002001", "members": [
            member("", "head", phone="abc"), member("乙", "child", enrolled=True, dropped_out=True)]})
        errors = response.json()["errors"]
        assert response.status_code == 422
        assert errors["village"] == ["请选择您辖区内的村（社区）（12位区划代码）"]
        assert errors["members.0.name"] == ["请填写姓名"]
        assert errors["members.0.phone"] == ["电话号码应为7–12位数字"]
        assert errors["members.1.dropped_out"] == ["不能同时为“在校”和“辍学”"]
        assert Household.objects.count() == 0

    def test_service_errors_are_mapped(self, client, worker):
        response = post(client, {"village": "340102001001", "members": [member("甲", "child"), member("乙", "child")]})
        assert response.status_code == 422
        assert response.json()["errors"] == {"members": ["须有且只有一名成员的关系为“户主”"]}
        response = post(client, {"village": "340102001001", "members": []})
        assert response.json()["errors"] == {"members": ["家庭至少要有一名成员"]}

    def test_duplicate_in_another_region_does_not_say_where(self, client, worker, household_b):
        taken = Person.objects.get(pk=household_b.head_id).id_number
        response = post(client, {"village": "340102001001", "members": [member("甲", "head", taken)]})
        message = response.json()["errors"]["members.0.id_number"][0]
        assert "已在系统中登记" in message and str(household_b.pk) not in message and "大兴" not in message

    def test_partner_viewer_is_403(self, client, users):
        client.force_login(users["partner"])
        response = post(client, {"village": "340102001001", "members": [member("甲", "head")]})
        assert response.status_code == 403
        assert response.json() == {"code": "forbidden", "message": "您没有执行此操作的权限", "field": None, "errors": {}}
        assert Household.objects.count() == 0

    def test_wrong_type_is_422(self, client, worker):
        response = post(client, {"village": "340102001001", "members": [member("甲", "head", relation_extra=1, can_eat="maybe")]})
        assert response.status_code == 422
        assert Household.objects.count() == 0


def test_openapi_schema_lists_the_endpoints(client, worker):
    client.force_login(worker)  # the schema is for logged-in users only (issue 13)
    schema = client.get("/api/openapi.json").json()
    assert {"/api/households", "/api/households/{household_id}"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/households"]) == {"get", "post"}
    props = schema["components"]["schemas"]["HouseholdIn"]["properties"]
    assert {"village", "members", "housing_safety"} <= set(props)


def test_chinese_validation_errors_handler():
    from ninja.errors import ValidationError

    from bangfu.registry.api import chinese_validation_errors

    exc = ValidationError([
        {"type": "missing", "loc": ("body", "payload", "village"), "msg": "Field required"},
        {"type": "enum", "loc": ("body", "payload", "members", 1, "relation"), "msg": "Input should be ...",
         "ctx": {"expected": "'head', 'spouse'"}},
        {"type": "bool_parsing", "loc": ("body", "payload", "members", 0, "can_eat"), "msg": "..."},
        {"type": "date_from_datetime_parsing", "loc": ("query", "filters", "day"), "msg": "..."},
    ])
    response = chinese_validation_errors(None, exc)
    import json

    assert response.status_code == 422
    assert json.loads(response.content) == {"code": "invalid", "message": "输入有误，未保存", "field": None, "errors": {
        "village": ["必填"],
        "members.1.relation": ["取值无效，可选：'head', 'spouse'"],
        "members.0.can_eat": ["应为 true 或 false"],
        "day": ["日期格式应为 YYYY-MM-DD"],
    }}
