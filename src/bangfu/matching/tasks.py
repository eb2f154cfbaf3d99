"""The import job (django-tasks): the upload page stores the file on a common.models.Job row with
the kind, source, date and the confirmed column mapping; the worker reads, links and stores the
list, writing progress to the Job, which the job page polls (htmx)."""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.conf import settings
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from bangfu.common.models import Job
from bangfu.common.progress import VisibleJobProgress

logger = logging.getLogger(__name__)

MATCHING_IMPORT = "matching_import"


@task()
def list_import_job(job_id: int) -> dict:
    return run_list_import_job(job_id)


def run_list_import_job(job_id: int) -> dict:
    """Run the import in the language of the user who confirmed it (their messages, row reasons
    and findings are written in it, like every other record a user's action writes)."""
    language = (Job.objects.filter(pk=job_id).values_list("params", flat=True).first() or {}).get("language")
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run_list_import_job(job_id)


def _run_list_import_job(job_id: int) -> dict:
    from .models import kind_by_code
    from .reader import ListFileError, parse, read_table
    from .services import MatchingError, list_import

    job = Job.objects.select_related("user").get(pk=job_id, kind=MATCHING_IMPORT)
    params = job.params or {}
    progress = VisibleJobProgress(job)
    try:
        with job.input_file.open("rb") as fh:
            table = read_table(io.BytesIO(fh.read()), filename=params.get("filename") or job.input_file.name)
        parsed = parse(table, kind_by_code(params["kind"]), mapping=params.get("mapping") or None)
        batch = list_import(acting_user=job.user, kind=params["kind"], source=params.get("source", ""),
                            source_date=dt.date.fromisoformat(params["source_date"]), parsed=parsed,
                            complete=bool(params.get("complete")), filename=params.get("filename", ""), progress=progress)
    except (ListFileError, MatchingError, KeyError) as exc:
        message = str(exc) if not isinstance(exc, KeyError) else _("未知的名单种类")
        return _finish(job, Job.Status.FAILED, message[:255], {"error": message})
    except Exception:
        logger.exception("matching import job %s failed", job_id)
        _finish(job, Job.Status.FAILED, _("导入失败：系统内部错误，未写入任何数据，请联系系统管理员"), {"error": "internal"})
        raise
    finally:
        progress.close()
    return _finish(job, Job.Status.DONE, _("已导入%(rows)s行（其中拒收%(refused)s行），发现%(findings)s条")
                   % {"rows": batch.counts.get("rows", 0), "refused": batch.counts.get("refused", 0), "findings": batch.counts.get("findings", 0)},
                   {"batch_id": batch.pk, "counts": batch.counts})


def _finish(job: Job, status: str, message: str, result: dict) -> dict:
    job.status, job.message, job.result, job.finished_at = status, message, result, timezone.now()
    job.save(update_fields=["status", "message", "result", "finished_at", "done", "total"])
    return {"status": status, "message": message}
