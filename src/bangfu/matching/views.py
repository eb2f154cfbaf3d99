"""Pages of the matching app (issue 5). Thin: reads through selectors (scoped), writes through
services; a record outside the viewer's region answers 404 like a missing one."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.common.http import xlsx_attachment
from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.common.jobs import job_context, own_job
from bangfu.common.models import Job

from . import permissions
from . import export, selectors, services
from .choices import FindingKind, FindingStatus
from .forms import DismissForm, FindingFilterForm, MappingForm, RowFilterForm, UploadForm, WithdrawForm
from .kinds import KINDS
from .models import kind_by_code
from .linkage import evidence_of
from .reader import ListFileError, auto_mapping, find_header, parse, read_table
from .tasks import MATCHING_IMPORT, list_import_job, run_list_import_job

SYNC_MAX_BYTES = 512 * 1024  # smaller files are imported within the request, through the same job code
PAGE = 100


@require_perm(permissions.MATCH_VIEW)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    counts = dict(selectors.findings(request.user, status=FindingStatus.OPEN).order_by().values_list("kind").annotate(n=Count("id")))
    summary = [(kind, label, counts.get(kind, 0)) for kind, label in FindingKind.choices]
    context = {
        "summary": summary,
        "batches": selectors.batches(request.user).select_related("loaded_by")[:20],
        "review_count": selectors.review_queue(request.user).count(),
        "kinds": KINDS.values(),
        "may_import": has_perm(request.user, permissions.MATCH_IMPORT),
    }
    return render(request, "matching/index.html", context)


@login_required
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        kind_obj = kind_by_code(kind)
    except KeyError:
        raise Http404(_("记录不存在")) from None
    buffer = io.BytesIO()
    export.write_template(buffer, kind_obj)
    return xlsx_attachment(buffer.getvalue(), _("%(kind)s模板.xlsx") % {"kind": kind_obj.label})


@require_perm(permissions.MATCH_IMPORT)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Step 1: kind, source, date and the file; the file is read once here so that a wrong file
    is refused on this page."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            table = read_table(upload_file, filename=upload_file.name)
            kind = kind_by_code(form.cleaned_data["kind"])
            _index, headers = find_header(table, kind)
        except ListFileError as exc:
            form.add_error("file", str(exc))
        else:
            upload_file.seek(0)
            job = Job.objects.create(kind=MATCHING_IMPORT, user=request.user, input_file=upload_file, message=_("待确认列对应"), params={
                "kind": kind.code, "source": form.cleaned_data["source"], "source_date": form.cleaned_data["source_date"].isoformat(),
                "complete": form.cleaned_data["complete"], "filename": upload_file.name, "headers": headers, "size": upload_file.size})
            return redirect("matching:mapping", pk=job.pk)
    return render(request, "matching/upload.html", {"form": form})


@require_perm(permissions.MATCH_IMPORT)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: confirm which column is which (recognised headers and the mapping saved last time
    are preselected); the confirmed mapping is saved for the next file with these headers."""
    job = own_job(request.user, pk, MATCHING_IMPORT)
    if job.status != Job.Status.QUEUED or job.params.get("mapping"):
        return redirect("matching:job", pk=job.pk)
    params = job.params
    kind = kind_by_code(params["kind"])
    headers = params["headers"]
    initial = services.saved_mapping(kind.code, headers) or auto_mapping(headers, kind)
    form = MappingForm(request.POST or None, kind_code=kind.code, headers=headers, initial_mapping=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.mapping()
        try:
            with job.input_file.open("rb") as fh:
                parse(read_table(io.BytesIO(fh.read()), filename=params["filename"]), kind, mapping=chosen)
        except ListFileError as exc:
            form.add_error(None, str(exc))
        else:
            services.mapping_save(acting_user=request.user, kind=kind.code, headers=headers, mapping=chosen)
            job.params = {**params, "mapping": chosen, "language": get_language()}
            job.message = _("排队等待比对")
            job.save(update_fields=["params", "message"])
            if (params.get("size") or 0) <= SYNC_MAX_BYTES:
                try:
                    run_list_import_job(job.pk)
                except Exception:  # noqa: BLE001 - recorded on the job, whose page says it failed
                    pass
            else:
                list_import_job.enqueue(job.pk)
            return redirect("matching:job", pk=job.pk)
    return render(request, "matching/mapping.html", {"form": form, "job": job, "kind": kind})


def _job_context(request, pk):
    job = own_job(request.user, pk, MATCHING_IMPORT)
    return job_context(job, batch_id=(job.result or {}).get("batch_id"))


@require_perm(permissions.MATCH_IMPORT)
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "matching/job.html", _job_context(request, pk))


@require_perm(permissions.MATCH_IMPORT)
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "matching/_job_progress.html", _job_context(request, pk))


