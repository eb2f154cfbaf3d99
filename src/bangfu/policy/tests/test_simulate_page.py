"""The county officers' simulation page (issue 3): the form with the values in force, the summary
by township (inline for small regions, through the task queue for big ones), the workbook, and
the role × action matrix (others 403; a job is its starter's only)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.common.models import AccessLog, Job
from bangfu.policy import views_simulate


from .test_reassessment import add_wage, standard  # noqa: F401  (fixture)

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls then.

pytestmark = pytest.mark.django_db
URL = "/policy/simulate/"


@pytest.fixture(autouse=True)
def _tasks_and_media(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def two_households(standard, household_a, household_b):
    add_wage(household_a, "1500.00")  # 750.00 a head: +10 % on 700.00 makes it eligible for 40.00
    return household_a, household_b


def form_data(**extra) -> dict:
    return {"region": "340102000000", "on": "2025-08-01", **extra}


def test_url_name():
    assert reverse("policy:simulate") == URL


def test_county_officer_sees_the_form_with_values_in_force(client, users, standard):
    client.force_login(users["county"])
    page = client.get(URL).content.decode()
    assert "政策测算" in page and 'name="p_dibao_standard_rural"' in page and 'name="p_near_dibao_factor"' in page
    assert "现行：700.00 元" in page  # the 瑶海区 rural standard
    assert "明光路街道" in page  # a township of the officer's county to choose
    assert 'name="p_income_excluded_kinds"' not in page  # code lists are not adjusted here


def test_county_officer_gets_the_summary(client, users, two_households):
    client.force_login(users["county"])
    # when
    response = client.post(URL, form_data(p_dibao_standard_rural="+10%"))
    # then: small region, run inline, redirected to the finished job
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("policy:simulate_job", args=[job.pk])
    assert job.status == Job.Status.DONE and job.params["settings"] == {"dibao_standard_rural": "+10%"}
    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page
    assert "明光路街道" in page and "大兴镇" in page and "合计" in page
    assert "新增低保 1 户，停发 0 户，提高 1 户，降低 0 户" in page
    assert "+110.00" in page and "+1,320.00" in page and "700.00 元 → <strong>770.00 元</strong>" in page
    # and the workbook
    download = client.get(reverse("policy:simulate_job_xlsx", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(b"".join(download.streaming_content)))
    assert book.sheet_names == ["汇总", "明细", "参数"]
    assert AccessLog.objects.filter(user=users["county"], action="export", object_type="policy_simulation").count() == 1


def test_big_region_goes_through_the_task_queue(client, users, two_households, monkeypatch):
    # given: every region counts as big, so the job is enqueued (ImmediateBackend runs it)
    monkeypatch.setattr(views_simulate, "SYNC_MAX_HOUSEHOLDS", 0)
    from django_tasks.signals import task_enqueued

    calls = []

    def record(sender, task_result, **kwargs):
        calls.append((task_result.task.name, tuple(task_result.args)))

    task_enqueued.connect(record)
    client.force_login(users["county"])
    try:
        client.post(URL, form_data(p_dibao_standard_rural="+10%"))
    finally:
        task_enqueued.disconnect(record)
    job = Job.objects.get()
    assert calls == [("simulate_job", (job.pk,))]
    assert job.status == Job.Status.DONE and job.done == job.total == 2
    fragment = client.get(reverse("policy:simulate_job_progress", args=[job.pk])).content.decode()
    assert "hx-get" not in fragment and "下载测算结果" in fragment


def test_running_job_page_polls(client, users):
    job = Job.objects.create(kind="policy_simulate", user=users["county"], total=100, done=40, status="running",
                             params={"region_code": "340102000000", "on": "2025-08-01"})
    client.force_login(users["county"])
    page = client.get(reverse("policy:simulate_job", args=[job.pk])).content.decode()
    assert "hx-trigger" in page and "40 / 100" in page


def test_bad_value_names_the_field_and_starts_nothing(client, users, two_households):
    client.force_login(users["county"])
    response = client.post(URL, form_data(p_dibao_standard_rural="abc", p_near_dibao_factor="2"))
    assert response.status_code == 200
    assert "参数 dibao_standard_rural：金额“abc”不是数字" in response.content.decode()
    assert not Job.objects.exists()


def test_nothing_adjusted_is_refused(client, users, two_households):
    client.force_login(users["county"])
    response = client.post(URL, form_data())
    assert "请至少调整一个参数" in response.content.decode() and not Job.objects.exists()


def test_region_outside_the_choices_refused(client, users, two_households):
    client.force_login(users["county"])
    response = client.post(URL, form_data(region="340103000000", p_dibao_standard_rural="+10%"))
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.mark.parametrize("role", ["village_a", "township_a", "partner", "auditor"])
def test_simulate_other_roles_denied(client, users, role):
    client.force_login(users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(p_dibao_standard_rural="+10%")).status_code == 403
    assert not Job.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_job_of_another_officer_is_not_found(client, users, regions, two_households):
    from bangfu_testing.factories import make_user

    client.force_login(users["county"])
    client.post(URL, form_data(p_dibao_standard_rural="+10%"))
    job = Job.objects.get()
    colleague = make_user("county2", "county_officer", regions["county"])
    client.force_login(colleague)
    for name in ("policy:simulate_job", "policy:simulate_job_progress", "policy:simulate_job_xlsx"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    village = users["village_a"]
    client.force_login(village)
    assert client.get(reverse("policy:simulate_job", args=[job.pk])).status_code == 403


def test_administrator_may_simulate_a_county(client, users, two_households):
    client.force_login(users["admin"])
    page = client.get(URL).content.decode()
    assert "瑶海区" in page  # a county of the province to choose
    response = client.post(URL, form_data(p_dibao_standard_rural="+10%"))
    assert response.status_code == 302 and Job.objects.get().status == Job.Status.DONE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_county_officer_simulates_a_raise(page, users, two_households):
    """The page flow in Chromium: adjust the rural standard by +10 %, see the townships and the
    totals, and the workbook link."""
    from bangfu_testing.browser import log_in

    log_in(page, users["county"])
    page.goto(URL)
    page.get_by_label("农村低保标准", exact=True).fill("+10%")
    page.get_by_label("评估日期").fill("2025-08-01")
    page.get_by_role("button", name="开始测算").click()
    table = page.locator("#simulate-townships")
    table.wait_for()
    assert "明光路街道" in table.inner_text() and "合计" in table.inner_text()
    assert "新增低保 1 户" in page.locator("#simulate-totals").inner_text()
    assert page.get_by_role("link", name=re.compile("下载测算结果")).count() == 1
