"""Browser test of issue 4 "Done when": a village worker enters an application, a township
officer accepts and reviews, the notice period passes, a county officer approves; the household
page shows the benefit. Playwright with Debian's Chromium (fixtures as in registry's browser tests)."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def _open(user):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(user.raw_password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/registry/$"))
        return page

    yield _open
    for context in contexts:
        context.close()


def act(page, label: str):
    """Open the action panel titled `label` on the case page and return it."""
    panel = page.locator("details.case-action").filter(has=page.locator("summary", has_text=re.compile(f"^{label}$")))
    panel.locator("summary").click()
    return panel


def submit(page, panel, label: str) -> None:
    panel.get_by_role("button", name=label, exact=True).click()
    from playwright.sync_api import expect

    expect(page.locator(".messages")).to_contain_text("已办理")


def test_application_from_village_to_county_approval(open_as, staff, household_a):
    from playwright.sync_api import expect

    from bangfu.cases.models import Case

    # village worker enters the application from the household page
    page = open_as(staff["village_a"])
    page.goto(f"/registry/households/{household_a.pk}/")
    page.locator("#household-cases").get_by_role("link", name="＋ 登记申请").click()
    expect(page.locator("#id_household")).to_have_value(str(household_a.pk))
    page.locator("#id_case_type").select_option("dibao")
    page.get_by_label("申请事由").fill("夫妻二人均无收入")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("申请已登记")
    case = Case.objects.get()
    case_url = f"/cases/{case.pk}/"

    # township officer accepts, investigates with a colleague, gives the initial opinion
    page = open_as(staff["township_a"])
    page.get_by_role("link", name="待办案件").click()
    page.get_by_role("link", name=str(case.pk), exact=True).click()
    submit(page, act(page, "受理"), "受理")
    submit(page, act(page, "开始入户调查"), "开始入户调查")
    panel = act(page, "录入调查结果")
    panel.get_by_label(re.compile("township_a（")).check()
    panel.get_by_label(re.compile("township_a2（")).check()
    panel.get_by_label("入户调查记录").fill("两人均无劳动收入，住房为自有平房。")
    panel.get_by_label("家庭经济状况核对结果").fill("未发现存款、车辆和工商登记。")
    submit(page, panel, "录入调查结果")
    expect(page.locator(".determination")).to_contain_text("符合低保条件")
    submit(page, act(page, "初审同意，张榜公示"), "初审同意，张榜公示")
    expect(page.locator("dl.facts")).to_contain_text("公示")

    # the notice period passes: move its dates back 8 days
    case.refresh_from_db()
    Case.objects.filter(pk=case.pk).update(notice_start=case.notice_start - dt.timedelta(days=8),
                                           notice_end=case.notice_end - dt.timedelta(days=8))
    page.goto(case_url)
    submit(page, act(page, "公示期满，报送审核确认"), "公示期满，报送审核确认")
    expect(page.locator(".badge")).to_have_text("待审核确认")

    # county officer approves
    page = open_as(staff["county"])
    page.goto(case_url)
    submit(page, act(page, "批准"), "批准")
    expect(page.locator(".badge")).to_have_text("已批准")
    expect(page.locator("table.history")).to_contain_text("批准")

    # the household page shows the benefit
    page.goto(f"/registry/households/{household_a.pk}/")
    expect(page.locator("body")).to_contain_text("1760.00")
    expect(page.locator("#household-cases")).to_contain_text("已批准")
