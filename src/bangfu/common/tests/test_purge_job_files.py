"""Files of finished jobs do not stay on disk forever (they can hold people's data)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from bangfu.common.models import Job

pytestmark = pytest.mark.django_db


def _job(user, *, finished_days_ago: int | None) -> Job:
    job = Job.objects.create(kind="survey_import", user=user, status=Job.Status.DONE)
    job.output_file.save(f"bad_rows_{job.pk}.xlsx", ContentFile(b"rows"), save=False)
    job.finished_at = None if finished_days_ago is None else timezone.now() - dt.timedelta(days=finished_days_ago)
    job.save()
    return job


def test_purge_deletes_only_files_of_jobs_finished_before_the_cutoff(users):
    old = _job(users["village_a"], finished_days_ago=31)
    recent = _job(users["village_a"], finished_days_ago=29)
    running = _job(users["village_a"], finished_days_ago=None)
    old_name = old.output_file.name
    out = io.StringIO()

    call_command("purge_job_files", "--days", "30", stdout=out)

    old.refresh_from_db(), recent.refresh_from_db(), running.refresh_from_db()
    assert not old.output_file and not default_storage.exists(old_name)
    assert recent.output_file and default_storage.exists(recent.output_file.name)
    assert running.output_file
    assert "已删除 1 个文件" in out.getvalue()
    assert Job.objects.filter(pk=old.pk).exists()  # the record of the job stays


def test_negative_days_is_refused(users):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不能为负数"):
        call_command("purge_job_files", "--days", "-1")