@require_perm(permissions.MATCH_VIEW)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(request.user, pk)
    form = RowFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    after = int(request.GET.get("after", 0) or 0)
    rows = list(selectors.batch_rows(request.user, batch, status=status).filter(row_no__gt=after)[:PAGE])
    for row in rows:
        row.visible = selectors.visible_person(request.user, row.person)
    context = {"batch": batch, "rows": rows, "form": form, "next_after": rows[-1].row_no if len(rows) == PAGE else None,
               "withdraw_form": WithdrawForm(), "may_withdraw": has_perm(request.user, permissions.MATCH_IMPORT),
               "may_export": has_perm(request.user, permissions.MATCH_EXPORT), "findings": batch.findings.count()}
    return render(request, "matching/batch_detail.html", context)


@require_perm(permissions.MATCH_EXPORT)
@require_GET
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's list back with the outcome of each row (比对结果回传, issue 12)."""
    buffer = io.BytesIO()
    export.list_rows_export(viewer=request.user, batch_id=pk, target=buffer, suffix=".xlsx", request=request)
    return xlsx_attachment(buffer.getvalue(), _("比对结果_批次%(batch)s.xlsx") % {"batch": pk})


@require_perm(permissions.MATCH_IMPORT)
@require_POST
def batch_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回原因"))
        return redirect("matching:batch_detail", pk=pk)
    try:
        services.batch_withdraw(acting_user=request.user, batch_id=pk, reason=form.cleaned_data["reason"])
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤回该批次及其产生的全部比对结果"))
    return redirect("matching:batch_detail", pk=pk)


@require_perm(permissions.MATCH_VIEW)
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.review_queue(request.user)[:PAGE])
    for row in rows:
        row.ev = evidence_of(row.evidence) if isinstance(row.evidence, str) else (row.evidence or {})
    return render(request, "matching/review.html", {"rows": rows, "may_decide": has_perm(request.user, permissions.MATCH_REVIEW)})


@require_perm(permissions.MATCH_REVIEW)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"
    try:
        row = services.link_decide(acting_user=request.user, row_id=pk, accept=accept)
    except services.MatchingError as exc:
        if request.htmx:
            return HttpResponse(f'<tr><td colspan="6" class="error">{exc}</td></tr>')
        messages.error(request, str(exc))
        return redirect("matching:review")
    if request.htmx:
        return render(request, "matching/_decided_row.html", {"row": row})
    return redirect("matching:review")


def _filtered_findings(request):
    form = FindingFilterForm(request.GET or None)
    kind = status = ""
    if form.is_valid():
        kind, status = form.cleaned_data["kind"], form.cleaned_data["status"]
    batch_id = request.GET.get("batch")
    qs = selectors.findings(request.user, kind=kind, status=status, batch_id=int(batch_id) if (batch_id or "").isdigit() else None)
    return form, qs


@require_perm(permissions.MATCH_VIEW)
@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered_findings(request)
    before = request.GET.get("before")
    if (before or "").isdigit():
        qs = qs.filter(id__lt=int(before))
    items = list(qs[:PAGE])
    context = {"form": form, "findings": items, "next_before": items[-1].pk if len(items) == PAGE else None,
               "may_decide": has_perm(request.user, permissions.MATCH_REVIEW),
               "may_export": has_perm(request.user, permissions.MATCH_EXPORT),
               "query": request.GET.urlencode(), "dismiss_form": DismissForm()}
    return render(request, "matching/finding_list.html", context)


@require_perm(permissions.MATCH_EXPORT)
@require_GET
def finding_export(request: HttpRequest) -> HttpResponse:
    _form, qs = _filtered_findings(request)
    buffer = io.BytesIO()
    export.write_findings(buffer, qs, viewer=request.user, request=request)
    return xlsx_attachment(buffer.getvalue(), _("比对发现_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"})


@require_perm(permissions.MATCH_VIEW)
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(request.user, pk)
    judgement = services.finding_judge(finding=finding) if finding.kind == FindingKind.NOT_COVERED else None
    context = {"finding": finding, "judgement": judgement, "dismiss_form": DismissForm(),
               "may_decide": has_perm(request.user, permissions.MATCH_REVIEW),
               "row_evidence": evidence_of(finding.row.evidence) if finding.row and isinstance(finding.row.evidence, str) else (finding.row.evidence if finding.row else None)}
    return render(request, "matching/finding_detail.html", context)


@require_perm(permissions.MATCH_REVIEW)
@require_POST
def finding_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.finding_set_status(acting_user=request.user, finding_id=pk, status=request.POST.get("status", ""),
                                    reason=request.POST.get("reason", ""))
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    back = request.POST.get("next", "")
    return redirect(back) if back.startswith("/matching/") else redirect("matching:finding_detail", pk=pk)


@require_perm(permissions.MATCH_REVIEW)
@require_POST
def finding_case(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: mark the finding and go to the case form, prefilled (cases:case_create)."""
    try:
        url = services.finding_open_case(acting_user=request.user, finding_id=pk)
    except services.MatchingError as exc:
        messages.error(request, str(exc))
        return redirect("matching:finding_detail", pk=pk)
    return redirect(url)
