"""The parameter pages (issue 3 "Parameters"): officers see the values in force for their region;
an administrator sets a region's value (services.parameter_value_create) and its history shows.

Who may view (policy.permissions.VIEW_PARAMETERS): village workers, township and county
officers, auditors and administrators — parameters are public policy with no personal data, and
a village worker explains the standard to applicants. Partner departments' viewers may not.
Only administrators may set values (SET_PARAMETERS).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu_testing.factories import region
from bangfu.policy.models import ParameterValue
from bangfu.policy.services import parameter_value_create
from bangfu_testing.browser import SCREENSHOTS, log_in

pytestmark = pytest.mark.django_db

LIST = "/policy/parameters/"
RURAL = "/policy/parameters/dibao_standard_rural/"
NEW_RURAL = "/policy/parameters/dibao_standard_rural/new/"


def form_data(**changes) -> dict:
    data = {"region": "340100000000", "valid_from": "2026-07-01", "valid_to": "", "value": "920.00",
            "citation_document": "合肥市人民政府关于提高城乡低保标准的通知", "citation_article": "第一条", "note": ""}
    data.update(changes)
    return data


class TestViewing:
    def test_county_officer_sees_the_value_in_force(self, client, users):
        # given: 瑶海区 (340102) lies in 合肥市, whose rural standard is 880.00 from 2024-07-01 (defaults.yaml)
        client.force_login(users["county"])
        # when
        response = client.get(LIST)
        # then
        html = response.content.decode()
        assert response.status_code == 200
        assert "农村低保标准" in html and "dibao_standard_rural" in html
        assert "880.00 元" in html and "合肥市（340100）" in html
        assert "合肥市城乡低保标准" in html  # the citation
        assert "低保边缘家庭认定倍数" in html and "1.5 倍" in html
        assert "奖励性收入、社会救助金、残疾人两项补贴" in html  # codes shown by their labels

    def test_list_for_another_date(self, client, users):
        client.force_login(users["county"])
        html = client.get(LIST, {"on": "2024-03-01"}).content.decode()
        assert "600.00 元" in html  # the national rural value of 2024, before 合肥's

    @pytest.mark.parametrize("who", ["village_a", "township_a", "county", "auditor", "admin"])
    def test_who_may_view(self, client, users, who):
        client.force_login(users[who])
        assert client.get(LIST).status_code == 200
        assert client.get(RURAL).status_code == 200

    def test_partner_viewer_may_not(self, client, users):
        client.force_login(users["partner"])
        assert client.get(LIST).status_code == 403
        assert client.get(RURAL).status_code == 403

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(LIST).status_code == 302

    def test_unknown_parameter_is_404(self, client, users):
        client.force_login(users["county"])
        assert client.get("/policy/parameters/no_such_thing/").status_code == 404

    def test_detail_lists_defaults_by_region_and_date(self, client, users):
        client.force_login(users["county"])
        html = client.get(RURAL).content.decode()
        assert "全国" in html and "合肥市（340100）" in html
        assert "2024-07-01" in html and "880.00 元" in html and "出厂默认" in html
        assert "滁州" not in html  # another city's values are not the county's concern
        assert "管理员尚未设置过本参数" in html

    def test_nav_links(self, client, users):
        client.force_login(users["county"])
        html = client.get("/registry/").content.decode()
        assert 'href="/policy/parameters/"' in html and 'href="/policy/simulate/"' in html
        client.force_login(users["village_a"])
        html = client.get("/registry/").content.decode()
        assert 'href="/policy/parameters/"' in html and 'href="/policy/simulate/"' not in html
        client.force_login(users["partner"])
        assert 'href="/policy/parameters/"' not in client.get("/registry/").content.decode()


class TestSetting:
    def test_admin_sets_a_city_value_and_sees_it_with_history(self, client, users):
        # given
        client.force_login(users["admin"])
        assert client.get(NEW_RURAL).status_code == 200
        # when
        response = client.post(NEW_RURAL, form_data())
        # then
        assert response.status_code == 302 and response["Location"] == RURAL
        row = ParameterValue.objects.get(name="dibao_standard_rural", region_code="340100000000")
        assert row.value == "920.00" and row.valid_from == dt.date(2026, 7, 1) and row.created_by == users["admin"]
        html = client.get(RURAL).content.decode()
        assert "已设置农村低保标准：合肥市 自 2026-07-01 起 920.00 元。" in html
        assert "920.00 元" in html and "管理员设置" in html
        assert "合肥市人民政府关于提高城乡低保标准的通知第一条" in html
        # the default 880.00 is cut at the new start
        assert "2026-07-01" in html
        history = html.split("修改记录")[-1]
        assert "admin" in history and "新增" in history and "920.00 元" in history

    def test_county_sees_the_new_value_from_its_date(self, client, users):
        parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340100",
                               valid_from=dt.date(2026, 7, 1), valid_to=None, value="920.00", citation_document="合肥文件")
        client.force_login(users["county"])
        assert "920.00 元" in client.get(LIST, {"on": "2026-07-01"}).content.decode()
        assert "880.00 元" in client.get(LIST, {"on": "2026-06-30"}).content.decode()

    def test_history_shows_old_and_new(self, client, users):
        row = parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340100",
                                     valid_from=dt.date(2026, 7, 1), valid_to=None, value="920.00", citation_document="合肥文件")
        row.value = "930.00"
        row._history_user = users["admin"]
        row.save()
        client.force_login(users["county"])
        history = client.get(RURAL).content.decode().split("修改记录")[-1]
        assert "修改" in history and "<del>920.00 元</del> → <ins>930.00 元</ins>" in history

    @pytest.mark.parametrize("who", ["village_a", "township_a", "county", "auditor", "partner"])
    def test_only_administrators_may_set(self, client, users, who):
        client.force_login(users[who])
        assert client.get(NEW_RURAL).status_code == 403
        assert client.post(NEW_RURAL, form_data()).status_code == 403
        assert not ParameterValue.objects.exists()

    def test_overlap_is_refused_in_chinese(self, client, users):
        # given: 合肥 already has 920.00 from 2026-07-01, open-ended
        parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340100",
                               valid_from=dt.date(2026, 7, 1), valid_to=None, value="920.00", citation_document="合肥文件")
        client.force_login(users["admin"])
        # when: another value from 2026-10-01
        response = client.post(NEW_RURAL, form_data(valid_from="2026-10-01", value="950.00"))
        # then
        assert response.status_code == 200
        form = response.context["form"]
        assert "有效期重叠" in form.errors["valid_from"][0]
        assert "未保存：请按红色提示修改后再提交。" in response.content.decode()
        assert ParameterValue.objects.count() == 1

    def test_next_years_standard_replaces_this_years(self, client, users):
        # given: 合肥 set 920.00 from 2026-07-01, open-ended
        first = parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340100",
                                       valid_from=dt.date(2026, 7, 1), valid_to=None, value="920.00", citation_document="合肥文件")
        client.force_login(users["admin"])
        # when: 960.00 from 2027-07-01, replacing it (the box is ticked by default)
        response = client.post(NEW_RURAL, form_data(valid_from="2027-07-01", value="960.00", end_previous="on"))
        # then: the first ends on 2027-07-01, both are kept, the change is in the history
        assert response.status_code == 302
        first.refresh_from_db()
        assert first.valid_to == dt.date(2027, 7, 1)
        assert ParameterValue.objects.count() == 2
        client.force_login(users["county"])
        assert "920.00 元" in client.get(LIST, {"on": "2027-06-30"}).content.decode()
        assert "960.00 元" in client.get(LIST, {"on": "2027-07-01"}).content.decode()
        history = client.get(RURAL).content.decode().split("修改记录")[-1]
        assert "<del>—</del> → <ins>2027-07-01</ins>" in history

    def test_a_later_value_is_never_cut(self, client, users):
        parameter_value_create(acting_user=users["admin"], name="dibao_standard_rural", region_code="340100",
                               valid_from=dt.date(2027, 7, 1), valid_to=None, value="960.00", citation_document="合肥文件")
        client.force_login(users["admin"])
        response = client.post(NEW_RURAL, form_data(valid_from="2026-07-01", value="920.00", end_previous="on"))
        assert "有效期重叠" in response.context["form"].errors["valid_from"][0]
        assert ParameterValue.objects.count() == 1

    def test_the_replace_box_is_ticked_by_default(self, client, users):
        client.force_login(users["admin"])
        html = client.get(NEW_RURAL).content.decode()
        tag = html[html.index('name="end_previous"'):]
        assert "checked" in tag[:tag.index(">")]

    @pytest.mark.parametrize("changes, field, message", [
        ({"value": "abc"}, "value", "金额“abc”不是数字"),
        ({"value": "12.345"}, "value", "金额“12.345”最多保留两位小数"),
        ({"citation_document": ""}, "citation_document", "请填写依据文件"),
        ({"valid_to": "2026-01-01"}, "valid_to", "截止日期应晚于起始日期"),
        ({"region": "320000000000"}, "region", "请选择您辖区内的省、市或县（区）"),
        ({"region": "340102001001"}, "region", "请选择您辖区内的省、市或县（区）"),  # a village: not a settable level
    ])
    def test_field_errors(self, client, users, changes, field, message):
        region("320000", "江苏省")
        client.force_login(users["admin"])
        response = client.post(NEW_RURAL, form_data(**changes))
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert not ParameterValue.objects.exists()

    def test_other_kinds(self, client, users):
        client.force_login(users["admin"])
        # a ratio as a percentage, a codes list, a bool
        client.post("/policy/parameters/supplement_class_a_rate/new/", form_data(value="35%", region="340000000000"))
        assert ParameterValue.objects.get(name="supplement_class_a_rate").value == "0.35"
        client.post("/policy/parameters/supplement_class_b_criteria/new/",
                    {**form_data(region="340000000000"), "value": ["aged_b", "minor_in_school"]})
        assert ParameterValue.objects.get(name="supplement_class_b_criteria").value == ["aged_b", "minor_in_school"]
        client.post("/policy/parameters/rigid_expense_stacking/new/", form_data(value="false", region="340000000000"))
        assert ParameterValue.objects.get(name="rigid_expense_stacking").value is False


class TestStandardRange:
    """R13: the standard "原则上按上年度城镇居民人均消费支出的25—35%确定": 33,000.00 元/年 gives
    33,000 × 25 % ÷ 12 = 687.50 and 33,000 × 35 % ÷ 12 = 962.50 元/月."""

    def test_range_shown_beside_the_value(self, client, users):
        client.force_login(users["admin"])
        html = client.get("/policy/parameters/dibao_standard_urban/range/",
                          {"consumption": "33000", "value": "700.00", "region": "340100000000", "valid_from": "2026-07-01"},
                          HTTP_HX_REQUEST="true").content.decode()
        assert "687.50 – 962.50 元/月" in html
        assert "在参考区间内" in html

    def test_outside_is_a_warning(self, client, users):
        client.force_login(users["admin"])
        html = client.get("/policy/parameters/dibao_standard_urban/range/",
                          {"consumption": "33000", "value": "1000.00"}).content.decode()
        assert "所填标准 1,000.00 元不在参考区间 687.50 – 962.50 元内。仅为提示，仍可保存。" in html

    def test_form_has_the_consumption_input_only_for_standards(self, client, users):
        client.force_login(users["admin"])
        assert "上年度城镇居民人均消费支出（元/年）" in client.get("/policy/parameters/dibao_standard_urban/new/").content.decode()
        assert "上年度城镇居民人均消费支出" not in client.get("/policy/parameters/near_dibao_factor/new/").content.decode()

    def test_saving_outside_the_range_warns_but_saves(self, client, users):
        client.force_login(users["admin"])
        response = client.post("/policy/parameters/dibao_standard_urban/new/",
                               form_data(value="1000.00", consumption="33000"), follow=True)
        html = response.content.decode()
        assert "提示：所填标准 1,000.00 元不在参考区间 687.50–962.50 元/月内，已按所填保存。" in html
        row = ParameterValue.objects.get(name="dibao_standard_urban")
        assert row.value == "1000.00"
        assert "上年度城镇居民人均消费支出 33,000.00 元/年，参考区间 687.50–962.50 元/月" in row.note

    def test_range_needs_the_right_to_set(self, client, users):
        client.force_login(users["county"])
        assert client.get("/policy/parameters/dibao_standard_urban/range/", {"consumption": "33000"}).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_admin_sets_a_city_standard_with_the_r13_hint(page, users):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, users["admin"])
    page.get_by_role("link", name="政策参数").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("政策参数")
    page.screenshot(path=str(SCREENSHOTS / "policy_parameter_list.png"), full_page=True)
    page.get_by_role("link", name="城市低保标准").click()
    page.get_by_role("link", name="设置本地取值").click()
    page.locator("#id_region").select_option("340100000000")
    page.locator("#id_valid_from").fill("2026-07-01")
    page.locator("#id_value").fill("1000.00")
    page.locator("#id_consumption").fill("33000")
    hint = page.locator("#standard-range")
    expect(hint).to_contain_text("687.50 – 962.50 元/月")
    expect(hint).to_contain_text("不在参考区间")
    page.locator("#id_value").fill("900.00")
    expect(hint).to_contain_text("所填标准 900.00 元在参考区间内")
    page.locator("#id_citation_document").fill("合肥市人民政府关于提高城乡低保标准的通知")
    page.screenshot(path=str(SCREENSHOTS / "policy_parameter_form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已设置城市低保标准：合肥市 自 2026-07-01 起 900.00 元。")
    expect(page.locator("table.history")).to_contain_text("admin")
    page.screenshot(path=str(SCREENSHOTS / "policy_parameter_detail.png"), full_page=True)
    assert ParameterValue.objects.get(name="dibao_standard_urban").value == "900.00"
