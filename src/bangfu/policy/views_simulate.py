"""The county officers' simulation page (issue 3 "Also on a page for county officers"; R13, R17,
R20): a form of the adjustable parameters with the values in force for the officer's region, a
region of the officer's subtree and a date; the result by township with totals and the workbook.

Thin: the work is `simulation.simulate`, run through a `Job` like the survey import — inline for
regions of fewer than `SYNC_MAX_HOUSEHOLDS` households, by the task worker otherwise, with the
job page polling its progress (htmx). County officers and administrators only (others 403); a
job answers 404 to anyone but the user who started it.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from bangfu.accounts.permissions import require_perm
from bangfu.common.jobs import job_context, own_job
from bangfu.common.models import AccessLog, Job, log_access
from bangfu.common.money import format_yuan
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.common.widgets import DateInput

from . import permissions
from .labels import translated
from .parameters import ParameterError, ParameterSet
from .reassessment import ReassessmentError, chunks, target_region
from .selectors import parameter_set
from .simulation import ADJUSTABLE_KINDS, reform, signed_yuan
from .tasks import SIMULATE, run_simulate_job, simulate_job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SYNC_MAX_HOUSEHOLDS = 20_000  # smaller regions are simulated within the request
KIND_ORDER = {"money": 0, "ratio": 1, "integer": 2}
KIND_GROUPS = {"money": gettext_lazy("金额"), "ratio": gettext_lazy("比例、倍数"), "integer": gettext_lazy("年龄、月数等")}


NO_SIMULATE = gettext_lazy("只有县级民政干部和系统管理员可以进行政策测算")


def region_choices(user) -> list[tuple[str, str]]:
    """The user's region and the regions one level below it (down to townships; a province or a
    city officer gets its cities and counties)."""
    own = user.region
    deepest = max(own.level + 1, Level.COUNTY)
    regions = Region.objects.within(own).filter(level__gt=own.level, level__lte=min(deepest, Level.TOWNSHIP))
    out = [(own.code, _("%(name)s（%(code)s）") % {"name": own.full_name or own.name, "code": own.short_code})]
    out += [(r.code, "　" * (r.level - own.level) + _("%(name)s（%(code)s）") % {"name": r.name, "code": r.short_code})
            for r in regions.order_by("code")]
    return out


class SimulationForm(forms.Form):
    """One optional field per adjustable parameter (`p_<name>`): a new value or ±N %."""

    region = forms.ChoiceField(label=gettext_lazy("测算区划"))
    on = forms.DateField(label=gettext_lazy("评估日期"), widget=DateInput())

    def __init__(self, *args, user, params: ParameterSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.params = user, params
        self.fields["region"].choices = region_choices(user)
        self.fields["region"].initial = user.region.code
        self.fields["on"].initial = timezone.localdate()
        today = timezone.localdate()
        definitions = sorted((d for d in params.definitions.values() if d.kind in ADJUSTABLE_KINDS),
                             key=lambda d: KIND_ORDER[d.kind])
        self.parameter_fields = []
        for d in definitions:
            try:
                current = params.resolve(d.name, user.region.code, today).display
            except ParameterError:
                current = "—"
            field = forms.CharField(
                label=_(d.label), required=False, max_length=32,
                help_text=_("现行：%(value)s") % {"value": current},
                widget=forms.TextInput(attrs={"placeholder": _("新值或 +10%"), "size": 10}),
            )
            field.parameter, field.group, field.current = translated(d), KIND_GROUPS[d.kind], current
            self.fields[f"p_{d.name}"] = field
            self.parameter_fields.append(f"p_{d.name}")

    def parameter_groups(self):
        groups: dict = {}
        for name in self.parameter_fields:
            bound = self[name]
            groups.setdefault(bound.field.group, []).append(bound)
        return list(groups.items())

    def settings(self) -> dict[str, str]:
        return {name[2:]: self.cleaned_data[name].strip() for name in self.parameter_fields
                if self.cleaned_data.get(name, "").strip()}

    def clean(self):
        data = super().clean()
        settings = self.settings()
        if not settings and not self.errors:
            raise forms.ValidationError(_("请至少调整一个参数：填写新值，或填写 +N% / -N% 表示上下浮动"))
        try:
            region = target_region(self.user, data.get("region"))
        except ReassessmentError as exc:
            self.add_error("region", str(exc))
            return data
        on = data.get("on") or timezone.localdate()
        for name, value in settings.items():  # each on its own, so that each error names its field
            try:
                reform(self.params, {name: value}, region, on)
            except ReassessmentError as exc:
                self.add_error(f"p_{name}", str(exc))
        data["region_obj"] = region
        return data


@require_perm(permissions.SIMULATE, NO_SIMULATE)
@require_http_methods(["GET", "POST"])
def simulate_page(request: HttpRequest) -> HttpResponse:
    if request.user.region is None:
        raise PermissionDenied(_("您的账号没有所属区划"))
    form = SimulationForm(request.POST or None, user=request.user, params=parameter_set())
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region_obj"]
        on: dt.date = form.cleaned_data["on"]
        households = sum(c.households for c in chunks(region))
        job = Job.objects.create(
            kind=SIMULATE, user=request.user, total=households, message=_("排队等待测算"),
            params={"settings": form.settings(), "region_code": region.code, "on": on.isoformat()},
        )
        if households < SYNC_MAX_HOUSEHOLDS:
            run_simulate_job(job.pk)
        else:
            simulate_job.enqueue(job.pk)
        return redirect("policy:simulate_job", pk=job.pk)
    recent = Job.objects.filter(kind=SIMULATE, user=request.user).order_by("-created_at")[:10]
    return render(request, "policy/simulate.html", {"form": form, "recent": recent})


def _own_job(request: HttpRequest, pk: int) -> Job:
    return own_job(request.user, pk, SIMULATE)


def _display(row: dict) -> dict:
    """Money columns (fen) as yuan text; the changes signed."""
    return {k: (signed_yuan(v) if "change" in k else format_yuan(v)) if k.endswith("_fen") else v for k, v in row.items()}


def _job_context(job: Job) -> dict:
    result = job.result if job.status == Job.Status.DONE else {}
    return job_context(job, result=result, townships=[_display(t) for t in result.get("townships", [])],
                       total=_display(result.get("total", {})))


@require_perm(permissions.SIMULATE, NO_SIMULATE)
@require_GET
def simulate_job_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "policy/simulate_job.html", _job_context(_own_job(request, pk)))


@require_perm(permissions.SIMULATE, NO_SIMULATE)
@require_GET
def simulate_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "policy/simulate_progress.html", _job_context(_own_job(request, pk)))


@require_perm(permissions.SIMULATE, NO_SIMULATE)
@require_GET
def simulate_job_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if not job.output_file:
        raise Http404(_("记录不存在"))
    log_access(acting_user=request.user, action=AccessLog.Action.EXPORT, object_type="policy_simulation", object_id=job.pk,
               region_code=job.params.get("region_code", ""), detail="政策测算结果（户编号、村名、金额）", request=request)
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=f"政策测算_{job.pk}.xlsx", content_type=XLSX)
