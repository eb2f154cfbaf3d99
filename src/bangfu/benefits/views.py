"""Benefits pages (issue 4): the due-review worklist, the publication of recipients (办法 §24) and
the monthly register. Thin: reads through selectors (scoped: a record outside the user's region is
never listed), every export is masked and logged (log_access)."""

from __future__ import annotations

import io
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bangfu.common.http import xlsx_attachment
from bangfu.accounts.permissions import require_perm
from bangfu.common.models import AccessLog, log_access
from bangfu.regions.codes import COUNTY as COUNTY_LEVEL
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import bound_region

from . import choices as c
from . import permissions
from . import exports, selectors
from .forms import AreaMonthForm, DueFilterForm, ReviewExtensionForm
from .masking import mask_name

DUE_PAGE_ROWS = 100  # the oldest first; a larger office narrows by the office filter or exports
PUBLICATION_PAGE_ROWS = 100


NO_BENEFITS = gettext_lazy("您的账号不能查看待遇数据")


def _require_region(request: HttpRequest) -> None:
    """Benefits are read by region: an account bound to none is refused (the role is checked by
    require_perm(VIEW_BENEFITS) on each view)."""
    if bound_region(request.user) is None:
        raise PermissionDenied(_("您的账号未绑定辖区，不能查看待遇数据"))


def _open_reviews_url() -> str:
    try:
        return reverse("cases:open_reviews")
    except NoReverseMatch:
        return "/cases/reviews/open/"


def _due(request: HttpRequest):
    form = DueFilterForm(request.GET or None, user=request.user)
    office, within_days = form.values()
    as_of = timezone.localdate()
    qs = selectors.reviews_due(request.user, as_of=as_of, within_days=within_days)
    qs = selectors.within(qs, selectors.area_region(request.user, office))
    return form, as_of, within_days, qs


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """到期复核工作清单 (R16, 办法 §31): due and overdue reviews in the user's region, per office
    (township), oldest first; checked rows are posted to the case workflow to open review cases."""
    _require_region(request)
    form, as_of, within_days, qs = _due(request)
    rows = list(qs[: DUE_PAGE_ROWS + 1])
    more = len(rows) > DUE_PAGE_ROWS
    rows = rows[:DUE_PAGE_ROWS]
    names = selectors.region_names({RegionCode(b.region_code).township.code for b in rows})
    extended = selectors.extensions_in_force(rows)
    for b in rows:
        b.holder = exports.holder_name(b)
        b.extension = extended.get(b.pk)
        b.overdue_days = (as_of - b.next_review_date).days if b.next_review_date < as_of else 0
    rows.sort(key=lambda b: (RegionCode(b.region_code).township, b.next_review_date, b.pk))
    groups = [{"code": town.prefix, "name": names.get(town.code, town.prefix), "rows": list(items)}
              for town, items in groupby(rows, key=lambda b: RegionCode(b.region_code).township)]
    context = {"form": form, "groups": groups, "as_of": as_of, "within_days": within_days, "more": more,
               "count": len(rows), "open_reviews_url": _open_reviews_url(),
               "household_base": reverse("registry:household_detail", args=[0])[:-2], "query": request.GET.urlencode()}
    return render(request, "benefits/index.html", context)


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def due_export(request: HttpRequest) -> HttpResponse:
    _require_region(request)
    form, as_of, within_days, qs = _due(request)
    rows = list(qs)
    names = selectors.region_names({RegionCode(b.region_code).township.code for b in rows})
    extended = selectors.extensions_in_force(rows)
    buffer = io.BytesIO()
    n = exports.write_due_list(buffer, rows, as_of=as_of, names=names, extended=extended)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="benefit_due",
               region_code=request.user.region.code, detail=f"到期复核清单导出 {n} 条（{within_days}天内）", request=request)
    return xlsx_attachment(buffer.getvalue(), _("到期复核清单_%(date)s.xlsx") % {"date": f"{as_of:%Y%m%d}"})


