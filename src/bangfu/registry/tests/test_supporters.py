"""Outside legal supporters and the person/household facts the rules need (issue 14): entered on
the household page, validated, masked in lists, kept in the history, moved with the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.common.idnumber import mask_id_number
from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.errors import RegistryError
from bangfu.registry.models import Household, Person, Supporter
from bangfu_testing.factories import make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(client, users):
    client.force_login(users["village_a"])
    return users["village_a"]


def add_url(household) -> str:
    return reverse("registry:item_add", args=[household.pk, "supporter"])


def test_add_supporter_form_masks_number_and_marks_recorded(client, worker, household_a):
    head = household_a.head
    number = make_id_number(birth=dt.date(1963, 1, 10))
    response = client.post(add_url(household_a), {
        "person": head.pk, "duty": "elder", "relation": "child", "name": "张大", "id_number": number, "on_dibao": "on"})
    assert response.status_code == 302
    supporter = Supporter.objects.get()
    assert (supporter.person_id, supporter.birth_date, supporter.on_dibao, supporter.region_code) == (
        head.pk, dt.date(1963, 1, 10), True, household_a.region_code)
    head.refresh_from_db()
    assert head.supporters_checked == c.SupportersChecked.RECORDED
    html = client.get(household_a.get_absolute_url()).content.decode()
    assert mask_id_number(number) in html and number not in html
    assert "最低生活保障对象" in html and "张大" in html
    assert Supporter.history.get().history_user == worker


def test_bad_supporter_input(client, worker, household_a):
    html = client.post(add_url(household_a), {"duty": "elder", "relation": "child", "name": "张大", "id_number": "123"}).content.decode()
    assert Supporter.objects.count() == 0
    assert "请选择被扶养人" in html
    with pytest.raises(RegistryError) as exc:
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="supporter",
                          data={"person_id": household_a.head_id, "duty": "elder", "relation": "child", "name": "张大", "id_number": "123"})
    assert "id_number" in exc.value.errors


def test_age_without_birth_date(client, worker, household_a):
    from django.utils import timezone

    client.post(add_url(household_a), {"person": household_a.head_id, "duty": "mutual", "relation": "sibling", "name": "张二", "age": "71"})
    today = timezone.localdate()
    assert Supporter.objects.get().age_on(today) == 71


def test_household_and_person_facts_through_the_forms(client, worker, household_a):
    head = household_a.head
    form = client.get(reverse("registry:person_edit", args=[head.pk])).content.decode()
    assert 'name="gugua"' in form and 'name="supporters_checked"' in form
    data = {"name": head.name, "relation": "head", "living_situation": "alone", "labor_capacity": "full", "status": "active",
            "gugua": "false", "supporters_checked": "none", **{f: "on" for f, _l in c.SELF_CARE_ACTIVITIES}}
    assert client.post(reverse("registry:person_edit", args=[head.pk]), data).status_code == 302
    head.refresh_from_db()
    assert (head.gugua, head.supporters_checked) == (False, "none")
    data["gugua"] = "unknown"
    client.post(reverse("registry:person_edit", args=[head.pk]), data)
    head.refresh_from_db()
    assert head.gugua is None  # unknown is not no
    edit = {"village": household_a.region_code, "hukou_type": "rural", "housing_safety": "unknown",
            "local_hukou": "False", "family_planning_two_daughters": "on"}
    assert client.post(reverse("registry:household_edit", args=[household_a.pk]), edit).status_code == 302
    household_a.refresh_from_db()
    assert (household_a.local_hukou, household_a.family_planning_two_daughters) == (False, True)
    # a form posted without the hukou select keeps what is recorded
    edit.pop("local_hukou")
    client.post(reverse("registry:household_edit", args=[household_a.pk]), edit)
    assert Household.objects.get(pk=household_a.pk).local_hukou is False


def test_supporter_follows_the_person_on_split(worker, household_a):
    spouse = household_a.members.exclude(pk=household_a.head_id).get()
    services.item_add(acting_user=worker, household_id=household_a.pk, kind="supporter",
                      data={"person_id": spouse.pk, "duty": "elder", "relation": "child", "name": "李大"})
    new = services.household_split(acting_user=worker, household_id=household_a.pk, person_ids=[spouse.pk], new_head_id=spouse.pk)
    assert Supporter.objects.get().household_id == new.pk


def test_other_village_cannot_add(client, users, household_a):
    client.force_login(users["village_b"])
    assert client.get(add_url(household_a)).status_code == 404
    assert Person.objects.get(pk=household_a.head_id).supporters_checked == "unknown"
