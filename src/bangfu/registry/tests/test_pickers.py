"""The household and member pickers' search endpoints (issue 17): scoped as every read, ID
numbers shown by their tail only, at most twenty rows, the member list limited to a household."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bangfu_testing.factories import Role, make_id_number, make_user, person_data, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties(db):
    """来安县 (341122) and 全椒县 (341124), one village each, a household 王建国 in both whose
    ID numbers share their last four digits."""
    from bangfu.registry.services import household_create

    province = region("340000", "安徽省")
    city = region("341100", "滁州市", province)
    laian = region("341122", "来安县", city)
    quanjiao = region("341124", "全椒县", city)
    v1 = region("341122100001", "城东社区", region("341122100", "新安镇", laian))
    v2 = region("341124100001", "城南社区", region("341124100", "襄河镇", quanjiao))
    county1 = make_user("county_laian", Role.COUNTY_OFFICER, laian)
    county2 = make_user("county_quanjiao", Role.COUNTY_OFFICER, quanjiao)
    worker1 = make_user("worker_laian", Role.VILLAGE_WORKER, v1)
    worker2 = make_user("worker_quanjiao", Role.VILLAGE_WORKER, v2)
    first = make_id_number(area="341122", seq=321)
    # the same sequence and a birth date that gives the same check character: the same last four
    second = next(n for d in range(400) if (n := make_id_number(area="341124", seq=321, birth=dt.date(1960, 1, 1) + dt.timedelta(days=d)))[-4:] == first[-4:])
    h1 = household_create(acting_user=worker1, region_id=v1.pk, address="城东1号", members=[
        {"name": "王建国", "relation": "head", "id_number": first},
        {"name": "李秀英", "relation": "spouse", "id_number": make_id_number(area="341122", sex="F", seq=322)}])
    h2 = household_create(acting_user=worker2, region_id=v2.pk, address="城南1号", members=[
        {"name": "王建国", "relation": "head", "id_number": second}])
    return {"county1": county1, "county2": county2, "worker1": worker1, "h1": h1, "h2": h2}


def _values(response) -> list[int]:
    return [int(v) for v in re.findall(r'data-value="(\d+)"', response.content.decode())]


def test_household_search_by_head_name_is_scoped(client, two_counties):
    # given a 来安县 officer
    client.force_login(two_counties["county1"])
    # when searching the name both counties' heads share
    response = client.get("/registry/pick/households/", {"q": "王建"})
    # then only 来安县's household comes back
    assert response.status_code == 200
    assert _values(response) == [two_counties["h1"].pk]
    client.force_login(two_counties["county2"])
    assert _values(client.get("/registry/pick/households/", {"q": "王建"})) == [two_counties["h2"].pk]


def test_household_search_by_id_tail_and_number_is_scoped(client, two_counties):
    h1, h2 = two_counties["h1"], two_counties["h2"]
    tail = h1.head.id_number[-4:]
    assert h2.head.id_number[-4:] == tail  # the fixture's point: the tail alone does not tell them apart
    client.force_login(two_counties["county1"])
    assert _values(client.get("/registry/pick/households/", {"q": tail})) == [h1.pk]
    # the other county's household number answers nothing, as one that does not exist
    assert _values(client.get("/registry/pick/households/", {"q": str(h2.pk)})) == []
    assert h1.pk in _values(client.get("/registry/pick/households/", {"q": str(h1.pk)}))


def test_member_name_finds_the_household_and_says_who(client, two_counties):
    client.force_login(two_counties["county1"])
    body = client.get("/registry/pick/households/", {"q": "李秀"}).content.decode()
    assert f'data-value="{two_counties["h1"].pk}"' in body
    assert "李秀英" in body and "王建国户" in body


def test_id_numbers_show_only_their_tail(client, two_counties):
    client.force_login(two_counties["county1"])
    h1 = two_counties["h1"]
    for url, q in [("/registry/pick/households/", "王"), ("/registry/pick/persons/", "王"),
                   ("/registry/pick/persons/", "")]:
        body = client.get(url, {"q": q, "household": h1.pk if not q else ""}).content.decode()
        for person in h1.members.all():
            assert person.id_number not in body
            assert person.id_number[:6] not in body  # not even the area part
        assert f"身份证尾号 {h1.head.id_number[-4:]}" in body


def test_member_picker_lists_only_the_chosen_household(client, two_counties, users, household_a):
    # given a household with two members and a household elsewhere in scope
    client.force_login(two_counties["county1"])
    h1 = two_counties["h1"]
    # when the household is sent with an empty search
    response = client.get("/registry/pick/persons/", {"q": "", "household": h1.pk})
    # then its members, the head first
    assert _values(response) == [h1.head_id, *[p.pk for p in h1.members.exclude(pk=h1.head_id).order_by("pk")]]
    # a name outside the household finds nothing in it
    assert _values(client.get("/registry/pick/persons/", {"q": "张", "household": h1.pk})) == []
    # the other county's household lists nobody
    assert _values(client.get("/registry/pick/persons/", {"q": "", "household": two_counties["h2"].pk})) == []
    assert _values(client.get("/registry/pick/persons/", {"q": "", "household": "x"})) == []


def test_person_search_without_household_is_scoped(client, two_counties):
    client.force_login(two_counties["county2"])
    values = _values(client.get("/registry/pick/persons/", {"q": "王建国"}))
    assert values == [two_counties["h2"].head_id]


def test_at_most_twenty_rows(client, users, regions):
    from bangfu.registry.services import household_create

    for i in range(23):
        household_create(acting_user=users["village_a"], region_id=regions["village_a"].pk, address=f"{i}号",
                         members=[person_data(f"赵{i}", "head", birth=dt.date(1970, 1, 1) + dt.timedelta(days=i))])
    client.force_login(users["county"])
    response = client.get("/registry/pick/households/", {"q": "赵"})
    assert len(_values(response)) == 20
    assert "请再多输入几个字" in response.content.decode()


def test_roles_without_the_registry_get_403(client, users, regions):
    # station staff and helpers read no households through their region
    for n, role in enumerate([Role.STATION_STAFF, Role.HELPER]):
        client.force_login(make_user(f"other{n}", role, regions["county"]))
        assert client.get("/registry/pick/households/", {"q": "张"}).status_code == 403
        assert client.get("/registry/pick/persons/", {"q": "张"}).status_code == 403
    client.logout()
    assert client.get("/registry/pick/households/", {"q": "张"}).status_code in (302, 403)


def test_merge_form_renders_a_picker_and_takes_the_number(client, users, household_a, household_b):
    client.force_login(users["county"])
    body = client.get(f"/registry/households/{household_a.pk}/merge/").content.decode()
    assert 'data-picker-url="/registry/pick/households/"' in body
    assert 'name="source"' in body
