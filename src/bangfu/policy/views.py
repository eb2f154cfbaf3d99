"""Policy pages (issue 3 "Parameters", "Output"): the parameters in force and their history, an
administrator's regional value, and the household panel "政策测评" reloaded for another date.

Thin: reads go through `current` (the cached parameter set) and the registry's scoped selectors,
the write through `services.parameter_value_create`. Permission is checked before anything is
looked up, so a refused action answers 403 whatever the name or id (accounts.permissions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import has_perm, require_perm
from bangfu.common.models import AccessLog, log_access
from bangfu.common.money import InvalidAmount, format_yuan, yuan_to_fen
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region
from bangfu.registry import selectors as registry_selectors

from . import permissions
from . import services
from .current import current_parameter_set
from .determination import household_determination as judge_household
from .determination import parse_day
from .forms import STANDARDS, ParameterFilterForm, ParameterValueForm, initial_value
from .labels import KIND_LABELS, translated, value_text
from .models import ParameterValue
from .parameters import ParameterError, ParameterSet, Resolved, standard_range_from_consumption
from .parameters.core import NATIONAL, region_prefix


def _viewer_code(user) -> str:
    return user.region.code if getattr(user, "region", None) is not None else "CN"


def _relevant(prefix: str, viewer_code: str) -> bool:
    """A value is shown to a viewer when it is set on the viewer's region, an ancestor of it, or
    inside the viewer's subtree: the values that can apply to the viewer's households."""
    if prefix == NATIONAL or viewer_code == "CN":
        return True
    own = region_prefix(viewer_code)
    return own.startswith(prefix) or prefix.startswith(own)


def _region_names(prefixes) -> dict[str, str]:
    codes = {RegionCode.from_prefix(p): p for p in prefixes if p}
    names = dict(Region.objects.filter(code__in=[c.code for c in codes]).values_list("code", "name"))
    out = {NATIONAL: _("全国")}
    for region, prefix in codes.items():
        code, short = region.code, region.short
        out[prefix] = _("%(name)s（%(code)s）") % {"name": names[code], "code": short} if code in names else short
    return out


@dataclass
class Row:
    """A parameter and its value in force, for the list and the detail page."""

    name: str
    label: str
    description: str
    unit: str
    kind: str
    resolved: Resolved | None
    value: str
    region: str
    error: str = ""


def _row(params: ParameterSet, name: str, code: str, day: dt.date, names: dict[str, str]) -> Row:
    d = translated(params.definition(name))
    try:
        r = params.resolve(name, code, day)
    except ParameterError as exc:
        return Row(name, d.label, d.description, d.unit, str(KIND_LABELS.get(d.kind, d.kind)), None, "", "", str(exc))
    return Row(name, d.label, d.description, d.unit, str(KIND_LABELS.get(d.kind, d.kind)), r,
               value_text(d, r.value), names.get(r.region, r.region))


# ----------------------------------------------------------------------------- parameters


@require_perm(permissions.VIEW_PARAMETERS)
@require_GET
def parameter_list(request: HttpRequest) -> HttpResponse:
    form = ParameterFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    code, day = _viewer_code(request.user), today
    if form.is_bound and form.is_valid():
        if form.cleaned_data["region"] is not None:
            code = form.cleaned_data["region"].code
        day = form.cleaned_data["on"] or today
    params = current_parameter_set()
    own = region_prefix(code)
    names = _region_names({s.region for items in params.values.values() for s in items if _relevant(s.region, code)} | {own})
    rows = [_row(params, name, code, day, names) for name in params.names]
    region_label = names.get(own, code)
    return render(request, "policy/parameter_list.html", {
        "form": form, "rows": rows, "day": day, "region_label": region_label,
        "can_set": has_perm(request.user, permissions.SET_PARAMETERS),
    })


def _definition(params: ParameterSet, name: str):
    try:
        return translated(params.definition(name))
    except ParameterError:
        raise Http404(_("没有这个参数")) from None


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    action: str
    region: str
    valid_from: dt.date
    changes: list[tuple[str, str, str]]


HISTORY_FIELDS = ("region_code", "valid_from", "valid_to", "value", "citation_document", "citation_article", "note")
TYPE_LABELS = {"+": gettext_lazy("新增"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def _history(name: str, definition, viewer_code: str, names: dict[str, str]) -> list[HistoryEntry]:
    """Every recorded change of this parameter's rows, newest first, with old → new per field.
    One query: the records are diffed in order per row id (no `prev_record` per record)."""
    labels = {f: str(ParameterValue._meta.get_field(f).verbose_name) for f in HISTORY_FIELDS}
    records = list(ParameterValue.history.filter(name=name).select_related("history_user").order_by("id", "history_date", "history_id"))

    def shown(field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if field == "value":
            try:
                return value_text(definition, definition.parse(value))
            except ParameterError:
                return str(value)
        if field == "region_code":
            return names.get(region_prefix(value), value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    out: list[HistoryEntry] = []
    prev = None
    for record in records:
        if prev is not None and prev.id != record.id:
            prev = None
        if not _relevant(region_prefix(record.region_code), viewer_code):
            prev = record
            continue
        if record.history_type == "+" or prev is None:
            changes = [(labels[f], "", shown(f, getattr(record, f))) for f in HISTORY_FIELDS if getattr(record, f) not in (None, "")]
        elif record.history_type == "-":
            changes = []
        else:
            changes = [(labels[f], shown(f, getattr(prev, f)), shown(f, getattr(record, f)))
                       for f in HISTORY_FIELDS if getattr(prev, f) != getattr(record, f)]
        out.append(HistoryEntry(
            at=record.history_date, user=str(record.history_user) if record.history_user else _("系统"),
            action=str(TYPE_LABELS.get(record.history_type, record.history_type)),
            region=shown("region_code", record.region_code), valid_from=record.valid_from, changes=changes,
        ))
        prev = record
    out.sort(key=lambda e: e.at, reverse=True)
    return out


@require_perm(permissions.VIEW_PARAMETERS)
@require_GET
def parameter_detail(request: HttpRequest, name: str) -> HttpResponse:
    params = current_parameter_set()
    definition = _definition(params, name)
    code = _viewer_code(request.user)
    today = timezone.localdate()
    specs = [s for s in params.values[name] if _relevant(s.region, code)]
    names = _region_names({s.region for s in specs} | {region_prefix(code)})
    stored = {(region_prefix(r.region_code), r.valid_from): r
              for r in ParameterValue.objects.filter(name=name).select_related("created_by")}
    names.update(_region_names({prefix for prefix, _start in stored} - set(names)))
    values = []
    for s in sorted(specs, key=lambda s: (len(s.region), s.region, s.valid_from)):
        row = stored.get((s.region, s.valid_from)) if s.origin == "db" else None
        values.append({
            "spec": s, "region": names.get(s.region, s.region), "value": value_text(definition, s.value),
            "in_force": s.valid_on(today), "row": row,
        })
    return render(request, "policy/parameter_detail.html", {
        "definition": definition, "kind_label": KIND_LABELS.get(definition.kind, definition.kind),
        "current": _row(params, name, code, today, names), "values": values, "today": today,
        "history": _history(name, definition, code, names),
        "can_set": has_perm(request.user, permissions.SET_PARAMETERS),
    })


def _consumption_range(form_data, definition, params: ParameterSet) -> dict[str, Any] | None:
    """R13: the monthly range for the entered consumption, and whether the value lies in it."""
    if definition.name not in STANDARDS:
        return None
    raw = (form_data.get("consumption") or "").strip()
    if not raw:
        return None
    try:
        annual = yuan_to_fen(raw)
    except InvalidAmount as exc:
        return {"error": str(exc)}
    region = (form_data.get("region") or "").strip() or "CN"
    try:
        day = dt.date.fromisoformat((form_data.get("valid_from") or "").strip())
    except ValueError:
        day = timezone.localdate()
    try:
        rng = standard_range_from_consumption(annual, params, region, day)
    except ParameterError as exc:
        return {"error": str(exc)}
    out: dict[str, Any] = {
        "annual": format_yuan(annual), "min": format_yuan(rng.min_monthly_fen), "max": format_yuan(rng.max_monthly_fen),
        "share_min": f"{(rng.share_min * 100).normalize():f}%", "share_max": f"{(rng.share_max * 100).normalize():f}%",
        "range": rng,
    }
    try:
        value = yuan_to_fen((form_data.get("value") or "").strip())
    except InvalidAmount:
        value = None
    if value is not None:
        out["value"] = format_yuan(value)
        out["outside"] = not rng.contains(value)
    return out


def _range_note(info: dict[str, Any]) -> str:
    return _("上年度城镇居民人均消费支出 %(annual)s 元/年，参考区间 %(min)s–%(max)s 元/月（%(a)s–%(b)s，R13）") % {
        "annual": info["annual"], "min": info["min"], "max": info["max"], "a": info["share_min"], "b": info["share_max"]}


@require_perm(permissions.SET_PARAMETERS)
@require_http_methods(["GET", "POST"])
def parameter_value_create(request: HttpRequest, name: str) -> HttpResponse:
    params = current_parameter_set()
    definition = _definition(params, name)
    code = _viewer_code(request.user)
    today = timezone.localdate()
    initial: dict[str, Any] = {"valid_from": today}
    try:
        initial["value"] = initial_value(definition, params.value(name, code, today))
    except ParameterError:
        pass
    form = ParameterValueForm(request.POST or None, definition=definition, user=request.user, initial=initial)
    range_info = _consumption_range(request.POST, definition, params) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if range_info and "range" in range_info:
            kwargs["note"] = "\n".join(filter(None, [kwargs["note"], _range_note(range_info)]))
        try:
            services.parameter_value_create(acting_user=request.user, **kwargs)
        except ParameterError as exc:
            form.apply_service_error(exc)
        except IntegrityError:
            form.add_error("valid_from", _("该区划已有自这一天起的取值"))
        else:
            messages.success(request, _("已设置%(label)s：%(region)s 自 %(day)s 起 %(value)s。") % {
                "label": definition.label, "region": form.cleaned_data["region"].name,
                "day": kwargs["valid_from"].isoformat(), "value": value_text(definition, form.parsed_value)})
            if range_info and range_info.get("outside"):
                messages.warning(request, _("提示：所填标准 %(value)s 元不在参考区间 %(min)s–%(max)s 元/月内，已按所填保存。") % range_info)
            return redirect("policy:parameter_detail", name=name)
    return render(request, "policy/parameter_form.html", {
        "form": form, "definition": definition, "range_info": range_info, "shows_range": name in STANDARDS,
    })


@require_perm(permissions.SET_PARAMETERS)
@require_GET
def parameter_range(request: HttpRequest, name: str) -> HttpResponse:
    """The R13 hint beside the standard (htmx, as the administrator types)."""
    params = current_parameter_set()
    definition = _definition(params, name)
    return render(request, "policy/parameter_range.html", {
        "range_info": _consumption_range(request.GET, definition, params), "shows_range": name in STANDARDS,
    })


# ----------------------------------------------------------------------------- household panel


@login_required
@require_GET
def household_determination(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel "政策测评" alone, for another date (htmx). Scoped like the household page: a
    household outside the viewer's region answers 404 as a missing one."""
    household = registry_selectors.household_get(request.user, pk)
    on, on_error = parse_day(request.GET.get("on"), timezone.localdate())
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="household", object_id=household.pk,
               region_code=household.region_code, detail=f"政策测评 {on.isoformat()}", request=request)
    return render(request, "policy/determination_panel.html", {
        "household": household, "determination": judge_household(household, on=on), "on_error": on_error,
    })
