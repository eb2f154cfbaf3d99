"""Helper and pairing pages."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from django.db.models import Prefetch

from bangfu.accounts.permissions import check_perm, has_perm, require_perm
from bangfu.common.http import xlsx_attachment
from bangfu.common.models import AccessLog, log_access
from bangfu.registry.permissions import EXPORT, EXPORT_FULL_ID
from bangfu.accounts.access import NotFound

from .. import permissions
from .. import access, exports, selectors, services
from .. import choices as c
from .. import forms as f
from ..models import Pairing, PairingHelper
from ._common import _quarter


# ------------------------------------------------------------------------------------------- helpers


@require_perm(permissions.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def helper_list(request: HttpRequest) -> HttpResponse:
    form = None
    if has_perm(request.user, permissions.MANAGE_OUTREACH):
        form = f.HelperForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            user_id = None
            if data["username"]:
                try:
                    user_id = selectors.helper_account(request.user, data["username"]).pk
                except NotFound:
                    form.add_error("username", _("请选择本辖区的登录账号"))
            if not form.errors:
                try:
                    helper = services.helper_create(acting_user=request.user, kind=data["kind"], name=data["name"], unit=data["unit"],
                                                    phone=data["phone"], region_id=data["region"].pk, user_id=user_id)
                except services.OutreachError as exc:
                    f.apply_errors(form, {("username" if k == "user" else k): v for k, v in exc.errors.items()})
                else:
                    messages.success(request, _("已登记帮扶责任人 %(name)s") % {"name": helper.name})
                    return redirect("outreach:helper_list")
    elif request.method == "POST":
        raise PermissionDenied(_("您没有执行此操作的权限"))
    helpers = access.helper_queryset(request.user).select_related("region").order_by("region_code", "name")[:500]
    return render(request, "outreach/helper_list.html", {"helpers": helpers, "form": form, "may_export": has_perm(request.user, EXPORT)})


# ------------------------------------------------------------------------------------------ pairings


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def pairing_list(request: HttpRequest) -> HttpResponse:
    quarter = _quarter(request)
    qs = selectors.pairings_with_counts(request.user, quarter).select_related("village", "household__head", "person").order_by("region_code", "pk")
    rows = list(qs[:200])
    return render(request, "outreach/pairing_list.html", {"rows": rows, "quarter": quarter, "truncated": len(rows) == 200,
                                                          "may_export": has_perm(request.user, EXPORT)})


@require_perm(permissions.MANAGE_OUTREACH)
@require_http_methods(["GET", "POST"])
def pairing_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("household", "").isdigit():
        initial = {"target_kind": c.TargetKind.HOUSEHOLD, "household_id": int(request.GET["household"])}
    form = f.PairingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.pairing_create(
                acting_user=request.user, target_kind=data["target_kind"], household_id=data["household_id"], person_id=data["person_id"],
                village_id=data["village"].pk if data["village"] else None, helper_ids=[h.pk for h in data["helpers"]],
                start_date=data["start_date"], end_date=data["end_date"], measures=data["measures"], measures_note=data["measures_note"])
        except services.OutreachError as exc:
            f.apply_errors(form, {{"household": "household_id", "person": "person_id"}.get(k, k): v for k, v in exc.errors.items()})
        else:
            messages.success(request, _("已建立结对关系"))
            return redirect(pairing)
    return render(request, "outreach/form.html", {"form": form, "title": _("新建结对"), "multipart": False})


@require_perm(permissions.VIEW_OUTREACH)
@require_http_methods(["GET", "POST"])
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = access.get(request.user, Pairing.objects.select_related("village", "household__head", "person"), pk,
                         helper_path="links__helper__user")
    end_form = None
    if has_perm(request.user, permissions.MANAGE_OUTREACH) and not pairing.end_date:
        end_form = f.PairingEndForm(request.POST or None)
        if request.method == "POST" and end_form.is_valid():
            try:
                services.pairing_end(acting_user=request.user, pairing_id=pairing.pk, end_date=end_form.cleaned_data["end_date"],
                                     reason=end_form.cleaned_data["reason"])
            except services.OutreachError as exc:
                f.apply_errors(end_form, exc.errors)
            else:
                messages.success(request, _("结对关系已终止"))
                return redirect(pairing)
    elif request.method == "POST":
        raise PermissionDenied(_("您没有执行此操作的权限"))
    quarter = selectors.Quarter.of(timezone.localdate())
    counted = selectors.pairings_with_counts(request.user, quarter).filter(pk=pairing.pk).first()
    context = {
        "pairing": pairing, "links": pairing.links.select_related("helper").order_by("-lead", "pk"),
        "visits": pairing.visits.prefetch_related("visitors", "attachments").order_by("-date", "-pk"),
        "end_form": end_form, "quarter": quarter, "counted": counted,
    }
    return render(request, "outreach/pairing_detail.html", context)


# ------------------------------------------------------------------------------------------ exports


def _export(request, *, object_type: str, title: str, filename: str, write) -> HttpResponse:
    """An export of a list page: the export permission (as the registry's), the rows the page would
    show (scoped), ID numbers and phones masked unless the user may export full numbers, and the
    download logged as every export is."""
    check_perm(request.user, EXPORT, _("您没有导出名单的权限"))
    full = has_perm(request.user, EXPORT_FULL_ID)
    buffer = io.BytesIO()
    n = write(buffer, full)
    if n is None:
        messages.error(request, _("超过 %(n)s 条，请先缩小范围后再导出") % {"n": exports.EXPORT_MAX_ROWS})
        return redirect(request.path.rsplit(".", 1)[0].rsplit("/", 1)[0] + "/")
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type=object_type,
               region_code=request.user.region.code if request.user.region else "",
               detail=f"{title} {n} 条（{'完整' if full else '脱敏'}号码）", request=request)
    return xlsx_attachment(buffer.getvalue(), f"{filename}_{timezone.localdate():%Y%m%d}.xlsx")


def _capped(qs) -> list | None:
    rows = list(qs[: exports.EXPORT_MAX_ROWS + 1])
    return None if len(rows) > exports.EXPORT_MAX_ROWS else rows


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def pairing_export(request: HttpRequest) -> HttpResponse:
    """The pairings in force in the page's quarter, with their visit counts and helpers."""
    quarter = _quarter(request)
    qs = (selectors.pairings_with_counts(request.user, quarter).select_related("village", "household__head", "person")
          .prefetch_related(Prefetch("links", queryset=PairingHelper.objects.select_related("helper").order_by("-lead", "pk")))
          .order_by("region_code", "pk"))

    def write(buffer, full):
        rows = _capped(qs)
        return None if rows is None else exports.write_pairings(buffer, rows, full_id=full)

    return _export(request, object_type="outreach.pairing", title=_("结对关系"), filename=_("结对关系"), write=write)


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def visit_export(request: HttpRequest) -> HttpResponse:
    """The visits of the page's quarter, newest first."""
    quarter = _quarter(request)
    qs = (access.visit_queryset(request.user).filter(date__gte=quarter.start, date__lte=quarter.end)
          .select_related("pairing__village", "pairing__household__head", "pairing__person").prefetch_related("visitors")
          .order_by("-date", "-pk"))

    def write(buffer, full):
        rows = _capped(qs)
        return None if rows is None else exports.write_visits(buffer, rows, full_id=full)

    return _export(request, object_type="outreach.visit", title=_("走访记录"), filename=_("走访记录"), write=write)


@require_perm(permissions.VIEW_OUTREACH)
@require_GET
def helper_export(request: HttpRequest) -> HttpResponse:
    """The helpers of the list page (the viewer's subtree and the offices above)."""
    qs = access.helper_queryset(request.user).select_related("region").order_by("region_code", "name", "pk")

    def write(buffer, full):
        rows = _capped(qs)
        return None if rows is None else exports.write_helpers(buffer, rows, full_phone=full)

    return _export(request, object_type="outreach.helper", title=_("帮扶责任人"), filename=_("帮扶责任人"), write=write)
