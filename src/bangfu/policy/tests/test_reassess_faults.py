"""A reassessment whose process dies (issue 13, "Faults"): nothing half written, the run shows
failed, and reassessing again succeeds. Each county is written in one transaction; the run row is
written before, so without a sweep a killed run would say "running" for ever."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connections

from bangfu_testing.processes import database_url, dead_pid

from bangfu.policy.models import AssessmentRun, Determination
from bangfu.policy.reassessment import reassess, runs_sweep

ON = dt.date(2025, 8, 1)
SRC = Path(__file__).resolve().parents[3]

# The reassessment as `bangfu reassess` runs it, except that once it has written the county's
# determinations (inside the county's transaction) it says so in a file and lingers, so that the
# kill lands mid-write every time.
WORKER = """
import sys, time, datetime as dt, django
django.setup()
from pathlib import Path
from bangfu.accounts.models import User
from bangfu.policy import reassessment

write_rows = reassessment.write_rows

def write_then_linger(model, columns, frame):
    write_rows(model, columns, frame)
    if model.__name__ == "Determination":
        Path(sys.argv[2]).write_text("writing")
        time.sleep(600)

reassessment.write_rows = write_then_linger
reassessment.reassess(acting_user=User.objects.get(pk=int(sys.argv[1])), on=dt.date(2025, 8, 1))
"""


@pytest.mark.django_db
def test_a_dead_run_is_marked_failed_and_the_next_run_goes_through(users, household_a, household_b):
    host = socket.gethostname()
    runs = {name: AssessmentRun.objects.create(started_by=users["county"], region_code="340102000000", on_date=ON,
                                               counts={"worker": worker})
            for name, worker in (("alive", {"host": host, "pid": os.getpid()}),
                                 ("elsewhere", {"host": host + "-other", "pid": dead_pid()}),
                                 ("dead", {"host": host, "pid": dead_pid()}))}
    assert runs_sweep(AssessmentRun.objects.filter(pk=runs["alive"].pk)) == 0
    # the next reassessment sweeps first, then runs through
    run = reassess(acting_user=users["county"], on=ON)
    assert run.status == AssessmentRun.Status.DONE and Determination.objects.filter(run=run).count() == 2
    status = {name: AssessmentRun.objects.get(pk=r.pk) for name, r in runs.items()}
    assert {n: r.status for n, r in status.items()} == {"alive": "running", "elsewhere": "running", "dead": "failed"}
    assert "后台进程意外中止" in status["dead"].message and status["dead"].finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_reassessment_killed_while_writing_leaves_nothing_and_runs_again(users, household_a, household_b, tmp_path):
    if connections["default"].vendor != "postgresql":
        pytest.skip("PostgreSQL only: the killed run must be another process writing into this test's database, "
                    "and the tests' SQLite database lives in this process's memory")
    flag = tmp_path / "writing"
    env = {**os.environ, "DATABASE_URL": database_url(), "BANGFU_TESTING": "1", "BANGFU_VAR": str(tmp_path / "var"),
           "DJANGO_SETTINGS_MODULE": "bangfu.settings", "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(users["county"].pk), str(flag)], env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert worker.poll() is None, "the reassessment ended before it could be killed"
            assert time.monotonic() < deadline, "the reassessment never started writing"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()

    # nothing half written: the county's transaction died with the process; the run still says running
    assert not Determination.objects.exists()
    run = AssessmentRun.objects.get()
    assert run.status == AssessmentRun.Status.RUNNING
    assert runs_sweep() == 1
    run.refresh_from_db()
    assert run.status == AssessmentRun.Status.FAILED
    # run again, it goes through (no lock left behind: the county lock was the dead transaction's)
    again = reassess(acting_user=users["county"], on=ON)
    assert again.status == AssessmentRun.Status.DONE and Determination.objects.filter(run=again).count() == 2