def _publication(request: HttpRequest):
    form = AreaMonthForm(request.GET or None, user=request.user)
    area, month, programme = form.values()
    return form, area, month, programme, selectors.recipients(request.user, month=month, area=area, programme=programme)


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def publication(request: HttpRequest) -> HttpResponse:
    """保障对象公布 (办法 §24): current recipients, name masked, persons covered, monthly amount."""
    _require_region(request)
    form, area, month, programme, qs = _publication(request)
    after = request.GET.get("after", "")
    if after:
        code, _sep, pk = after.partition("-")
        if code.isdigit() and pk.isdigit():
            from django.db.models import Q

            qs = qs.filter(Q(region_code__gt=code) | Q(region_code=code, id__gt=int(pk)))
    rows = list(qs[: PUBLICATION_PAGE_ROWS + 1])
    next_after = f"{rows[PUBLICATION_PAGE_ROWS - 1].region_code}-{rows[PUBLICATION_PAGE_ROWS - 1].pk}" if len(rows) > PUBLICATION_PAGE_ROWS else ""
    rows = rows[:PUBLICATION_PAGE_ROWS]
    for b in rows:
        b.masked_name = mask_name(exports.holder_name(b))
    params = request.GET.copy()
    params.pop("after", None)
    context = {"form": form, "rows": rows, "month": month, "next_after": next_after, "query": params.urlencode()}
    return render(request, "benefits/publication.html", context)


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def publication_export(request: HttpRequest) -> HttpResponse:
    _require_region(request)
    form, area, month, programme, qs = _publication(request)
    buffer = io.BytesIO()
    n = exports.write_publication(buffer, qs.iterator(chunk_size=exports.CHUNK), month=month)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="benefit_publication",
               region_code=area or request.user.region.code, detail=f"保障对象公示导出 {month:%Y-%m} {n} 条", request=request)
    return xlsx_attachment(buffer.getvalue(), _("保障对象公示_%(month)s.xlsx") % {"month": f"{month:%Y%m}"})


def _register(request: HttpRequest):
    form = AreaMonthForm(request.GET or None, user=request.user)
    area, month, _programme = form.values()
    rows = selectors.register(request.user, month=month, area=area)
    names = selectors.region_names({r["township"] for r in rows})
    return form, area, month, rows, names


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """待遇发放台账: per township and programme, how many are paid in the month and the total."""
    _require_region(request)
    form, area, month, rows, names = _register(request)
    for r in rows:
        r["name"] = names.get(r["township"], r["township"])
        r["programme_label"] = c.Programme(r["programme"]).label
    totals = {}
    for r in rows:
        t = totals.setdefault(r["programme"], {"programme_label": r["programme_label"], "count": 0, "total_fen": 0})
        t["count"] += r["count"]
        t["total_fen"] += r["total_fen"]
    context = {"form": form, "rows": rows, "month": month, "totals": list(totals.values()),
               "grand_total_fen": sum(r["total_fen"] for r in rows), "query": request.GET.urlencode()}
    return render(request, "benefits/register.html", context)


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def register_export(request: HttpRequest) -> HttpResponse:
    _require_region(request)
    form, area, month, rows, names = _register(request)
    buffer = io.BytesIO()
    exports.write_register(buffer, rows, month=month, names=names)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="benefit_register",
               region_code=area or request.user.region.code, detail=f"待遇发放台账导出 {month:%Y-%m}", request=request)
    return xlsx_attachment(buffer.getvalue(), _("待遇发放台账_%(month)s.xlsx") % {"month": f"{month:%Y%m}"})


def _extensions_page(request: HttpRequest, form: ReviewExtensionForm | None, status: int = 200) -> HttpResponse:
    from bangfu.accounts.permissions import has_perm

    may_extend = has_perm(request.user, permissions.EXTEND_REVIEWS)
    rows = list(selectors.review_extensions(request.user)[:200])
    names = selectors.region_names({e.region_code for e in rows})
    for e in rows:
        e.county_name = names.get(e.region_code, e.region_code)
    county = bound_region(request.user)
    context = {"rows": rows, "may_extend": may_extend, "form": form if form is not None else (ReviewExtensionForm() if may_extend else None),
               "county_name": selectors.region_names([county.code]).get(county.code, "") if county else ""}
    return render(request, "benefits/extensions.html", context, status=status)


@require_perm(permissions.VIEW_BENEFITS, NO_BENEFITS)
@require_GET
def extensions(request: HttpRequest) -> HttpResponse:
    """核查期限延长 (seed 篇三（四））: the county documents extending due reviews in a major
    emergency that concern the user's region; county officers record a new one here."""
    _require_region(request)
    return _extensions_page(request, None)


@require_perm(permissions.EXTEND_REVIEWS, gettext_lazy("只有县级民政部门可以延长核查期限"))
@require_POST
def extension_create(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect

    from .services import BenefitError, review_extension_create

    _require_region(request)
    form = ReviewExtensionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        county = bound_region(request.user).ancestor_or_self(COUNTY_LEVEL)
        try:
            ext = review_extension_create(acting_user=request.user, county=county, document_name=d["document_name"],
                                          document_number=d["document_number"], document_date=d["document_date"], event=d["event"],
                                          months=d["months"], due_from=d["due_from"], due_to=d["due_to"])
        except BenefitError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已按《%(document)s》将 %(n)s 项核查的期限延长 %(months)s 个月")
                             % {"document": ext.document_name, "n": ext.benefits_extended, "months": ext.months})
            return redirect("benefits:extensions")
    return _extensions_page(request, form, status=400)
