"""The survey import task, run by the django-tasks worker (issue 2 item 6).

The task takes the id of a common.models.Job row: the upload page (views.py) created the row with
the uploaded file and polls it for progress; the task writes progress, the result and any output
file there. It lives beside the importer it runs and the page that queues it: in registry/tasks.py
it made a cycle (survey.views → tasks → survey.importer). registry/tasks.py keeps the task's old
path for jobs queued before the move.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from bangfu.common.models import Job
from bangfu.common.progress import VisibleJobProgress

logger = logging.getLogger(__name__)

SURVEY_IMPORT = "survey_import"


@task()
def survey_import_job(job_id: int) -> dict:
    """Run a survey import for the Job's user; on good-rows imports save the bad rows as the
    Job's output file."""
    return run_survey_import_job(job_id)


def run_survey_import_job(job_id: int) -> dict:
    import io

    from ..errors import RegistryError
    from .importer import survey_import
    from .reader import SurveyFileError
    from .report import GOOD_ROWS
    from .workbook import write_bad_rows

    job = Job.objects.select_related("user").get(pk=job_id, kind=SURVEY_IMPORT)
    params = job.params or {}
    progress = VisibleJobProgress(job)
    try:
        with job.input_file.open("rb") as fh:
            report = survey_import(
                acting_user=job.user, source=io.BytesIO(fh.read()), filename=params.get("filename") or job.input_file.name,
                mode=params.get("mode", "all_or_nothing"), progress=progress,
            )
    except (SurveyFileError, RegistryError) as exc:
        message = " ".join(m for ms in exc.errors.values() for m in ms) if isinstance(exc, RegistryError) else str(exc)
        return _finish(job, Job.Status.FAILED, message[:255], {"error": message})
    except Exception:
        logger.exception("survey import job %s failed", job_id)
        _finish(job, Job.Status.FAILED, _("导入失败：系统内部错误，未写入任何数据，请联系系统管理员"), {"error": "internal"})
        raise
    finally:
        progress.close()
    if report.rejected and report.mode == GOOD_ROWS and report.written:
        buffer = io.BytesIO()
        write_bad_rows(report, buffer)
        job.output_file.save(f"survey_bad_rows_{job.pk}.xlsx", ContentFile(buffer.getvalue()), save=False)
    return _finish(job, Job.Status.DONE, report.outcome[:255], report.to_dict())


def _finish(job: Job, status: str, message: str, result: dict) -> dict:
    # job.done and job.total are the progress object's own counts (it holds this same instance)
    job.status, job.message, job.result, job.finished_at = status, message, result, timezone.now()
    # The uploaded sheet holds people's ID numbers; once read it has no further use, so it does not
    # stay on disk (the bad-rows file the user downloads goes by `bangfu purge-job-files`).
    if job.input_file:
        job.input_file.delete(save=False)
    job.save(update_fields=["status", "message", "result", "finished_at", "input_file", "output_file", "done", "total"])
    return {"status": status, "message": message}
