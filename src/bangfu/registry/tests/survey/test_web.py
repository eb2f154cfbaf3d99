"""Survey pages: template, upload with dry run, the job page (sync and through django-tasks),
bad-rows download for the job's own user only, export (issue 2 item 6)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.common.models import AccessLog, Job
from bangfu.registry.models import Household, Person
from bangfu.registry.survey import views
from bangfu.registry.survey.columns import HEADERS

from .helpers import member, read_xlsx, write_xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _tasks_and_media(settings, tmp_path):
    # settings read BANGFU_TASK_BACKEND at import; the suite must not need a worker or write to var/
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


def upload(tmp_path, rows, name="摸底.xlsx", **kwargs) -> SimpleUploadedFile:
    path = write_xlsx(tmp_path / "upload.xlsx", rows, **kwargs)
    return SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)


def good_and_bad_rows():
    return [member("1", "赵一", "户主"), member("1", "钱二", "配偶", sex="F"),
            member("2", "孙三", "户主"), member("2", "李四", "子女", 在校="也许")]


def test_template_download(client, users):
    # given
    client.force_login(users["village_a"])
    # when
    response = client.get(reverse("registry:survey_template"))
    # then
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    content = io.BytesIO(b"".join(response) if response.streaming else response.content)
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_object(content)
    assert workbook.sheet_names == ["摸底表", "说明"]
    assert workbook.get_sheet_by_name("摸底表").to_python()[0] == list(HEADERS)


def test_import_page_is_chinese(client, users):
    client.force_login(users["village_a"])
    html = client.get(reverse("registry:survey_import")).content.decode()
    assert "摸底调查表导入" in html and "试运行" in html and "全部无误才导入" in html


@pytest.mark.parametrize(("file", "message"), [
    (None, "请选择要导入的文件"),
    (SimpleUploadedFile("名单.docx", b"x"), "文件类型“.docx”不支持，请上传 Excel（.xlsx）或 CSV 文件"),
    (SimpleUploadedFile("空.csv", b""), "表格是空的"),
    (SimpleUploadedFile("少列.csv", "户编号,姓名,与户主关系\n1,张三,户主\n".encode()), "缺少以下列：村（社区）代码、身份证号码"),
])
def test_file_errors_are_shown_in_chinese(client, users, file, message):
    # given
    client.force_login(users["village_a"])
    data = {"mode": "all_or_nothing", "action": "import"} | ({"file": file} if file else {})
    # when
    response = client.post(reverse("registry:survey_import"), data)
    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_dry_run_shows_every_error_and_writes_nothing(client, users, tmp_path):
    # given
    client.force_login(users["village_a"])
    # when
    response = client.post(reverse("registry:survey_import"),
                           {"file": upload(tmp_path, good_and_bad_rows()), "mode": "good_rows", "action": "dry_run"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "试运行结果" in html and "“也许”应填“是”或“否”" in html and "<td>在校</td>" in html
    assert Person.objects.count() == 0 and not Job.objects.exists()


def _stored_uploads() -> set[str]:
    from django.core.files.storage import default_storage

    return set(default_storage.listdir("jobs/in")[1]) if default_storage.exists("jobs/in") else set()


def test_small_import_runs_at_once_and_shows_the_result(client, users, tmp_path):
    # given
    client.force_login(users["village_a"])
    uploads_before = _stored_uploads()
    # when
    response = client.post(reverse("registry:survey_import"),
                           {"file": upload(tmp_path, good_and_bad_rows()[:3]), "mode": "all_or_nothing", "action": "import"})
    # then
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:survey_job", args=[job.pk])
    assert (job.kind, job.user, job.status, job.done, job.total) == ("survey_import", users["village_a"], Job.Status.DONE, 3, 3)
    # the uploaded sheet (people's ID numbers) is deleted once read
    assert not job.input_file and _stored_uploads() == uploads_before
    page = client.get(response["Location"]).content.decode()
    assert "已全部导入" in page and "hx-trigger" not in page
    assert Person.objects.count() == 3
    assert {h.history_user for h in Person.history.all()} == {users["village_a"]}


def test_large_import_goes_through_the_task_queue(client, users, tmp_path, monkeypatch):
    # given: every file counts as large, so the job is enqueued (ImmediateBackend runs it)
    monkeypatch.setattr(views, "SYNC_MAX_ROWS", 0)
    from django_tasks.signals import task_enqueued

    calls = []

    def record(sender, task_result, **kwargs):
        calls.append((task_result.task.name, tuple(task_result.args)))

    task_enqueued.connect(record)
    client.force_login(users["village_a"])
    # when
    response = client.post(reverse("registry:survey_import"),
                           {"file": upload(tmp_path, good_and_bad_rows()), "mode": "good_rows", "action": "import"})
    # then
    task_enqueued.disconnect(record)
    job = Job.objects.get()
    assert calls == [("survey_import_job", (job.pk,))]
    assert job.status == Job.Status.DONE and job.result["new_persons"] == 2 and job.result["bad_rows"] == 1
    assert set(Person.objects.values_list("name", flat=True)) == {"赵一", "钱二"}
    fragment = client.get(reverse("registry:survey_job_progress", args=[job.pk])).content.decode()
    assert "hx-get" not in fragment and "下载未导入的行" in fragment and "“也许”应填“是”或“否”" in fragment
    bad = client.get(reverse("registry:survey_job_bad_rows", args=[job.pk]))
    assert bad.status_code == 200
    rows = read_xlsx(io.BytesIO(b"".join(bad.streaming_content)))
    assert [r["姓名"] for r in rows] == ["孙三", "李四"] and rows[1]["错误原因"] == "“在校”“也许”应填“是”或“否”"
    assert response.status_code == 302


def test_progress_fragment_polls_until_done(client, users):
    # given: a job the worker has not finished
    job = Job.objects.create(kind="survey_import", user=users["village_a"], total=200, done=50, status=Job.Status.RUNNING)
    client.force_login(users["village_a"])
    # when
    fragment = client.get(reverse("registry:survey_job_progress", args=[job.pk])).content.decode()
    page = client.get(reverse("registry:survey_job", args=[job.pk])).content.decode()
    # then
    assert f'hx-get="{reverse("registry:survey_job_progress", args=[job.pk])}"' in fragment
    assert 'hx-trigger="every 1s"' in fragment and 'value="50"' in fragment and "25%" in fragment
    assert 'id="job-progress"' in page


def test_a_job_is_only_visible_to_its_own_user(client, users, tmp_path):
    # given: a finished good-rows job of village A's worker with a bad-rows file
    client.force_login(users["village_a"])
    client.post(reverse("registry:survey_import"), {"file": upload(tmp_path, good_and_bad_rows()), "mode": "good_rows", "action": "import"})
    job = Job.objects.get()
    assert job.output_file
    # when: another user, even one with a wider scope, asks for it
    client.force_login(users["county"])
    # then
    for name in ("survey_job", "survey_job_progress", "survey_job_bad_rows"):
        assert client.get(reverse(f"registry:{name}", args=[job.pk])).status_code == 404


def test_failed_job_shows_the_reason(client, users, tmp_path):
    # given: a file that became unreadable after upload
    job = Job.objects.create(kind="survey_import", user=users["village_a"], params={"mode": "all_or_nothing", "filename": "x.xlsx"},
                             input_file=SimpleUploadedFile("x.xlsx", b"broken"))
    from bangfu.registry.survey.tasks import run_survey_import_job

    # when
    run_survey_import_job(job.pk)
    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "无法读取该文件" in job.message
    client.force_login(users["village_a"])
    assert "导入失败" in client.get(reverse("registry:survey_job", args=[job.pk])).content.decode()


@pytest.mark.parametrize("url_name", ["survey_import", "survey_template"])
def test_partner_viewer_cannot_import(client, users, tmp_path, url_name):
    # given
    client.force_login(users["partner"])
    # when
    get = client.get(reverse(f"registry:{url_name}"))
    post = client.post(reverse("registry:survey_import"), {"file": upload(tmp_path, good_and_bad_rows()), "mode": "all_or_nothing", "action": "import"})
    # then
    assert get.status_code == 403 and post.status_code == 403
    assert "没有权限" in get.content.decode()
    assert not Job.objects.exists() and not Person.objects.exists()


def test_pages_require_login(client):
    response = client.get(reverse("registry:survey_import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_export_view_uses_the_list_filter_scope_and_masking(client, users, household_a, household_b):
    # given
    client.force_login(users["village_a"])
    # when
    response = client.get(reverse("registry:survey_export"), {"status": "all"})
    # then
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = read_xlsx(io.BytesIO(response.content))
    assert {r["姓名"] for r in rows} == {"张伟", "李娜"}
    assert all("*" in r["身份证号码"] for r in rows)
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.EXPORT and "2 行" in log.detail and log.ip_address == "127.0.0.1"


def test_export_view_for_the_county_filters_by_village_with_full_numbers(client, users, household_a, household_b):
    # given
    client.force_login(users["county"])
    # when
    rows = read_xlsx(io.BytesIO(client.get(reverse("registry:survey_export"), {"village": household_b.region_code}).content))
    # then
    wang = household_b.members.get()
    assert [(r["姓名"], r["身份证号码"]) for r in rows] == [("王芳", wang.id_number)]
    assert Household.objects.count() == 2


def test_partner_viewer_cannot_export(client, users, household_a):
    client.force_login(users["partner"])
    assert client.get(reverse("registry:survey_export")).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_job_progress_is_visible_while_the_import_transaction_is_open(users):
    # given
    from django.db import connection, connections, transaction

    from bangfu.common.progress import VisibleJobProgress

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the bar waits for the commit there")
    job = Job.objects.create(kind="survey_import", user=users["village_a"])
    progress = VisibleJobProgress(job, interval=0)
    progress.start(10, "写入")
    other = connections.create_connection("default")
    try:
        # when: rows are written inside the import's transaction
        with transaction.atomic():
            progress.advance(4)
            # then: another connection (the polling page) already sees the count
            with other.cursor() as cursor:
                cursor.execute("SELECT done FROM common_job WHERE id = %s", [job.pk])
                assert cursor.fetchone()[0] == 4
        progress.finish()
    finally:
        other.close()
    job.refresh_from_db()
    assert (job.done, job.total) == (4, 10)


def test_a_job_queued_under_the_old_task_path_finds_the_task():
    # the task moved from registry/tasks.py into registry/survey/tasks.py; the task database names
    # a job queued before the move by its old path, which the worker imports
    from django.utils.module_loading import import_string

    from bangfu.registry.survey.tasks import survey_import_job

    assert import_string("bangfu.registry.tasks.survey_import_job") is survey_import_job
