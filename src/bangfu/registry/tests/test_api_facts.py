"""Registry API and the facts of issue 14: gugua, supporters checked, death date, local hukou,
计生二女结扎户 and the outside supporters (registry.Supporter) — read, written, scoped, masked,
logged and validated as the pages do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.accounts.choices import Role
from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog
from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.models import Household, Supporter
from bangfu_testing.factories import make_id_number, make_user, person_data, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(client, users):
    client.force_login(users["village_a"])
    return users["village_a"]


@pytest.fixture
def other_county_officer(regions):
    """A county officer of 庐阳区, another county of the same city."""
    county = region("340103", "庐阳区", regions["city"])
    return make_user("luyang", Role.COUNTY_OFFICER, county)


def supporters_url(person_id: int) -> str:
    return f"/api/persons/{person_id}/supporters"


def add_supporter(client, person_id: int, **extra):
    payload = {"duty": "elder", "relation": "child", "name": "张大", **extra}
    return client.post(supporters_url(person_id), payload, content_type="application/json")


def patch(client, url: str, payload: dict):
    return client.patch(url, payload, content_type="application/json")


class TestRead:
    def test_detail_carries_the_new_facts_and_masked_supporters(self, client, worker, household_a):
        # given
        head = household_a.head
        number = make_id_number(birth=dt.date(1960, 3, 1))
        services.person_update(acting_user=worker, person_id=head.pk, data={"gugua": False})
        services.household_update(acting_user=worker, household_id=household_a.pk, local_hukou=False,
                                  family_planning_two_daughters=True)
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="supporter",
                          data={"person_id": head.pk, "duty": "elder", "relation": "child", "name": "张大",
                                "id_number": number, "on_dibao": True})
        # when
        response = client.get(f"/api/households/{household_a.pk}")
        # then
        body = response.json()
        assert response.status_code == 200
        assert (body["local_hukou"], body["family_planning_two_daughters"]) == (False, True)
        first = body["members"][0]
        assert (first["gugua"], first["supporters_checked"], first["death_date"]) == (False, "recorded", None)
        assert body["members"][1]["gugua"] is None  # unknown stays unknown, not "no"
        [supporter] = body["supporters"]
        assert supporter["id_number"] == mask_id_number(number) and number not in response.content.decode()
        assert (supporter["person_id"], supporter["birth_date"], supporter["on_dibao"], supporter["capacity"]) == (
            head.pk, "1960-03-01", True, "")

    def test_supporter_list_is_masked_and_logged(self, client, worker, household_a):
        head = household_a.head
        number = make_id_number()
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="supporter",
                          data={"person_id": head.pk, "duty": "elder", "relation": "child", "name": "张大", "id_number": number})
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="supporter",
                          data={"person_id": head.pk, "duty": "elder", "relation": "sibling", "name": "张二"})

        response = client.get(supporters_url(head.pk))

        assert response.status_code == 200
        assert [(s["name"], s["id_number"]) for s in response.json()] == [("张大", mask_id_number(number)), ("张二", "")]
        assert number not in response.content.decode()
        log = AccessLog.objects.get()
        assert (log.action, log.user, log.object_type, log.object_id) == (AccessLog.Action.VIEW_RECORD, worker, "person", str(head.pk))


class TestScope:
    def test_another_county_sees_404_and_changes_nothing(self, client, household_a, other_county_officer, users):
        # given: a supporter recorded in village A of 瑶海区
        head = household_a.head
        supporter = services.item_add(acting_user=users["village_a"], household_id=household_a.pk, kind="supporter",
                                      data={"person_id": head.pk, "duty": "elder", "relation": "child", "name": "张大"})
        client.force_login(other_county_officer)
        # when / then: every route answers "not found", as for a record that does not exist
        assert client.get(supporters_url(head.pk)).status_code == 404
        assert add_supporter(client, head.pk).status_code == 404
        assert client.delete(f"{supporters_url(head.pk)}/{supporter.pk}").status_code == 404
        assert patch(client, f"/api/persons/{head.pk}", {"gugua": True}).status_code == 404
        assert patch(client, f"/api/households/{household_a.pk}", {"local_hukou": False}).status_code == 404
        assert client.get(f"/api/households/{household_a.pk}").status_code == 404
        assert Supporter.objects.count() == 1 and not AccessLog.objects.exists()
        head.refresh_from_db()
        assert head.gugua is None and Household.objects.get().local_hukou is True

    def test_other_village_worker_sees_404(self, client, household_a, users):
        client.force_login(users["village_b"])
        assert client.get(supporters_url(household_a.head_id)).status_code == 404

    def test_supporter_of_another_person_is_404(self, client, worker, household_a):
        head, spouse = household_a.head, household_a.members.get(relation="spouse")
        supporter = services.item_add(acting_user=worker, household_id=household_a.pk, kind="supporter",
                                      data={"person_id": head.pk, "duty": "elder", "relation": "child", "name": "张大"})
        assert client.delete(f"{supporters_url(spouse.pk)}/{supporter.pk}").status_code == 404
        assert Supporter.objects.filter(pk=supporter.pk).exists()

    def test_reader_without_edit_is_403_on_writes(self, client, household_a, users):
        client.force_login(users["partner"])
        assert client.get(supporters_url(household_a.head_id)).status_code == 200
        response = add_supporter(client, household_a.head_id)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert patch(client, f"/api/persons/{household_a.head_id}", {"gugua": True}).status_code == 403
        assert Supporter.objects.count() == 0


class TestWrite:
    def test_add_and_delete_are_in_the_history(self, client, worker, household_a):
        head = household_a.head
        number = make_id_number(birth=dt.date(1950, 6, 1))

        response = add_supporter(client, head.pk, id_number=number.lower(), income_below_disposable=True)

        assert response.status_code == 201, response.content
        body = response.json()
        assert body["id_number"] == mask_id_number(number) and body["birth_date"] == "1950-06-01"
        supporter = Supporter.objects.get()
        assert (supporter.id_number, supporter.household_id, supporter.region_code) == (number, household_a.pk, household_a.region_code)
        assert supporter.history.get().history_user == worker
        head.refresh_from_db()
        assert head.supporters_checked == c.SupportersChecked.RECORDED

        response = client.delete(f"{supporters_url(head.pk)}/{supporter.pk}")

        assert response.status_code == 204
        assert not Supporter.objects.exists()
        deleted = Supporter.history.filter(history_type="-").get()
        assert (deleted.id, deleted.history_user) == (supporter.pk, worker)

    def test_bad_supporter_is_422_keyed_by_field(self, client, worker, household_a):
        response = add_supporter(client, household_a.head_id, id_number="123")
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid" and body["message"] == "输入有误，未保存"
        assert list(body["errors"]) == ["id_number"]
        response = add_supporter(client, household_a.head_id, name="  ")
        assert response.json()["errors"] == {"name": ["请填写姓名"]}
        response = add_supporter(client, household_a.head_id, relation="cousin")
        assert response.status_code == 422 and "relation" in response.json()["errors"]
        assert Supporter.objects.count() == 0

    def test_create_household_with_the_facts(self, client, worker):
        response = client.post("/api/households", {
            "village": "340102001001", "local_hukou": False, "family_planning_two_daughters": True,
            "members": [{"name": "赵老", "relation": "head", "id_number": make_id_number(birth=dt.date(1940, 1, 1)),
                         "gugua": True, "supporters_checked": "none"}],
        }, content_type="application/json")
        assert response.status_code == 201, response.content
        household = Household.objects.get()
        assert (household.local_hukou, household.family_planning_two_daughters) == (False, True)
        assert (household.head.gugua, household.head.supporters_checked) == (True, "none")
        assert response.json()["members"][0]["gugua"] is True

    def test_create_defaults_leave_facts_unknown(self, client, worker):
        response = client.post("/api/households", {"village": "340102001001", "members": [person_data("钱一")]},
                               content_type="application/json")
        household = Household.objects.get(pk=response.json()["id"])
        assert household.local_hukou is True and household.family_planning_two_daughters is False
        assert (household.head.gugua, household.head.supporters_checked) == (None, "unknown")

    def test_patch_person_records_death_and_gugua(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        day = timezone.localdate() - dt.timedelta(days=3)

        response = patch(client, f"/api/persons/{spouse.pk}", {"status": "deceased", "death_date": day.isoformat(), "gugua": None})

        assert response.status_code == 200, response.content
        assert response.json()["death_date"] == day.isoformat() and response.json()["status"] == "deceased"
        spouse.refresh_from_db()
        assert (spouse.status, spouse.death_date, spouse.gugua) == ("deceased", day, None)
        assert spouse.history.first().history_user == worker

    def test_patch_leaves_out_what_is_not_sent(self, client, worker, household_a):
        head = household_a.head
        services.person_update(acting_user=worker, person_id=head.pk, data={"gugua": False})
        response = patch(client, f"/api/persons/{head.pk}", {"supporters_checked": "none"})
        assert response.status_code == 200
        head.refresh_from_db()
        assert (head.gugua, head.supporters_checked) == (False, "none")

    def test_death_date_in_the_future_is_refused_as_on_the_form(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)

        response = patch(client, f"/api/persons/{spouse.pk}", {"status": "deceased", "death_date": tomorrow.isoformat()})

        assert response.status_code == 422
        # the words of services.validate_person_data, which the person form uses as well
        assert response.json()["errors"] == {"death_date": ["死亡日期不能晚于今天"]}
        spouse.refresh_from_db()
        assert (spouse.status, spouse.death_date) == ("active", None)

    def test_death_date_needs_deceased_status(self, client, worker, household_a):
        response = patch(client, f"/api/persons/{household_a.head_id}", {"death_date": "2020-01-01"})
        assert response.status_code == 422
        assert response.json()["errors"] == {"death_date": ["只有状态为“已死亡”时才填写死亡日期"]}

    def test_patch_household_facts(self, client, worker, household_a):
        response = patch(client, f"/api/households/{household_a.pk}", {"local_hukou": False, "family_planning_two_daughters": True})
        assert response.status_code == 200, response.content
        assert (response.json()["local_hukou"], response.json()["family_planning_two_daughters"]) == (False, True)
        household_a.refresh_from_db()
        assert household_a.address == "胜利路1号" and household_a.local_hukou is False
        assert household_a.history.first().history_user == worker
        response = patch(client, f"/api/households/{household_a.pk}", {"local_hukou": None})
        assert response.status_code == 422 and response.json()["errors"] == {"local_hukou": ["不能为空"]}


def test_openapi_lists_the_new_routes(client, worker):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/persons/{person_id}/supporters"])
    assert "delete" in paths["/api/persons/{person_id}/supporters/{supporter_id}"]
    assert "patch" in paths["/api/persons/{person_id}"] and "patch" in paths["/api/households/{household_id}"]


class TestUnstorableText:
    """Text PostgreSQL cannot store (a NUL character) or UTF-8 cannot encode (a lone surrogate) is
    refused as 422 with its field, and nothing changes (the API fuzz run found 500s here)."""

    def test_nul_in_the_address_is_refused(self, client, worker, household_a):
        before = Household.objects.get(pk=household_a.pk).address
        response = patch(client, f"/api/households/{household_a.pk}", {"address": "村东\u0000头"})
        assert response.status_code == 422 and "address" in response.json()["errors"]
        assert Household.objects.get(pk=household_a.pk).address == before

    def test_lone_surrogate_in_a_supporter_is_refused(self, client, worker, household_a):
        person = household_a.members.order_by("pk").first()
        response = client.post(supporters_url(person.pk), '{"duty": "elder", "relation": "child", "name": "\\ud8fa"}',
                               content_type="application/json")
        assert response.status_code == 422 and "name" in response.json()["errors"]
        assert not Supporter.objects.filter(person=person).exists()
