"""A worker killed in the middle of a job (issue 13, "Faults"): nothing half written, the job shows
failed, and submitting it again succeeds.

The survey import runs in a process of its own (as the task worker would run it) against this
test's database; once it is writing (the job's progress says so) it is killed with SIGKILL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from bangfu_testing.processes import database_url, dead_pid

from bangfu.common.jobs import jobs_sweep
from bangfu.common.models import Job

pytestmark = pytest.mark.django_db(transaction=True)

SRC = Path(__file__).resolve().parents[3]
HOUSEHOLDS = 400

# The worker process: the task as the worker runs it, except that after writing its first rows (in
# its transaction, progress reported) it lingers, so that the kill lands mid-write every time.
WORKER = """
import sys, time, django
django.setup()
from bangfu.common import progress
from bangfu.registry.survey.tasks import run_survey_import_job

advance = progress.VisibleJobProgress.advance

def advance_then_linger(self, n=1):
    advance(self, n)
    if self.job.message == "写入":
        self._save_done()
        time.sleep(600)

progress.VisibleJobProgress.advance = advance_then_linger
run_survey_import_job(int(sys.argv[1]))
"""


def _sheet(path: Path, village: str) -> bytes:
    from bangfu_testing.factories import make_id_number
    from bangfu.registry.tests.survey.helpers import member, write_xlsx

    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    rows = [member(f"H{i:05d}", "张" + given[i % len(given)] + "华英兰"[(i // len(given)) % 3], village=village,
                   id_number=make_id_number(birth=dt.date(1940, 1, 1) + dt.timedelta(days=i), seq=1))
            for i in range(HOUSEHOLDS)]
    return write_xlsx(path, rows).read_bytes()


def _job(user, content: bytes) -> Job:
    job = Job.objects.create(kind="survey_import", user=user, params={"mode": "all_or_nothing", "filename": "摸底.xlsx"})
    job.input_file.save("survey.xlsx", ContentFile(content), save=True)
    return job


def test_a_survey_import_killed_while_writing_leaves_nothing_and_runs_again(users, regions, settings, tmp_path):
    if connections["default"].vendor != "postgresql":
        pytest.skip("PostgreSQL only: the killed import must be another process writing into this test's database, "
                    "and the tests' SQLite database lives in this process's memory")
    from bangfu.registry.models import Household, Person
    from bangfu.registry.survey.tasks import run_survey_import_job

    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                         "OPTIONS": {"location": var / "media"}}}
    content = _sheet(tmp_path / "survey.xlsx", regions["village_a"].code)
    job = _job(users["village_a"], content)

    env = {**os.environ, "DATABASE_URL": database_url(), "BANGFU_VAR": str(var), "BANGFU_TESTING": "1",
           "DJANGO_SETTINGS_MODULE": "bangfu.settings", "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(job.pk)], env=env, cwd=tmp_path)
    try:
        while True:  # until the worker is writing (its progress is committed on a side connection)
            job.refresh_from_db()
            if job.message == "写入" and job.done > 0:
                break
            assert job.status not in (Job.Status.DONE, Job.Status.FAILED) and worker.poll() is None, (
                f"the import ended ({job.status}: {job.message}) before it could be killed: make the sheet bigger")
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()

    # nothing half written: the import's one transaction died with the process
    assert 0 < job.done
    assert not Person.objects.exists() and not Household.objects.exists()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING, "the dead worker's job still says running until swept"

    # the job page shows it failed (the page sweeps the job it shows); `bangfu sweep-jobs` finds no other
    client = Client()
    client.force_login(users["village_a"])
    page = client.get(reverse("registry:survey_job_progress", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "后台进程意外中止" in page
    assert jobs_sweep() == 0

    # submitted again, it runs through
    again = _job(users["village_a"], content)
    run_survey_import_job(again.pk)
    again.refresh_from_db()
    assert again.status == Job.Status.DONE, again.message
    assert Household.objects.count() == HOUSEHOLDS and Person.objects.count() == HOUSEHOLDS


def test_sweep_leaves_live_and_other_machines_jobs_alone(users):
    """A running job whose process is alive (this one) or on another machine is not touched; one
    whose process has exited is marked failed (by `bangfu sweep-jobs` too)."""
    import io
    import socket

    dead = dead_pid()
    host = socket.gethostname()
    jobs = {
        "alive": {"host": host, "pid": os.getpid()},
        "elsewhere": {"host": host + "-other", "pid": dead},
        "dead": {"host": host, "pid": dead},
    }
    made = {k: Job.objects.create(kind="survey_import", user=users["village_a"], status=Job.Status.RUNNING, params={"worker": w})
            for k, w in jobs.items()}
    out = io.StringIO()
    call_command("sweep_jobs", stdout=out)
    assert "已标为失败 1 个任务" in out.getvalue()
    status = {k: Job.objects.get(pk=j.pk).status for k, j in made.items()}
    assert status == {"alive": Job.Status.RUNNING, "elsewhere": Job.Status.RUNNING, "dead": Job.Status.FAILED}
