"""Background work of the policy app, run by the django-tasks worker (architecture.md "background
jobs"): a reassessment and a simulation started from the web.

Each task takes the id of a `common.models.Job` row the page created (kind, user, params) and
writes its progress, result and any output file there; the page polls the row (htmx). The same
`run_*` functions run inline for small regions, so the page and the worker share one code path.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from bangfu.common.models import Job
from bangfu.common.progress import JobProgress

logger = logging.getLogger(__name__)

REASSESS = "policy_reassess"
SIMULATE = "policy_simulate"


@task()
def reassess_job(job_id: int) -> dict:
    """`reassessment.reassess` for the Job's user; params: region_code, on (ISO date or null)."""
    return run_reassess_job(job_id)


@task()
def simulate_job(job_id: int) -> dict:
    """`simulation.simulate` for the Job's user; params: settings, region_code, on. Saves the
    workbook as the Job's output file."""
    return run_simulate_job(job_id)


def _on(params: dict) -> dt.date | None:
    return dt.date.fromisoformat(params["on"]) if params.get("on") else None


def run_reassess_job(job_id: int) -> dict:
    from .parameters import ParameterError
    from .reassessment import ReassessmentError, reassess

    job = Job.objects.select_related("user", "user__region").get(pk=job_id, kind=REASSESS)
    params = job.params or {}
    try:
        run = reassess(acting_user=job.user, region_code=params.get("region_code"), on=_on(params), progress=JobProgress(job))
    except (ReassessmentError, ParameterError) as exc:
        return _finish(job, Job.Status.FAILED, str(exc), {"error": str(exc)})
    except Exception:
        logger.exception("reassessment job %s failed", job_id)
        _finish(job, Job.Status.FAILED, _("重新核算失败：系统内部错误，请联系系统管理员"), {"error": "internal"})
        raise
    return _finish(job, Job.Status.DONE, run.message, {"run_id": run.pk, "counts": run.counts})


def run_simulate_job(job_id: int) -> dict:
    from .reassessment import ReassessmentError
    from .simulation import signed_yuan, simulate, write_workbook

    job = Job.objects.select_related("user", "user__region").get(pk=job_id, kind=SIMULATE)
    params = job.params or {}
    try:
        result = simulate(acting_user=job.user, settings=params.get("settings") or {}, region_code=params.get("region_code"),
                          on=_on(params), progress=JobProgress(job))
    except ReassessmentError as exc:  # SimulationError is one
        return _finish(job, Job.Status.FAILED, str(exc), {"error": str(exc)})
    except Exception:
        logger.exception("simulation job %s failed", job_id)
        _finish(job, Job.Status.FAILED, _("测算失败：系统内部错误，请联系系统管理员"), {"error": "internal"})
        raise
    buffer = io.BytesIO()
    write_workbook(result, buffer)
    job.output_file.save(f"policy_simulation_{job.pk}.xlsx", ContentFile(buffer.getvalue()), save=False)
    t = result.total
    message = _("新增 %(gains)s 户，停发 %(loses)s 户，月支出变化 %(change)s 元") % {
        "gains": t["gains"], "loses": t["loses"], "change": signed_yuan(t["monthly_change_fen"])}
    return _finish(job, Job.Status.DONE, message, result.to_dict())


def _finish(job: Job, status: str, message: str, result: dict) -> dict:
    job.status, job.message, job.result, job.finished_at = status, message[:255], result, timezone.now()
    job.save(update_fields=["status", "message", "result", "finished_at", "output_file", "done", "total"])
    return {"status": status, "message": message}
