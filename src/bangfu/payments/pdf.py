"""The month's payroll sheet (发放花名册) of a county as a PDF (issue 17): every line the reader
may see (a township its own), grouped by township and village, names and amounts unwrapped, the
total, who built and who approved it, and the county bureau's name, document number and seal place.

The number comes from the county's counter (cases.notices.document_issue) on the first download
of the payroll and is kept: the same payroll downloads again with the same number and date. Kept
out of views.py so that the payroll pages and their Excel export change independently."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bangfu.accounts.permissions import require_perm
from bangfu.benefits.choices import Programme
from bangfu.cases.models import Level
from bangfu.cases.notices import document_issue
from bangfu.common.models import AccessLog, log_access
from bangfu.common.pdf import pdf_response
from bangfu.regions.models import Region

from . import choices as c
from . import permissions, selectors

NO_PAYMENTS = gettext_lazy("您的账号不能查看资金发放数据")  # the payroll pages' own refusal


# WeasyPrint lays a long table out slowly (1,000 lines took 250 s on this 2-core machine under a
# load average of about 23, issue 17): a county's payroll above this size is taken one township
# at a time.
MAX_LINES = 2000


def sheet_lines(viewer, payroll, *, township: str = ""):
    """The lines of the sheet, in township and village order; one township's when `township`."""
    qs = selectors.lines(viewer, payroll).order_by("region_code", "id")
    return qs.filter(township=township) if township else qs


def sheet_context(viewer, payroll, *, township: str = "") -> dict:
    """What the sheet shows: the lines in township and village order with their names, the count
    and the sum of what is shown (a township's sheet sums its own lines)."""
    lines = list(sheet_lines(viewer, payroll, township=township))
    names = dict(Region.objects.filter(code__in={payroll.region_code, *(line.region_code for line in lines),
                                                 *(line.township for line in lines)}).values_list("code", "name"))
    for line in lines:
        line.township_name = names.get(line.township, "")
        line.village_name = names.get(line.region_code, "")
        line.programme_name = Programme(line.programme).label if line.programme in Programme.values else line.programme
        line.kind_name = c.LineKind(line.kind).label
        line.status_name = c.LineStatus(line.status).label
        line.account_tail = f"****{line.account_number[-4:]}" if line.account_number else ""
    return {"payroll": payroll, "lines": lines, "count": len(lines), "total_fen": sum(line.amount_fen for line in lines),
            "county_name": names.get(payroll.region_code, payroll.region_code)}


@require_perm(permissions.VIEW_PAYMENTS, NO_PAYMENTS)
@require_GET
def payroll_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    payroll = selectors.payroll_for(request.user, pk)
    township = request.GET.get("township", "")
    count = sheet_lines(request.user, payroll, township=township).count()
    if township and not count:
        raise Http404
    if count > MAX_LINES:
        return HttpResponse(_("本花名册共 %(n)s 笔，超过一份 PDF 的 %(max)s 笔上限，请在花名册页面按乡镇（街道）下载 PDF。") % {
            "n": count, "max": MAX_LINES}, status=413, content_type="text/plain; charset=utf-8")
    context = sheet_context(request.user, payroll, township=township)
    context["document"] = document_issue(kind="payroll", key=str(payroll.pk), region_code=payroll.region_code,
                                         level=Level.COUNTY, on=timezone.localdate())
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="payroll", object_id=payroll.pk,
               region_code=payroll.region_code, detail=f"发放花名册 PDF {context['count']} 笔", request=request)
    return pdf_response(request, "payments/print_payroll.html", context,
                        stylesheets=("cases/print.css", "payments/print_payroll.css"),
                        filename=f"发放花名册-{context['county_name']}-{payroll.month:%Y-%m}{'-' + township if township else ''}.pdf")
