"""Browser test of issue 4 "Done when": a village worker enters an application, a township
officer accepts and reviews, the notice period passes, a county officer approves; the household
page shows the benefit. Playwright with Debian's Chromium (fixtures as in registry's browser tests)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bangfu_testing.browser import log_in



pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(new_page):
    """A page logged in as `user`, in its own browser context."""
    def _open(user):
        page = new_page()
        log_in(page, user)
        return page

    return _open


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
