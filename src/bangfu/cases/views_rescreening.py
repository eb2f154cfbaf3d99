"""The re-screening list page and its export (R1b; seed 篇一、篇五 一、2). Thin: the selector is
cases.rescreening; the list is scoped to the user's region, ID numbers masked, exports logged."""

from __future__ import annotations

import io

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bangfu.accounts.permissions import require_perm
from bangfu.common.http import xlsx_attachment
from bangfu.common.models import AccessLog, log_access
from bangfu.regions.choices import Level
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region

from . import permissions, rescreening

PAGE_ROWS = 200


class RescreeningFilterForm(forms.Form):
    village = forms.ChoiceField(label=gettext_lazy("村（社区）"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = Region.objects.visible_to(user).filter(level=Level.VILLAGE).order_by("code")[:2000]
        self.fields["village"].choices = [("", _("本辖区全部"))] + [(r.code, r.name) for r in villages]
        self.fields["kind"].choices = [("", _("全部"))] + [(k, str(v)) for k, v in rescreening.KINDS.items()]

    def values(self) -> tuple[RegionCode | None, str]:
        if not self.is_bound or not self.is_valid():
            return None, ""
        code = self.cleaned_data.get("village") or ""
        return (RegionCode.parse(code) if code else None), self.cleaned_data.get("kind") or ""


def _list(request: HttpRequest):
    from django.core.exceptions import PermissionDenied

    from bangfu.regions.scoping import bound_region

    if bound_region(request.user) is None:
        raise PermissionDenied(_("您的账号未绑定辖区"))
    form = RescreeningFilterForm(request.GET or None, user=request.user)
    village, kind = form.values()
    on = timezone.localdate()
    rows = rescreening.rescreening_list(request.user, on=on, village=village, kind=kind)
    return form, on, rows


@require_perm(permissions.VIEW_CASES, gettext_lazy("您没有查看救助案件的权限"))
@require_GET
def rescreening_page(request: HttpRequest) -> HttpResponse:
    """重新筛查名单: recently refused applicants, households recently out of dibao and
    temporary-assistance recipients, per village, for screening for new hardship (R1b)."""
    form, on, rows = _list(request)
    recent, temporary = rescreening.months(request.user, on)
    context = {"form": form, "rows": rows[:PAGE_ROWS], "more": len(rows) > PAGE_ROWS, "count": len(rows), "on": on,
               "recent": recent, "temporary": temporary, "query": request.GET.urlencode()}
    return render(request, "cases/rescreening.html", context)


@require_perm(permissions.VIEW_CASES, gettext_lazy("您没有查看救助案件的权限"))
@require_GET
def rescreening_export(request: HttpRequest) -> HttpResponse:
    form, on, rows = _list(request)
    recent, temporary = rescreening.months(request.user, on)
    buffer = io.BytesIO()
    n = rescreening.write_xlsx(buffer, rows, on=on, recent=recent, temporary=temporary)
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="rescreening",
               region_code=request.user.region.code, detail=f"重新筛查名单导出 {n} 条", request=request)
    return xlsx_attachment(buffer.getvalue(), _("重新筛查名单_%(date)s.xlsx") % {"date": f"{on:%Y%m%d}"})
