"""Filter forms of the benefits pages. Region choices are limited to the viewer's region."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from . import choices as c
from bangfu.common.months import month_of, parse_month
from bangfu.common.widgets import DateInput

WITHIN_CHOICES = [("0", _("仅已逾期")), ("30", _("30天内到期")), ("60", _("60天内到期")), ("90", _("90天内到期"))]


def _regions(user, levels) -> list[tuple[str, str]]:
    qs = Region.objects.visible_to(user).filter(level__in=levels).order_by("code")
    return [(r.code, f"{'　' if r.level == Level.VILLAGE else ''}{r.name}") for r in qs[:2000]]


class DueFilterForm(forms.Form):
    office = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    within = forms.ChoiceField(label=_("到期范围"), choices=WITHIN_CHOICES, required=False, initial="30")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("全部"))] + _regions(user, [Level.TOWNSHIP])

    def values(self) -> tuple[str, int]:
        if not self.is_bound or not self.is_valid():
            return "", 30
        return self.cleaned_data.get("office") or "", int(self.cleaned_data.get("within") or 30)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("请按“年-月”填写月份，如 2026-03")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None or not dt.date(2000, 1, 1) <= month <= dt.date(2099, 12, 1):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class AreaMonthForm(forms.Form):
    """Publication and register: an area (township or village of the viewer) and a month."""

    area = forms.ChoiceField(label=_("地区"), required=False)
    month = MonthField(label=_("月份"), required=False)
    programme = forms.ChoiceField(label=_("救助项目"), required=False,
                                  choices=[("", _("全部")), (c.Programme.DIBAO, c.Programme.DIBAO.label), (c.Programme.TEKUN, c.Programme.TEKUN.label)])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("本辖区全部"))] + _regions(user, [Level.TOWNSHIP, Level.VILLAGE])

    def values(self) -> tuple[str, dt.date, str]:
        this_month = month_of(timezone.localdate())
        if not self.is_bound or not self.is_valid():
            return "", this_month, ""
        return self.cleaned_data.get("area") or "", self.cleaned_data.get("month") or this_month, self.cleaned_data.get("programme") or ""


class ReviewExtensionForm(forms.Form):
    """A county's extension of due reviews in a major emergency (seed 篇三（四））."""

    document_name = forms.CharField(label=_("文件名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    document_date = forms.DateField(label=_("发文日期"), widget=DateInput())
    event = forms.CharField(label=_("重大突发事件"), max_length=200, help_text=_("如：某年某月洪涝灾害、疫情"))
    months = forms.IntegerField(label=_("延长月数"), min_value=1, max_value=12)
    due_from = forms.DateField(label=_("应核查日期自（含）"), widget=DateInput())
    due_to = forms.DateField(label=_("应核查日期至（含）"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            self.add_error("due_to", _("截止日期不能早于起始日期"))
        return data
