"""Browser tests of the main registry flows: Playwright driving Debian's Chromium against the live
server. Run with `pytest -m browser`. Without /usr/bin/chromium they are skipped, except under CI
(env CI set), where a missing browser is a failure."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bangfu_testing.browser import SCREENSHOTS, log_in



pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(regions):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return make_user("cunwei_zhang", Role.VILLAGE_WORKER, regions["village_a"])


def test_log_in_through_the_form(page, worker):
    from playwright.sync_api import expect

    page.goto("/registry/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/registry/"))
    page.get_by_label("用户名").fill(worker.username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".form-errors")).to_contain_text("请输入一个正确的")
    page.get_by_label("密码").fill(worker.raw_password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="家庭档案")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("cunwei_zhang")


def _fill_member(page, index: int, name: str, number: str, relation: str | None = None) -> None:
    page.locator(f"#id_members-{index}-name").fill(name)
    page.locator(f"#id_members-{index}-id_number").fill(number)
    if relation:
        page.locator(f"#id_members-{index}-relation").select_option(relation)


def test_create_household_with_two_members(page, worker):
    from playwright.sync_api import expect

    from bangfu_testing.factories import make_id_number
    from bangfu.registry.models import Household

    log_in(page, worker)
    page.get_by_role("link", name="新建家庭").first.click()
    expect(page.locator("#id_village")).to_have_value("340102001001")  # the worker's only village
    page.get_by_label("住址").fill("胜利路18号")
    page.locator("#id_housing_safety").select_option("c_grade")
    _fill_member(page, 0, "陈建国", make_id_number())
    _fill_member(page, 1, "黄秀英", make_id_number(sex="F"), "spouse")
    page.locator("#member-1 summary").click()
    page.locator("#field-members-1-major_illnesses").get_by_label("尿毒症").check()
    page.locator("#id_members-1-can_bathe").uncheck()
    # htmx adds a third (blank) row, which is then ignored
    page.get_by_role("button", name="增加一名成员").click()
    expect(page.locator("#id_members-2-name")).to_be_visible()
    expect(page.locator("#id_members-TOTAL_FORMS")).to_have_value("3")
    page.get_by_role("button", name="保存家庭档案").click()

    expect(page.locator(".messages")).to_contain_text("已建立家庭档案")
    expect(page.get_by_role("heading", level=1)).to_contain_text("陈建国户")
    expect(page.locator("table.members")).to_contain_text("黄秀英")
    household = Household.objects.get()
    assert page.url.endswith(household.get_absolute_url())
    spouse = household.members.get(name="黄秀英")
    assert household.members.count() == 2 and spouse.major_illnesses == ["uremia"] and spouse.can_bathe is False

    # the full-number button shows the whole number in place
    row = page.locator(f"#person-{spouse.pk}")
    expect(row).not_to_contain_text(spouse.id_number)
    row.get_by_role("button", name="显示完整号码").click()
    expect(row.locator(".full-number")).to_have_text(spouse.id_number)


def test_bad_id_number_shows_next_to_that_member_and_saves_nothing(page, worker):
    from playwright.sync_api import expect

    from bangfu_testing.factories import make_id_number
    from bangfu.registry.models import Household, Person

    log_in(page, worker)
    page.goto("/registry/households/new/")
    good = make_id_number()
    bad = make_id_number(sex="F")
    right = bad[-1]
    bad = bad[:-1] + ("3" if right != "3" else "4")
    _fill_member(page, 0, "陈建国", good)
    _fill_member(page, 1, "黄秀英", bad, "spouse")
    page.get_by_role("button", name="保存家庭档案").click()

    error = page.locator("#field-members-1-id_number .error")
    expect(error).to_have_text(f"校验码错误：末位应为 {right}，实为 {bad[-1]}")
    expect(page.locator("#field-members-0-id_number .error")).to_have_count(0)
    expect(page.locator(".form-errors")).to_contain_text("未保存")
    expect(page.locator("#id_members-1-name")).to_have_value("黄秀英")
    page.locator("#field-members-1-id_number").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "bangfu_household_form_error.png"), full_page=True)
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_list_search_with_htmx_and_screenshots(page, worker, regions):
    from playwright.sync_api import expect

    from bangfu_testing.factories import person_data
    from bangfu.registry import services

    village = regions["village_a"]
    names = ["刘德明", "孙桂兰", "周福海", "吴秀珍", "郑国强", "王淑芬", "冯志刚", "陈玉兰"]
    households = []
    for i, name in enumerate(names):
        h = services.household_create(
            acting_user=worker, region_id=village.pk, address=f"胜利路{i + 1}号", housing_safety=["safe", "c_grade", "unknown", "d_grade"][i % 4],
            members=[person_data(name, "head", phone=f"1380000{i:04d}", birth=dt.date(1950 + i * 3, 3, 1)),
                     person_data(name[0] + "小" + name[-1], "child", birth=dt.date(2010, 1, 1), schooling_level="junior", enrolled=True)])
        for code in (["dibao"], ["tekun", "lonely_elderly"], [], ["dibao", "severe_disabled"])[i % 4]:
            services.item_add(acting_user=worker, household_id=h.pk, kind="classification",
                              data={"kind": "category", "code": code, "start_date": dt.date(2024, 1, 1)})
        households.append(h)
    target = households[3]
    services.item_add(acting_user=worker, household_id=target.pk, kind="income",
                      data={"kind": "pension", "monthly_amount_fen": 18500, "valid_from": dt.date(2024, 1, 1)})
    services.item_add(acting_user=worker, household_id=target.pk, kind="expense",
                      data={"kind": "medical", "monthly_amount_fen": 62000, "valid_from": dt.date(2024, 3, 1)})
    services.item_add(acting_user=worker, household_id=target.pk, kind="classification",
                      data={"kind": "cause", "code": "illness", "start_date": dt.date(2024, 1, 1)})
    services.household_update(acting_user=worker, household_id=target.pk, address="胜利路4号（新）")

    log_in(page, worker)
    expect(page.locator("#household-table tbody tr")).to_have_count(len(names))
    page.screenshot(path=str(SCREENSHOTS / "bangfu_household_list.png"), full_page=True)

    # typing in the search box swaps only the table and pushes the URL
    page.evaluate("document.body.dataset.marker = 'same-page'")
    page.get_by_label("姓名或身份证号").fill("吴秀")
    expect(page.locator("#household-table tbody tr")).to_have_count(1)
    expect(page.locator("#household-table")).to_contain_text("吴秀珍")
    expect(page).to_have_url(re.compile(r"q=%E5%90%B4%E7%A7%80"))
    assert page.evaluate("document.body.dataset.marker") == "same-page"  # no full reload
    page.locator("#id_category").select_option("tekun")
    expect(page.locator("#household-table")).to_contain_text("没有符合条件的家庭")

    page.goto(target.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("吴秀珍户")
    page.screenshot(path=str(SCREENSHOTS / "bangfu_household_page.png"), full_page=True)
    expect(page.locator("table.history")).to_contain_text("胜利路4号（新）")


def test_import_sheet_with_one_bad_row_dry_run(page, worker, tmp_path):
    """The survey import page is built in registry/survey (url registry:survey_import)."""
    from django.urls import NoReverseMatch, reverse
    from playwright.sync_api import expect

    from bangfu.registry.models import Household

    try:
        url = reverse("registry:survey_import")
    except NoReverseMatch:
        pytest.skip("the survey import page (registry:survey_import) is not there yet")
    from bangfu_testing.factories import make_id_number
    from bangfu.registry.tests.survey.helpers import member, write_xlsx

    bad = make_id_number(sex="F")
    bad = bad[:-1] + ("3" if bad[-1] != "3" else "4")
    sheet = write_xlsx(tmp_path / "摸底表.xlsx", [
        member("1", "刘德明"),
        member("1", "刘秀英", "配偶", sex="F"),
        member("2", "孙桂兰", id_number=bad, sex="F"),
    ])
    log_in(page, worker)
    page.goto(url)
    page.locator("input[type=file]").set_input_files(str(sheet))
    page.get_by_label(re.compile("试运行|只检查|预检|仅检查")).check()
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    report = page.locator("main")
    expect(report).to_contain_text("校验码错误", timeout=30_000)
    expect(report).to_contain_text("4")  # sheet row 4 (header is row 1)
    assert Household.objects.count() == 0
