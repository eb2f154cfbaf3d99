"""Monthly statistics pages (issue 16): the table of a month for a region, its rows the regions one
level below (each a link one level further down), each figure a link to the list behind it, and
their Excel exports. Thin: the figures come from monthly.py, the region from selectors.report_area
(scoped); every export is logged (log_access)."""

from __future__ import annotations

import datetime as dt
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bangfu.accounts.permissions import require_perm
from bangfu.common.http import xlsx_attachment
from bangfu.common.models import AccessLog, log_access
from bangfu.common.months import month_of, parse_month, previous_month
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region
from bangfu.regions.scoping import bound_region

from . import exports, monthly, permissions, selectors

PAGE_ROWS = 200
NO_REPORTS = gettext_lazy("您的账号不能查看统计报表")
SELECT_RELATED = {
    "benefits": ("household__head", "person"),
    "persons": (),
    "memberships": ("person",),
    "lines": ("person",),
    "one_offs": ("household__head",),
    "cases": (),
}
ORDER = {"benefits": ("region_code", "id"), "persons": ("region_code", "id"), "memberships": ("region_code", "id"),
         "lines": ("region_code", "id"), "one_offs": ("region_code", "id"), "cases": ("region_code", "id")}


def _month(request) -> dt.date:
    """The month asked for; by default last month (the month a report is filed for)."""
    return parse_month(request.GET.get("month")) or previous_month(month_of(timezone.localdate()))


def _trail(viewer, area: RegionCode) -> list[tuple[str, str]]:
    """The regions from the viewer's own down to `area`, for the drill-up links."""
    own = bound_region(viewer)
    codes = [a.code for a in area.ancestors if own is not None and own.contains(a.code)] + [area.code]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [(c, names.get(c, c)) for c in codes]


def _table(report: monthly.Report, figures) -> dict:
    groups = exports._groups(figures)
    rows = [{"row": r, "cells": [(f, r.value(f.key)) for f in figures]} for r in report.rows]
    total = {"row": report.total, "cells": [(f, report.total.value(f.key)) for f in figures]}
    return {"groups": groups, "figures": figures, "rows": rows, "total": total}


@require_perm(permissions.VIEW_REPORTS, NO_REPORTS)
@require_GET
def monthly_page(request: HttpRequest) -> HttpResponse:
    area = selectors.report_area(request.user, request.GET.get("region"))
    month = _month(request)
    report = monthly.monthly_report(area, month)
    types = [{"type": t, "label": label, "cells": [(f, monthly.Row(area.code, label, cases={t: v}).value(f.key))
                                                    for f in report.case_figures]} for t, label, v in report.case_types]
    main_figures = report.figures
    context = {
        "report": report, "month": month, "area": area, "trail": _trail(request.user, area),
        "dibao": _table(report, [f for f in main_figures if f.key.startswith("dibao_")]),
        "others": _table(report, [f for f in main_figures if not f.key.startswith("dibao_")]),
        "cases": _table(report, report.case_figures), "case_types": types,
        "missing": sorted({c for r in report.rows for c in r.missing_counties}),
        "drill": area.level < 5,
    }
    return render(request, "reports/monthly.html", context)


@require_perm(permissions.VIEW_REPORTS, NO_REPORTS)
@require_GET
def monthly_export(request: HttpRequest) -> HttpResponse:
    area = selectors.report_area(request.user, request.GET.get("region"))
    month = _month(request)
    report = monthly.monthly_report(area, month)
    buffer = io.BytesIO()
    exports.write_report(buffer, report)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="monthly_report", object_id=area.code,
               region_code=area.code, detail=f"统计月报 {area.code} {month:%Y-%m}", request=request)
    return xlsx_attachment(buffer.getvalue(), _("统计月报_%(region)s_%(month)s.xlsx") % {"region": area.code, "month": f"{month:%Y%m}"})


def _listing(request):
    area = selectors.report_area(request.user, request.GET.get("region"))
    month = _month(request)
    key = request.GET.get("figure", "")
    case_type = request.GET.get("case_type", "")
    listing = monthly.figure_list(area, month, key, case_type)
    if listing is None:
        raise Http404(_("没有这项统计指标"))
    figure = next((f for f in monthly.figures() + monthly.case_figures() if f.key == key), None)
    qs = listing.queryset.select_related(*SELECT_RELATED[listing.kind]).order_by(*ORDER[listing.kind])
    return area, month, key, case_type, figure, listing.kind, qs


def _title(area_name: str, month: dt.date, figure, case_type: str) -> str:
    from bangfu.cases.choices import CaseType

    what = f"{figure.group}·{figure.label}" if figure else ""
    if case_type:
        what += f"·{CaseType(case_type).label}"
    return _("%(region)s %(month)s %(figure)s 明细") % {"region": area_name, "month": f"{month:%Y-%m}", "figure": what}


@require_perm(permissions.VIEW_REPORTS, NO_REPORTS)
@require_GET
def figure_list(request: HttpRequest) -> HttpResponse:
    area, month, key, case_type, figure, kind, qs = _listing(request)
    total = qs.count()
    objects = list(qs[:PAGE_ROWS])
    names = dict(Region.objects.filter(code__in={o.region_code for o in objects} | {area.code}).values_list("code", "name"))
    context = {
        "area": area, "month": month, "figure": figure, "case_type": case_type, "total": total, "more": total > PAGE_ROWS,
        "headers": exports.LIST_HEADERS[kind](), "rows": [exports.list_row(kind, o, names) for o in objects],
        "title": _title(names.get(area.code, area.code), month, figure, case_type), "query": request.GET.urlencode(),
        "trail": _trail(request.user, area),
    }
    return render(request, "reports/figure_list.html", context)


@require_perm(permissions.VIEW_REPORTS, NO_REPORTS)
@require_GET
def figure_list_export(request: HttpRequest) -> HttpResponse:
    area, month, key, case_type, figure, kind, qs = _listing(request)
    codes = set(qs.values_list("region_code", flat=True).order_by().distinct()) | {area.code}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    title = _title(names.get(area.code, area.code), month, figure, case_type)
    buffer = io.BytesIO()
    n = exports.write_list(buffer, kind, qs.iterator(chunk_size=2000), title=title, names=names)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="monthly_report_list", object_id=key,
               region_code=area.code, detail=f"统计月报明细 {area.code} {month:%Y-%m} {key} {case_type} {n}", request=request)
    return xlsx_attachment(buffer.getvalue(), _("统计明细_%(month)s.xlsx") % {"month": f"{month:%Y%m}"})
