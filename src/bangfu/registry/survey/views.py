"""Survey pages (issue 2 item 6): template download, upload with dry run, the import job page that
polls its progress (htmx), the bad-rows download, and export. Thin: the work is in importer,
export and tasks; a job answers 404 to anyone but the user who started it."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.common.http import XLSX, xlsx_attachment
from bangfu.accounts.permissions import require_perm
from bangfu.common.jobs import job_context, own_job
from bangfu.common.models import Job
from bangfu.common.spreadsheets import SpreadsheetRefused, check_upload_size
from bangfu.registry.errors import RegistryError
from bangfu.registry.selectors import HouseholdFilter

from .. import permissions
from .export import survey_export
from .importer import survey_import
from .reader import SurveyFileError, read_survey
from .report import ALL_OR_NOTHING, GOOD_ROWS, ImportReport
from .tasks import SURVEY_IMPORT, run_survey_import_job, survey_import_job
from .workbook import write_template

SYNC_MAX_ROWS = 2000  # smaller sheets are imported within the request, through the same job code
ERRORS_SHOWN = 500
DRY_RUN, IMPORT = "dry_run", "import"


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("调查表文件"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
                           error_messages={"empty": gettext_lazy("表格是空的（文件大小为0），请在模板中填写数据后再导入")})
    mode = forms.ChoiceField(
        label=gettext_lazy("导入方式"), widget=forms.RadioSelect, initial=ALL_OR_NOTHING,
        choices=[(ALL_OR_NOTHING, gettext_lazy("全部无误才导入：有任何错误，一行都不导入")),
                 (GOOD_ROWS, gettext_lazy("导入无误的家庭：有错误的家庭整户不导入，可下载错误行修改后再导入"))],
    )
    action = forms.ChoiceField(
        label=gettext_lazy("操作"), widget=forms.RadioSelect, initial=DRY_RUN, required=False,
        choices=[(DRY_RUN, gettext_lazy("试运行：只检查，不写入")), (IMPORT, gettext_lazy("正式导入"))],
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        try:
            check_upload_size(getattr(upload, "size", None), settings.BANGFU_UPLOAD_MAX_BYTES)
        except SpreadsheetRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


NO_IMPORT = gettext_lazy("您没有导入调查表的权限")


@require_perm(permissions.IMPORT, NO_IMPORT)
@require_GET
def survey_template(request: HttpRequest) -> HttpResponse:
    buffer = io.BytesIO()
    write_template(buffer)
    return xlsx_attachment(buffer.getvalue(), "摸底调查表模板.xlsx")


@require_perm(permissions.IMPORT, NO_IMPORT)
@require_http_methods(["GET", "POST"])
def survey_import_page(request: HttpRequest) -> HttpResponse:
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mode = form.cleaned_data["mode"]
        filename = getattr(upload, "name", None)
        try:
            if form.cleaned_data["action"] != IMPORT:  # a dry run unless the user chose to import
                report = survey_import(acting_user=request.user, source=upload, filename=filename, mode=mode, dry_run=True)
            else:
                # read once here so that a wrong file is refused on this page, not in the job
                rows = len(read_survey(upload, filename=filename).rows)
                job = _start_job(request, upload, mode=mode, rows=rows)
                return redirect("registry:survey_job", pk=job.pk)
        except SurveyFileError as exc:
            form.add_error("file", str(exc))
        except RegistryError as exc:
            raise PermissionDenied(str(exc)) from None
    context = {"form": form, "report": report, "errors": report.errors[:ERRORS_SHOWN] if report else [],
               "error_count": len(report.errors) if report else 0}
    return render(request, "registry/survey/import.html", context)


def _start_job(request: HttpRequest, upload, *, mode: str, rows: int) -> Job:
    upload.seek(0)
    job = Job.objects.create(kind=SURVEY_IMPORT, user=request.user, total=rows, input_file=upload,
                             params={"mode": mode, "filename": upload.name, "rows": rows},
                             message=_("排队等待导入"))
    if rows < SYNC_MAX_ROWS:
        try:
            run_survey_import_job(job.pk)
        except Exception:  # noqa: BLE001 - logged and recorded on the job, whose page says it failed
            pass
    else:
        survey_import_job.enqueue(job.pk)
    return job


def _own_job(request: HttpRequest, pk: int) -> Job:
    return own_job(request.user, pk, SURVEY_IMPORT)


def _job_context(job: Job) -> dict:
    report = ImportReport.from_dict(job.result) if job.status == Job.Status.DONE and job.result else None
    return job_context(job, report=report, errors=report.errors[:ERRORS_SHOWN] if report else [],
                       error_count=job.result.get("error_count", 0) if report else 0)


@require_perm(permissions.IMPORT, NO_IMPORT)
@require_GET
def survey_job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "registry/survey/job.html", _job_context(_own_job(request, pk)))


@require_perm(permissions.IMPORT, NO_IMPORT)
@require_GET
def survey_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "registry/survey/_job_progress.html", _job_context(_own_job(request, pk)))


@require_perm(permissions.IMPORT, NO_IMPORT)
@require_GET
def survey_job_bad_rows(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if not job.output_file:
        raise Http404(_("记录不存在"))
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=f"摸底导入错误行_{job.pk}.xlsx", content_type=XLSX)


@require_perm(permissions.EXPORT, gettext_lazy("您没有导出的权限"))
@require_GET
def survey_export_view(request: HttpRequest) -> HttpResponse:
    """The household list's filter (same form, same selector, same scope) as a survey workbook."""
    from bangfu.registry.forms import HouseholdSearchForm

    form = HouseholdSearchForm(request.GET or None, user=request.user)
    flt = HouseholdFilter(**form.filter_values()) if form.is_bound else HouseholdFilter()
    buffer = io.BytesIO()
    survey_export(viewer=request.user, target=buffer, flt=flt, request=request)
    name = f"摸底调查表导出_{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_attachment(buffer.getvalue(), name)
