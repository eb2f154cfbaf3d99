"""Printed documents of cases as PDFs, and the two print views that came with them (issue 17):
the application receipt (申请回执) and a village's public-notice list (公示, one list per village).

Each print view has a "下载 PDF" link; the PDF is the same template drawn by common/pdf.py. The
decision letters keep the number their decision took (notices.notice_issue); the receipt carries
the case's receipt number; the village list takes a number from the township's counter the first
time that list is downloaded (notices.document_issue) and keeps it."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bangfu.common.models import AccessLog, log_access
from bangfu.common.pdf import pdf_response
from bangfu.regions.models import Region

from . import selectors, services
from .models import IssuedDocument, Level
from .notices import document_issue, notice_context, office_at, office_of
from .views import case_role_required


def _log(request, case, what: str) -> None:
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="case", object_id=case.pk,
               region_code=case.region_code, detail=what, request=request)


@case_role_required
@require_GET
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision letter (approval, refusal, not accepted, raise, reduction, stop, gradual exit,
    temporary assistance) as a PDF: the print view's page with its office, number and seal place."""
    case = selectors.case_get(request.user, pk)
    notice = notice_context(case)
    if not notice["kind"]:
        raise Http404
    _log(request, case, f"决定书 PDF {case.pk}")
    return pdf_response(request, "cases/print_decision.html", {"case": case, "notice": notice},
                        filename=f"{notice['title']}-{case.document_number or case.pk}.pdf")


def _receipt_context(case) -> dict:
    _code, office, _short = office_of(case, level=Level.TOWNSHIP)
    return {"case": case, "office": office}


@case_role_required
@require_GET
def receipt_print(request: HttpRequest, pk: int, as_pdf: bool = False) -> HttpResponse:
    """申请回执: what was applied for, when, by whom (ID masked), the receipt number to look the case
    up with, the township that handles it, its seal place. A case entered by staff takes its receipt
    number here the first time (services.receipt_issue); printing again shows the same number."""
    case = selectors.case_get(request.user, pk)
    if not case.receipt_number:
        services.receipt_issue(acting_user=request.user, case_id=case.pk)
        case = selectors.case_get(request.user, pk)
    context = _receipt_context(case)
    if as_pdf:
        _log(request, case, f"申请回执 PDF {case.pk}")
        return pdf_response(request, "cases/print_receipt.html", context, filename=f"申请回执-{case.receipt_number}.pdf")
    return render(request, "cases/print_receipt.html", context)


@case_role_required
@require_GET
def village_notice(request: HttpRequest, code: str, as_pdf: bool = False) -> HttpResponse:
    """The public notice of one village (办法 §19) as one list: every application of the village
    now on notice, masked ID numbers, no income details. The PDF takes the township's number for
    this list (the same village and the same applications download with the same number)."""
    cases = selectors.village_notice_cases(request.user, code)
    village = Region.objects.get(code=code)
    ids = ",".join(str(c.pk) for c in cases)
    key = f"{code}:{hashlib.sha256(ids.encode()).hexdigest()[:32]}"
    context = {"cases": cases, "village": village, "office": office_at(code, level=Level.TOWNSHIP)[1],
               "document": IssuedDocument.objects.filter(kind="village_notice", key=key).first(), "today": timezone.localdate()}
    if not as_pdf:
        return render(request, "cases/print_village_notice.html", context)
    if not cases:
        raise Http404
    context["document"] = document_issue(kind="village_notice", key=key, region_code=code, level=Level.TOWNSHIP,
                                         on=timezone.localdate())
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="village_notice", object_id=code,
               region_code=code, detail=f"公示名单 PDF {len(cases)} 件", request=request)
    return pdf_response(request, "cases/print_village_notice.html", context,
                        filename=f"公示-{village.name}-{context['document'].document_number}.pdf")
