"""Reads of background jobs shared by every page that starts one (survey import, simulation)."""

from __future__ import annotations

import os
import socket

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job


def own_job(user, pk: int, kind: str) -> Job:
    """A job of this kind started by this user; anyone else's answers "not found"."""
    job = Job.objects.filter(pk=pk, kind=kind, user=user).first()
    if job is None:
        raise Http404(_("记录不存在"))
    return job


def worker_identity() -> dict:
    """The process running a job (JobProgress.start records it in the job's params)."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def worker_dead(worker: dict | None) -> bool:
    """Whether the process a `worker_identity()` names is known to have died: only a process of
    this machine can be judged; anything else counts as alive."""
    worker = worker or {}
    return worker.get("host") == socket.gethostname() and isinstance(worker.get("pid"), int) and not _alive(worker["pid"])


def jobs_sweep(jobs=None) -> int:
    """Mark failed the running jobs whose worker process has died (killed, out of memory, the
    machine restarted): without this they would show "running" for ever. Only processes of this
    machine can be judged (docs/deployment.md runs the worker beside the web server). Every job
    writes in one transaction, which the database rolled back when the process died, so nothing
    is half written and the job can simply be submitted again. Returns the number marked."""
    marked = 0
    for job in (Job.objects.all() if jobs is None else jobs).filter(status=Job.Status.RUNNING):
        if not worker_dead((job.params or {}).get("worker")):
            continue
        marked += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=_("后台进程意外中止，任务没有完成，也没有写入任何数据；请重新提交"))
    return marked


def job_context(job: Job, **extra) -> dict:
    """What every job page shows: the job, whether it has finished, and the seconds it has taken."""
    if job.status == Job.Status.RUNNING and jobs_sweep(Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return {
        "job": job,
        "finished": job.status in (Job.Status.DONE, Job.Status.FAILED),
        "elapsed": ((job.finished_at or timezone.now()) - job.created_at).total_seconds(),
        **extra,
    }
