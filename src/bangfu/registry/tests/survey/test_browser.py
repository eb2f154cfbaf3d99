"""Browser flow of the survey pages (pytest -m browser): check a sheet, import its good
households, watch the job page finish and download the rows left out."""

from __future__ import annotations

import re

import pytest

from bangfu_testing.browser import SCREENSHOTS, log_in
from bangfu.registry.tests.test_browser import worker  # noqa: F401 (fixture)

from .helpers import member, read_xlsx, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}


def test_check_then_import_good_households_and_download_the_rest(page, worker, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    from bangfu.registry.models import Person

    # given
    sheet = write_xlsx(tmp_path / "摸底表.xlsx", [
        member("1", "刘德明"), member("1", "刘秀英", "配偶", sex="F"),
        member("2", "孙桂兰", sex="F", 在校="也许"),
    ])
    log_in(page, worker)
    page.get_by_role("link", name="调查表导入").click()
    # when: a dry run in good-rows mode
    page.locator("input[type=file]").set_input_files(str(sheet))
    page.get_by_label(re.compile("导入无误的家庭")).check()
    page.get_by_label("试运行：只检查，不写入").check()
    page.get_by_role("button", name="开始").click()
    # then: the error is listed with its row and column, and nothing is written
    expect(page.locator("#survey-report")).to_contain_text("试运行结果")
    expect(page.locator("table.survey-errors")).to_contain_text("“也许”应填“是”或“否”")
    expect(page.locator("table.survey-errors tbody tr").first).to_contain_text("4")
    assert Person.objects.count() == 0
    page.screenshot(path=str(SCREENSHOTS / "bangfu_survey_dry_run.png"), full_page=True)
    # when: the real import
    page.locator("input[type=file]").set_input_files(str(sheet))
    page.get_by_label(re.compile("导入无误的家庭")).check()
    page.get_by_label("正式导入").check()
    page.get_by_role("button", name="开始").click()
    # then: the job page shows the result and the rows left out can be downloaded
    expect(page).to_have_url(re.compile(r"/registry/survey/jobs/\d+/$"))
    expect(page.locator("#job-progress")).to_contain_text("已导入无误的家庭")
    page.screenshot(path=str(SCREENSHOTS / "bangfu_survey_job.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载未导入的行")).click()
    rows = read_xlsx(download.value.path())
    assert [r["姓名"] for r in rows] == ["孙桂兰"] and rows[0]["错误原因"] == "“在校”“也许”应填“是”或“否”"
    assert sorted(Person.objects.values_list("name", flat=True)) == ["刘德明", "刘秀英"]
