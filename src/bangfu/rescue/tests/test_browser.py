"""Browser test of the station's main flow (issue 7 "Done when"): intake of an unidentified person,
a tracing step recorded, identity found and return home. Playwright driving Debian's Chromium
(fixtures as in registry/tests/test_browser.py); run with `pytest -m browser`."""

from __future__ import annotations


import pytest

from bangfu_testing.browser import SCREENSHOTS, log_in


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intake_tracing_and_return_home(page, staff, settings, tmp_path):
    from playwright.sync_api import expect

    from bangfu_testing.factories import make_id_number
    from bangfu.rescue.models import PreventionEntry, Stay

    settings.PRIVATE_FILES_ROOT = tmp_path
    log_in(page, staff["a"])

    # intake of an unidentified person who walked in
    page.get_by_role("link", name="入站登记").first.click()
    page.locator("#id_arrival_at").fill("2025-03-01T09:30")
    page.locator("#id_referral_source").select_option("walk_in")
    page.get_by_label("体貌特征").fill("男，约50岁，身高170cm，左手背有疤")
    page.get_by_label("语言或方言").fill("皖北口音")
    page.get_by_label("随身物品").fill("蓝色布包一个")
    page.get_by_role("button", name="保存入站登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记入站")
    expect(page.locator("h1")).to_contain_text("无名氏YH202500001")
    # arrived long ago: the 24-hour notice is late
    expect(page.locator("#check-notice")).to_contain_text("已逾期")
    page.screenshot(path=str(SCREENSHOTS / "bangfu_rescue_stay.png"), full_page=True)

    # a tracing step
    page.get_by_text("记录寻亲步骤").click()
    page.locator("#id_tracing-kind").select_option("notice")
    page.locator("#id_tracing-done_at").fill("2025-03-01T15:00")
    page.locator("#id_tracing-done_by").fill("李站")
    page.locator("#id_tracing-reference").fill("全国救助寻亲网 公告 2025-0301-17")
    page.get_by_role("button", name="保存寻亲步骤").click()
    expect(page.locator(".messages")).to_contain_text("已记录寻亲步骤")
    expect(page.locator("#tracing-steps")).to_contain_text("李站")
    expect(page.locator("#check-notice")).to_contain_text("已完成")

    # the family is found: identity, then return home
    page.get_by_text("寻亲比中：登记查明的身份").click()
    page.locator("#id_identity-name").fill("王大山")
    page.locator("#id_identity-id_number").fill(make_id_number())
    page.locator("#id_identity-home_region_code").fill("340102002001")
    page.get_by_role("button", name="保存身份").click()
    expect(page.locator(".messages")).to_contain_text("已记录查明的身份")
    expect(page.locator("h1")).to_contain_text("王大山")

    page.get_by_text("办理离站").click()
    page.locator("#id_end-ended_at").fill("2025-03-05T10:00")
    page.locator("#id_end-reason").select_option("returned_home")
    page.locator("#id_end-destination").fill("大兴村3组")
    page.get_by_role("button", name="确认离站").click()
    expect(page.locator(".messages")).to_contain_text("已办理离站")
    expect(page.locator("#stay-status")).to_contain_text("已离站")
    expect(page.locator("#stay-status")).to_contain_text("返乡")

    stay = Stay.objects.get()
    assert stay.end_reason == "returned_home" and stay.tracing_steps.count() == 1
    entry = PreventionEntry.objects.get()
    assert entry.stay == stay and entry.region_code == "340102002001"
