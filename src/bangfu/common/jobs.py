"""Reads of background jobs shared by every page that starts one (survey import, simulation)."""

from __future__ import annotations

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


def job_context(job: Job, **extra) -> dict:
    """What every job page shows: the job, whether it has finished, and the seconds it has taken."""
    return {
        "job": job,
        "finished": job.status in (Job.Status.DONE, Job.Status.FAILED),
        "elapsed": ((job.finished_at or timezone.now()) - job.created_at).total_seconds(),
        **extra,
    }
