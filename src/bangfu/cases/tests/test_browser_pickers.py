"""Browser tests of the pickers (issue 17): a village worker registers an application by finding
the household by its head's name and picking the member; a resident picks township and village."""

from __future__ import annotations

import re

import pytest

from bangfu_testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(page):
    # a wait limit, not a timed assertion: the shared machine can be slow to serve the first page
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    return page


def test_application_picks_household_by_head_name_and_member(page, staff, household_a, household_b):
    from playwright.sync_api import expect

    from bangfu.cases.models import Case

    log_in(page, staff["village_a"], "/cases/new/")
    page.locator("#id_case_type").select_option("dibao_individual")
    search = page.get_by_label("按户主或成员姓名、身份证号末几位查找家庭")
    search.fill("张伟")
    option = page.locator("#id_household_results .picker-option")
    expect(option).to_have_count(1)  # 王芳 of the other village is not offered, nor anyone else
    expect(option).to_contain_text(f"张伟户（户号 {household_a.pk}）")
    expect(option).not_to_contain_text(household_a.head.id_number)
    # keyboard: down into the results, Enter picks
    search.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("家庭户号")).to_have_value(str(household_a.pk))
    expect(page.locator("#id_household_chosen")).to_have_text(f"张伟户（户号 {household_a.pk}）")
    # the member picker now lists this household's members
    members = page.locator("#id_person_results .picker-option")
    expect(members).to_have_count(2)
    spouse = household_a.members.get(name="李娜")
    members.filter(has_text="李娜").click()
    expect(page.locator("#id_person")).to_have_value(str(spouse.pk))
    page.get_by_label("申请事由").fill("本人患病，无收入")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("申请已登记")
    case = Case.objects.get()
    assert case.household_id == household_a.pk and case.person_id == spouse.pk


def test_public_application_picks_township_then_village(page, regions, household_a):
    from playwright.sync_api import expect

    from bangfu.cases.models import Case

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/cases/apply/")
    page.get_by_label("申请事项").select_option("dibao")
    page.get_by_label("户籍所在乡镇（街道）").select_option(label="明光路街道")
    village = page.get_by_label("户籍所在村（社区）")
    expect(village.locator("option")).to_have_count(3)  # the prompt and the township's two villages
    village.select_option(label="胜利社区")
    head = household_a.head
    page.get_by_label("申请人姓名").fill(head.name)
    page.get_by_label("申请人身份证号").fill(head.id_number)
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_label("现住址").fill("胜利路1号")
    page.get_by_label(re.compile("^申请事由")).fill("夫妻二人均无收入")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/cases/apply/done/$"))
    assert Case.objects.get().region_code == regions["village_a"].code
