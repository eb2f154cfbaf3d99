"""Registry pages: list, household page, full-number button, create/edit forms, rows, split and merge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from bangfu.common.idnumber import mask_id_number
from bangfu.common.models import AccessLog
from bangfu_testing.factories import make_id_number, person_data, region
from bangfu.registry import choices as c
from bangfu.registry import services
from bangfu.registry.models import Asset, Classification, Household, IncomeItem, Membership, Person

pytestmark = pytest.mark.django_db

LIST = reverse("registry:household_list")
CREATE = reverse("registry:household_create")
ROW = r'<td><a href="/registry/households/(\d+)/">\1</a></td>'  # the household-number cell of a list row


def bad_check_digit(number: str) -> tuple[str, str]:
    """The number with a wrong last character, and the character that would be right."""
    wrong = "3" if number[-1] != "3" else "4"
    return number[:-1] + wrong, number[-1]


def make_household(user, village, name, *, address="", categories=(), **head_extra):
    household = services.household_create(acting_user=user, region_id=village.pk, address=address,
                                          members=[person_data(name, "head", **head_extra)])
    for code in categories:
        services.item_add(acting_user=user, household_id=household.pk, kind="classification",
                          data={"kind": c.ClassificationKind.CATEGORY, "code": code, "start_date": dt.date(2024, 1, 1)})
    return household


@pytest.fixture
def worker(client, users):
    client.force_login(users["village_a"])
    return users["village_a"]


def member_post(index: int, name: str, id_number: str, relation: str, **extra) -> dict[str, str]:
    data = {
        "name": name, "id_number": id_number, "relation": relation, "living_situation": "with_family",
        "labor_capacity": "full", "can_eat": "on", "can_dress": "on", "can_get_up": "on", "can_toilet": "on",
        "can_walk_indoors": "on", "can_bathe": "on",
    }
    data.update(extra)
    return {f"members-{index}-{k}": v for k, v in data.items()}


def create_post(village, *members: dict[str, str], **household) -> dict[str, str]:
    data = {
        "village": village.code, "address": "胜利路8号", "hukou_type": "rural", "housing_safety": "c_grade", "note": "",
        "members-TOTAL_FORMS": str(max(len(members), 2)), "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "30",
    }
    for m in members:
        data.update(m)
    data.update(household)
    return data


def block(html: str, element_id: str) -> str:
    """The HTML of the field block with this id (up to the next field block)."""
    start = html.index(f'id="{element_id}"')
    end = html.find('<div class="field', start + 10)
    return html[start: end if end != -1 else None]


# ----------------------------------------------------------------------------- list


class TestHouseholdList:
    def test_columns_are_masked_and_complete(self, client, worker, household_a, household_b):
        services.person_update(acting_user=worker, person_id=household_a.head_id, data={"phone": "13812345678"})
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="classification",
                          data={"kind": "category", "code": "dibao", "start_date": dt.date(2024, 1, 1)})
        services.household_update(acting_user=worker, household_id=household_a.pk, housing_safety=c.HousingSafety.D_GRADE)
        head = Person.objects.get(pk=household_a.head_id)

        html = client.get(LIST).content.decode()

        assert mask_id_number(head.id_number) in html
        assert re.fullmatch(r"\d{4}\*{10}\d{3}[\dX]", mask_id_number(head.id_number))
        assert head.id_number not in html
        assert "138****5678" in html and "13812345678" not in html
        row = html[html.index(f'href="/registry/households/{household_a.pk}/"'):]
        row = row[: row.index("</tr>")]
        assert "张伟" in row and "胜利社区" in row and "低保" in row and "D级危房" in row
        assert '<td class="num">2</td>' in row
        assert "王芳" not in html  # village B

    def test_search_by_name_id_number_and_last_digits(self, client, worker, household_a, users, regions):
        other = make_household(users["village_a"], regions["village_a"], "赵六")
        head = Person.objects.get(pk=household_a.head_id)
        for q in ("张", head.id_number, head.id_number[-4:], head.id_number.lower()):
            html = client.get(LIST, {"q": q}).content.decode()
            assert f"/registry/households/{household_a.pk}/" in html, q
            assert f"/registry/households/{other.pk}/" not in html, q

    def test_filters_by_village_category_and_status(self, client, users, regions):
        worker = users["township_a"]
        client.force_login(worker)
        a1 = make_household(worker, regions["village_a"], "甲一", categories=["dibao"])
        a2 = make_household(worker, regions["village_a2"], "甲二", categories=["tekun"])
        merged = make_household(worker, regions["village_a"], "甲三")
        services.household_merge(acting_user=worker, target_id=a1.pk, source_id=merged.pk)

        def ids(**params):
            html = client.get(LIST, params).content.decode()
            return {int(pk) for pk in re.findall(ROW, html)}

        assert ids() == {a1.pk, a2.pk}
        assert ids(village=regions["village_a2"].code) == {a2.pk}
        assert ids(village=regions["township_a"].code) == {a1.pk, a2.pk}
        assert ids(category="tekun") == {a2.pk}
        assert ids(status="merged") == {merged.pk}
        assert ids(status="all") == {a1.pk, a2.pk, merged.pk}

    def test_village_select_offers_only_the_users_region(self, client, users, regions):
        client.force_login(users["township_a"])
        html = client.get(LIST).content.decode()
        assert 'value="340102001001"' in html and 'value="340102001002"' in html
        assert 'value="340102002001"' not in html  # 大兴村 is in the other township

    def test_township_filter_with_trailing_zero_code(self, client, users, regions):
        # regression: township 340102010 was matched as prefix "34010201" (also 011–019)
        t10 = region("340102010", "十街道", regions["county"])
        t11 = region("340102011", "十一街道", regions["county"])
        v10 = region("340102010001", "十村", t10)
        v11 = region("340102011001", "十一村", t11)
        county = users["county"]
        h10 = make_household(county, v10, "十户")
        h11 = make_household(county, v11, "十一户")
        client.force_login(county)
        html = client.get(LIST, {"village": "340102010000"}).content.decode()
        assert f"/registry/households/{h10.pk}/" in html
        assert f"/registry/households/{h11.pk}/" not in html

    def test_keyset_paging_with_next_and_first_page_links(self, client, worker, regions):
        households = [make_household(worker, regions["village_a"], f"户主{i:02d}") for i in range(53)]
        newest_first = sorted((h.pk for h in households), reverse=True)

        first = client.get(LIST).content.decode()
        assert len(re.findall(ROW, first)) == 50
        match = re.search(r'href="\?before=(\d+)"[^>]*rel="next"', first)
        assert match and int(match.group(1)) == newest_first[49]
        assert "首页" not in first

        second = client.get(LIST, {"before": match.group(1)}).content.decode()
        shown = [int(pk) for pk in re.findall(ROW, second)]
        assert shown == newest_first[50:]
        assert "下一页" not in second
        assert "首页" in second

    def test_htmx_request_gets_only_the_table_and_plain_request_the_page(self, client, worker, household_a):
        headers = {"HX-Request": "true", "HX-Target": "household-table"}
        fragment = client.get(LIST, {"q": "张"}, headers=headers)
        assert fragment.status_code == 200
        html = fragment.content.decode()
        assert "<html" not in html and "<table" in html and "张伟" in html
        assert "HX-Request" in fragment["Vary"]
        page = client.get(LIST, {"q": "张"}).content.decode()
        assert "<html" in page and 'id="household-table"' in page
        assert 'hx-get="/registry/"' in page and 'hx-target="#household-table"' in page and 'hx-push-url="true"' in page

    def test_export_link_carries_the_current_filter(self, client, worker, household_a):
        html = client.get(LIST, {"q": "张", "category": "dibao", "before": "99"}).content.decode()
        assert 'href="/registry/survey/export/?q=%E5%BC%A0&amp;category=dibao"' in html

    @pytest.mark.parametrize("count", [3, 30])
    def test_query_count_does_not_grow_with_rows(self, client, worker, regions, count, django_assert_max_num_queries):
        for i in range(count):
            make_household(worker, regions["village_a"], f"户{i}", categories=["dibao", "tekun"], phone="13900001111")
        # session, user, region, filter regions, township choices, page, categories, counts, the capped total
        with django_assert_max_num_queries(9):
            response = client.get(LIST)
        assert response.content.decode().count("低保") >= count


# ----------------------------------------------------------------------------- household page


class TestHouseholdPage:
    def test_shows_members_rows_history_and_logs_the_view(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="income",
                          data={"kind": "wage", "monthly_amount_fen": 123456, "valid_from": dt.date(2024, 1, 1)})
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="asset",
                          data={"kind": "vehicle", "value_fen": 3000000, "description": "三轮车"})
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="expense",
                          data={"kind": "medical", "monthly_amount_fen": 50000, "valid_from": dt.date(2024, 2, 1), "person_id": spouse.pk})
        services.item_add(acting_user=worker, household_id=household_a.pk, kind="classification",
                          data={"kind": "cause", "code": "illness", "start_date": dt.date(2024, 1, 1)})
        services.household_update(acting_user=worker, household_id=household_a.pk, address="胜利路2号")

        response = client.get(household_a.get_absolute_url())
        html = response.content.decode()

        assert response.status_code == 200
        assert "张伟户" in html and "李娜" in html
        assert mask_id_number(spouse.id_number) in html and spouse.id_number not in html
        assert "1,234.56" in html and "30,000.00" in html and "500.00" in html and "三轮车" in html
        assert "因病" in html
        assert "建档" in html  # membership start reason
        history = html[html.index("修改记录"):]
        assert "worker_a" in history
        assert "胜利路1号" in history and "胜利路2号" in history and "住址" in history
        log = AccessLog.objects.get(action=AccessLog.Action.VIEW_RECORD)
        assert (log.user, log.object_type, log.object_id, log.region_code) == (worker, "household", str(household_a.pk), household_a.region_code)

    def test_edit_links_only_for_editors(self, client, users, household_a):
        client.force_login(users["village_a"])
        html = client.get(household_a.get_absolute_url()).content.decode()
        for name in ("household_edit", "person_add", "household_split", "household_merge"):
            assert reverse(f"registry:{name}", args=[household_a.pk]) in html
        assert reverse("registry:item_add", args=[household_a.pk, "income"]) in html
        assert "显示完整号码" in html

        client.force_login(users["partner"])
        html = client.get(household_a.get_absolute_url()).content.decode()
        assert reverse("registry:household_edit", args=[household_a.pk]) not in html
        assert "显示完整号码" not in html
        assert "张伟" in html

    def test_full_id_number_button_returns_the_number_and_logs_it(self, client, worker, household_a):
        head = Person.objects.get(pk=household_a.head_id)
        url = reverse("registry:person_full_number", args=[head.pk, "id-number"])
        html = client.get(household_a.get_absolute_url()).content.decode()
        assert f'hx-post="{url}"' in html

        response = client.post(url, headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert head.id_number in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        log = AccessLog.objects.get(action=AccessLog.Action.VIEW_ID_NUMBER)
        assert (log.user, log.object_type, log.object_id) == (worker, "person", str(head.pk))

    def test_full_number_is_post_only(self, client, worker, household_a):
        url = reverse("registry:person_full_number", args=[household_a.head_id, "id-number"])
        assert client.get(url).status_code == 405
        assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_ID_NUMBER).exists()

    def test_full_phone_button(self, client, worker, household_a):
        services.person_update(acting_user=worker, person_id=household_a.head_id, data={"phone": "13812345678"})
        response = client.post(reverse("registry:person_full_number", args=[household_a.head_id, "phone"]))
        assert "13812345678" in response.content.decode()
        assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_PHONE, object_id=str(household_a.head_id)).count() == 1

    def test_partner_viewer_gets_403_and_no_log(self, client, users, household_a):
        client.force_login(users["partner"])
        response = client.post(reverse("registry:person_full_number", args=[household_a.head_id, "id-number"]))
        assert response.status_code == 403
        assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_ID_NUMBER).exists()


# ----------------------------------------------------------------------------- create


class TestCreateHousehold:
    def test_form_shows_two_member_rows_and_add_button(self, client, worker):
        html = client.get(CREATE).content.decode()
        assert 'name="members-0-name"' in html and 'name="members-1-name"' in html
        assert 'name="members-2-name"' not in html
        assert 'id="add-member"' in html and 'hx-get="/registry/households/new/member-row/?index=2"' in html
        # the only village of a village worker is preselected
        assert '<option value="340102001001" selected>' in html
        for label in ("吃饭", "上下床", "恶性肿瘤", "残疾等级", "事实无人抚养儿童", "劳动能力", "辍学"):
            assert label in html

    def test_member_row_endpoint_adds_a_row_and_counts_it(self, client, worker):
        html = client.get(reverse("registry:member_row"), {"index": 2}, headers={"HX-Request": "true"}).content.decode()
        assert 'name="members-2-id_number"' in html
        assert "成员 3" in html
        assert re.search(r'name="members-TOTAL_FORMS" value="3" id="id_members-TOTAL_FORMS" hx-swap-oob="true"', html)
        assert "index=3" in html and 'id="add-member"' in html

    def test_add_member_without_javascript(self, client, worker, regions):
        data = create_post(regions["village_a"], member_post(0, "张三", "", "head"), add_member="1")
        html = client.post(CREATE, data).content.decode()
        assert 'name="members-2-name"' in html
        assert 'value="张三"' in html
        assert "请填写身份证号码" not in html  # not validated yet
        assert Household.objects.count() == 0

    def test_creates_household_with_two_members(self, client, worker, regions):
        head_id, spouse_id = make_id_number(), make_id_number(sex="F")
        data = create_post(
            regions["village_a"],
            member_post(0, "陈强", head_id, "head", phone="13800001111"),
            member_post(1, "周敏", spouse_id.lower(), "spouse", can_bathe="", major_illnesses=["cancer", "uremia"],
                        disability_type="physical", disability_grade="2", disability_cert_number="34010219800517",),
        )
        response = client.post(CREATE, data)

        household = Household.objects.get()
        assert response.status_code == 302 and response["Location"] == household.get_absolute_url()
        assert household.head.name == "陈强" and household.housing_safety == "c_grade" and household.address == "胜利路8号"
        spouse = household.members.get(name="周敏")
        assert spouse.id_number == spouse_id  # normalised
        assert spouse.can_bathe is False and spouse.can_eat is True
        assert spouse.major_illnesses == ["cancer", "uremia"]
        assert (spouse.disability_type, spouse.disability_grade) == ("physical", 2)
        assert household.history.first().history_user == worker

    def test_bad_id_number_of_member_two_shows_under_that_field_and_saves_nothing(self, client, worker, regions):
        good = make_id_number()
        bad, expected = bad_check_digit(make_id_number(sex="F"))
        data = create_post(regions["village_a"], member_post(0, "陈强", good, "head"), member_post(1, "周敏", bad, "spouse"))

        response = client.post(CREATE, data)
        html = response.content.decode()

        assert response.status_code == 200
        message = f"校验码错误：末位应为 {expected}，实为 {bad[-1]}"
        assert message in block(html, "field-members-1-id_number")
        assert message not in block(html, "field-members-0-id_number")
        assert "未保存" in html
        assert 'value="周敏"' in html  # the typed data is kept
        assert Household.objects.count() == 0 and Person.objects.count() == 0 and Membership.objects.count() == 0

    def test_errors_of_several_members_at_once(self, client, worker, regions):
        data = create_post(
            regions["village_a"],
            member_post(0, "", "12345", "head"),
            member_post(1, "周敏", make_id_number(sex="F"), "spouse", phone="12ab", enrolled="on", dropped_out="on"),
        )
        html = client.post(CREATE, data).content.decode()
        assert "请填写姓名" in block(html, "field-members-0-name")
        assert "身份证号码应为18位（或旧式15位），现为5位" in block(html, "field-members-0-id_number")
        assert "电话号码应为7–12位数字" in block(html, "field-members-1-phone")
        assert "不能同时为“在校”和“辍学”" in block(html, "field-members-1-dropped_out")
        assert Household.objects.count() == 0

    def test_same_number_twice_and_already_registered(self, client, worker, regions, household_a):
        number = make_id_number()
        taken = Person.objects.get(pk=household_a.head_id).id_number
        data = create_post(regions["village_a"], member_post(0, "甲", number, "head"), member_post(1, "乙", number, "child"),
                           **member_post(2, "丙", taken, "child"), **{"members-TOTAL_FORMS": "3"})
        html = client.post(CREATE, data).content.decode()
        assert "与第1名成员的身份证号码重复" in block(html, "field-members-1-id_number")
        assert f"该身份证号码已登记在本辖区家庭（编号 {household_a.pk}）中" in block(html, "field-members-2-id_number")
        assert Household.objects.count() == 1

    def test_exactly_one_head_is_a_form_error(self, client, worker, regions):
        data = create_post(regions["village_a"], member_post(0, "甲", make_id_number(), "spouse"), member_post(1, "乙", make_id_number(), "child"))
        html = client.post(CREATE, data).content.decode()
        assert "须有且只有一名成员的关系为“户主”" in html
        assert Household.objects.count() == 0

    def test_blank_second_row_is_ignored(self, client, worker, regions):
        data = create_post(regions["village_a"], member_post(0, "独居老人", make_id_number(birth=dt.date(1940, 1, 1)), "head", living_situation="alone"),
                           member_post(1, "", "", "other"))
        assert client.post(CREATE, data).status_code == 302
        assert Household.objects.get().members.count() == 1

    def test_village_outside_the_users_region_is_refused(self, client, worker, regions):
        data = create_post(regions["village_b"], member_post(0, "甲", make_id_number(), "head"))
        html = client.post(CREATE, data).content.decode()
        assert "请选择您辖区内的村（社区）" in block(html, "field-village")
        assert Household.objects.count() == 0

    def test_disability_rules_show_next_to_the_fields(self, client, worker, regions):
        data = create_post(regions["village_a"], member_post(0, "甲", make_id_number(), "head", disability_grade="1",
                                                             disability_issue_date="2020-05-01", disability_last_check="2019-01-01"))
        html = client.post(CREATE, data).content.decode()
        assert "填写了残疾等级，须同时填写残疾类别" in block(html, "field-members-0-disability_type")
        assert "最近年审日期不能早于发证日期" in block(html, "field-members-0-disability_last_check")
        assert "<details open>" in html  # the folded part opens to show its errors


# ----------------------------------------------------------------------------- edit


class TestEditForms:
    def test_edit_household(self, client, users, household_a, regions):
        client.force_login(users["township_a"])
        url = reverse("registry:household_edit", args=[household_a.pk])
        assert 'value="胜利路1号"' in client.get(url).content.decode()
        response = client.post(url, {"village": regions["village_a2"].code, "address": "长淮路3号", "hukou_type": "urban",
                                      "housing_safety": "safe", "note": "已走访"})
        assert response.status_code == 302
        household_a.refresh_from_db()
        assert (household_a.address, household_a.region, household_a.hukou_type) == ("长淮路3号", regions["village_a2"], "urban")
        assert set(Person.objects.filter(household=household_a).values_list("region_code", flat=True)) == {regions["village_a2"].code}

    def test_edit_household_bad_choice(self, client, worker, household_a):
        url = reverse("registry:household_edit", args=[household_a.pk])
        html = client.post(url, {"village": "340102001001", "hukou_type": "martian", "housing_safety": "safe"}).content.decode()
        assert "martian" in block(html, "field-hukou_type") and "不在可用的选项中" in block(html, "field-hukou_type")

    def test_edit_person_keeps_number_when_blank(self, client, worker, household_a):
        head = Person.objects.get(pk=household_a.head_id)
        url = reverse("registry:person_edit", args=[head.pk])
        page = client.get(url).content.decode()
        assert head.id_number not in page and mask_id_number(head.id_number) in page
        assert not AccessLog.objects.exists()  # no phone yet: nothing shown in full
        data = {k.removeprefix("members-0-"): v for k, v in member_post(0, "张伟", "", "head", phone="0551-1234567").items()}
        data["status"] = "active"
        assert client.post(url, data).status_code == 302
        number = head.id_number
        head.refresh_from_db()
        assert head.phone == "0551-1234567" and head.id_number == number
        # the edit form shows the phone in full, and that look is logged
        assert 'value="0551-1234567"' in client.get(url).content.decode()
        log = AccessLog.objects.get()
        assert (log.action, log.object_id, log.user) == (AccessLog.Action.VIEW_PHONE, str(head.pk), worker)

    def test_edit_person_new_bad_number_shows_error_and_changes_nothing(self, client, worker, household_a):
        head = Person.objects.get(pk=household_a.head_id)
        bad, expected = bad_check_digit(make_id_number())
        data = {k.removeprefix("members-0-"): v for k, v in member_post(0, "张伟伟", bad, "head").items()}
        data["status"] = "active"
        html = client.post(reverse("registry:person_edit", args=[head.pk]), data).content.decode()
        assert f"校验码错误：末位应为 {expected}" in block(html, "field-id_number")
        head.refresh_from_db()
        assert head.name == "张伟"

    def test_edit_person_second_head_refused(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        data = {k.removeprefix("members-0-"): v for k, v in member_post(0, "李娜", "", "head").items()}
        data["status"] = "active"
        html = client.post(reverse("registry:person_edit", args=[spouse.pk]), data).content.decode()
        assert "该家庭已有户主" in block(html, "field-relation")

    def test_add_member(self, client, worker, household_a):
        data = {k.removeprefix("members-0-"): v for k, v in member_post(0, "张小明", make_id_number(birth=dt.date(2012, 3, 4)), "child",
                                                                          schooling_level="primary", enrolled="on").items()}
        response = client.post(reverse("registry:person_add", args=[household_a.pk]), data)
        assert response.status_code == 302
        child = household_a.members.get(name="张小明")
        assert child.enrolled and child.schooling_level == "primary"
        assert Membership.objects.get(person=child).start_reason == "added"


class TestRowsSplitMerge:
    def test_add_income_in_yuan(self, client, worker, household_a):
        url = reverse("registry:item_add", args=[household_a.pk, "income"])
        response = client.post(url, {"kind": "pension", "monthly_amount_fen": "1,234.5", "valid_from": "2024-01-01", "person": household_a.head_id})
        assert response.status_code == 302
        income = IncomeItem.objects.get()
        assert (income.monthly_amount_fen, income.person_id) == (123450, household_a.head_id)

    def test_bad_amount_and_dates(self, client, worker, household_a):
        url = reverse("registry:item_add", args=[household_a.pk, "income"])
        html = client.post(url, {"kind": "wage", "monthly_amount_fen": "12.345", "valid_from": "2024-05-01", "valid_to": "2024-01-01"}).content.decode()
        assert "最多保留两位小数" in block(html, "field-monthly_amount_fen")
        assert "截止日期不能早于起始日期" in block(html, "field-valid_to")
        html = client.post(url, {"kind": "wage", "monthly_amount_fen": "-5", "valid_from": "2024-05-01"}).content.decode()
        assert "不能为负数" in block(html, "field-monthly_amount_fen")
        assert IncomeItem.objects.count() == 0

    def test_add_asset_and_category_then_delete(self, client, worker, household_a):
        client.post(reverse("registry:item_add", args=[household_a.pk, "asset"]), {"kind": "housing", "value_fen": "80000", "quantity": "1"})
        client.post(reverse("registry:item_add", args=[household_a.pk, "classification"]), {"code": "category:tekun", "start_date": "2024-01-01"})
        assert Asset.objects.get().value_fen == 8000000
        cl = Classification.objects.get()
        assert (cl.kind, cl.code) == ("category", "tekun")
        response = client.post(reverse("registry:item_delete", args=["classification", cl.pk]))
        assert response.status_code == 302 and not Classification.objects.exists()
        assert Classification.history.filter(history_type="-").get().history_user == worker

    def test_unknown_item_kind_is_404(self, client, worker, household_a):
        assert client.get(reverse("registry:item_add", args=[household_a.pk, "salary"])).status_code == 404

    def test_split(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        url = reverse("registry:household_split", args=[household_a.pk])
        assert "李娜（配偶）" in client.get(url).content.decode()
        response = client.post(url, {"members": [spouse.pk], "head": spouse.pk, "address": "新村1号", "day": "2025-03-01"})
        new = Household.objects.exclude(pk=household_a.pk).get()
        assert response["Location"] == new.get_absolute_url()
        assert new.head == spouse and new.split_from == household_a
        page = client.get(household_a.get_absolute_url()).content.decode()
        assert "分户" in page and "2025-03-01" in page

    def test_split_everyone_is_refused(self, client, worker, household_a):
        ids = list(household_a.members.values_list("pk", flat=True))
        html = client.post(reverse("registry:household_split", args=[household_a.pk]),
                           {"members": ids, "head": ids[0], "day": "2025-03-01"}).content.decode()
        assert "分户后原家庭至少要保留一名成员" in block(html, "field-members")
        assert Household.objects.count() == 1

    def test_change_head(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        former = household_a.head
        url = reverse("registry:household_change_head", args=[household_a.pk])
        response = client.post(url, {"head": spouse.pk, "relation": "spouse"})
        assert response.status_code == 302
        household_a.refresh_from_db()
        former.refresh_from_db()
        assert household_a.head == spouse and former.relation == "spouse"
        assert household_a.members.get(pk=spouse.pk).relation == "head"

    def test_change_head_needs_the_former_heads_relation(self, client, worker, household_a):
        spouse = household_a.members.get(relation="spouse")
        html = client.post(reverse("registry:household_change_head", args=[household_a.pk]), {"head": spouse.pk}).content.decode()
        assert "请选择原户主与新户主的关系" in block(html, "field-relation")
        household_a.refresh_from_db()
        assert household_a.head.name == "张伟"

    def test_merge(self, client, worker, household_a, regions):
        other = make_household(worker, regions["village_a"], "孙七")
        response = client.post(reverse("registry:household_merge", args=[household_a.pk]), {"source": other.pk, "day": "2025-03-01"})
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.status == "merged" and other.merged_into == household_a
        assert household_a.members.count() == 3

    def test_merge_with_other_village_household_says_not_found(self, client, worker, household_a, household_b):
        html = client.post(reverse("registry:household_merge", args=[household_a.pk]), {"source": household_b.pk, "day": "2025-03-01"}).content.decode()
        assert f"未找到编号为 {household_b.pk} 的家庭" in block(html, "field-source")
        household_b.refresh_from_db()
        assert household_b.status == "active"
