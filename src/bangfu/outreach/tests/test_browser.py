"""Browser test of the helper's flow (issue 6 "Done when"): a helper records a visit with a photo
and the overdue list updates. Playwright driving Debian's Chromium, as registry/tests/test_browser.py."""

from __future__ import annotations


import pytest

from bangfu_testing.browser import SCREENSHOTS, log_in



pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_helper_records_a_visit_with_a_photo_and_the_overdue_list_updates(new_page, users, helper, helper_user, household_a, tmp_path):
    from django.utils import timezone
    from playwright.sync_api import expect

    from bangfu.outreach import rules, services
    from bangfu.outreach.models import VisitAttachment

    # given: a pairing in force since the start of this quarter, not yet visited
    quarter_start = rules.quarter_of(timezone.localdate())[0]
    pairing = services.pairing_create(acting_user=users["village_a"], target_kind="household", household_id=household_a.pk,
                                      helper_ids=[helper.pk], start_date=quarter_start)
    photo = tmp_path / "门口.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200)

    worker_page = new_page()
    log_in(worker_page, users["village_a"], "/outreach/overdue/")
    row = worker_page.locator(f"#overdue-{pairing.pk}")
    expect(row).to_contain_text("张伟户")
    expect(row.locator("td.num").first).to_have_text("0")

    # when: the helper opens their to-do list and records a home visit with a photo
    page = new_page()
    log_in(page, helper_user, "/outreach/mine/")
    todo = page.locator(f"#todo-{pairing.pk}")
    expect(todo.locator("td.num").nth(1)).to_have_text("2")
    todo.get_by_role("link", name="记录走访").click()
    page.get_by_label("走访方式").select_option("home")
    page.get_by_label("了解到的情况").fill("老两口身体尚可，屋顶有渗水")
    page.get_by_label("提出的需求").fill("希望帮助修缮屋顶")
    page.locator("#id_files").set_input_files(str(photo))  # the picker (the camera field beside it: issue 17)
    page.screenshot(path=str(SCREENSHOTS / "bangfu_outreach_visit_form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()

    # then: the visit shows its photo, served through the checked view
    expect(page.locator(".messages")).to_contain_text("已保存走访记录")
    expect(page.locator(".attachments")).to_contain_text("门口.jpg")
    attachment = VisitAttachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    response = page.request.get(f"/outreach/attachments/{attachment.pk}/")
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    page.goto("/outreach/mine/")
    expect(page.locator(f"#todo-{pairing.pk} td.num").nth(1)).to_have_text("1")

    # and the overdue list shows one visit of two
    worker_page.reload()
    expect(worker_page.locator(f"#overdue-{pairing.pk} td.num").first).to_have_text("1")
    worker_page.screenshot(path=str(SCREENSHOTS / "bangfu_outreach_overdue.png"), full_page=True)

    # when: a second visit (by phone) is recorded, the pairing leaves the overdue list
    page.goto(f"/outreach/pairings/{pairing.pk}/visit/")
    page.get_by_label("走访方式").select_option("phone")
    page.get_by_label("了解到的情况").fill("电话回访，屋顶已修好")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存走访记录")
    worker_page.reload()
    expect(worker_page.locator(f"#overdue-{pairing.pk}")).to_have_count(0)
    expect(worker_page.locator("table.overdue")).to_contain_text("没有未达标的结对")
