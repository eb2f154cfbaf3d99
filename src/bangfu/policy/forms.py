"""Forms of the policy pages: a region's parameter value (issue 3 "Parameters"), the list filter."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.forms import scoped_regions
from bangfu.common.widgets import DateInput

from .labels import CODE_LABELS, ROUNDING_LABELS
from .parameters import ParameterDef, ParameterError
from .parameters.codec import CODE_LISTS, dump_value
from . import vocab

# Where an administrator may set a value: a province chooses the A/B criteria, a city the
# standards (R13), a county may override its city.
SETTABLE_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
STANDARDS = ("dibao_standard_urban", "dibao_standard_rural")


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return str(_("%(name)s（%(code)s）") % {"name": obj.name, "code": obj.short_code})


def _message(exc: ParameterError, name: str) -> str:
    """The service's message without its "参数 name：" prefix (the form already names it)."""
    text = str(exc)
    prefix = _("参数 %(name)s：") % {"name": name}
    return text[len(prefix):] if text.startswith(prefix) else text


def _ratio(raw: str) -> str:
    """"30%" → "0.30"; anything else as typed (the parameter parser checks it)."""
    text = raw.strip().replace("％", "%")
    if text.endswith("%"):
        try:
            return str(Decimal(text[:-1].strip()) / 100)
        except InvalidOperation:
            return text
    return text


def initial_value(definition: ParameterDef, value: Any) -> Any:
    """A parsed value as the form field shows it."""
    dumped = dump_value(definition.kind, value)
    if definition.kind in ("grade_map", "grades"):
        return json.dumps(dumped, ensure_ascii=False)
    if definition.kind == "bool":
        return "true" if value else "false"
    if definition.kind == "ratio" and definition.unit == "%" and value is not None:
        return f"{(value * 100).normalize():f}%"
    return dumped


def value_field(definition: ParameterDef) -> forms.Field:
    kind, unit = definition.kind, definition.unit
    label = _("取值")
    if kind == "money":
        help_text = _("单位：%(unit)s，以元填写，如 730.00") % {"unit": unit or "元"}
        if definition.nullable:
            help_text = _("单位：%(unit)s，以元填写；留空为不设上限") % {"unit": unit or "元"}
        return forms.CharField(label=label, required=not definition.nullable, max_length=20, help_text=help_text,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    if kind == "ratio":
        return forms.CharField(label=label, max_length=20, help_text=_("如 1.5；百分比可写 30%%（单位：%(unit)s）") % {"unit": unit},
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    if kind == "integer":
        return forms.IntegerField(label=label, min_value=0, help_text=_("单位：%(unit)s") % {"unit": unit} if unit else "")
    if kind == "bool":
        return forms.TypedChoiceField(label=label, choices=[("true", _("是")), ("false", _("否"))],
                                      coerce=lambda v: v == "true", widget=forms.RadioSelect)
    if kind == "codes":
        labels = CODE_LABELS.get(definition.choices or "", {})
        return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[(code, labels.get(code, code)) for code in CODE_LISTS[definition.choices]])
    if kind == "rounding":
        return forms.ChoiceField(label=label, choices=[(m, ROUNDING_LABELS.get(m, m)) for m in vocab.ROUNDING_MODES])
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
                           help_text=_("JSON 格式，可参照当前取值修改"))


class ParameterValueForm(forms.Form):
    """One value of one parameter for a region and a validity range; saved by
    `services.parameter_value_create`, which refuses overlaps with a Chinese message."""

    region = RegionField(queryset=Region.objects.none(), to_field_name="code", label=_("区划"),
                         empty_label=_("请选择区划"),
                         error_messages={"required": _("请选择区划"), "invalid_choice": _("请选择您辖区内的省、市或县（区）")})
    valid_from = forms.DateField(label=_("起始日期（含）"), widget=DateInput(),
                                 error_messages={"required": _("请填写起始日期"), "invalid": _("日期格式应为 YYYY-MM-DD")})
    valid_to = forms.DateField(label=_("截止日期（不含）"), required=False, widget=DateInput(),
                               help_text=_("该日起不再适用；留空为长期有效"),
                               error_messages={"invalid": _("日期格式应为 YYYY-MM-DD")})
    end_previous = forms.BooleanField(
        label=_("替代本区划原有的取值（原取值的截止日期改为新取值的起始日期）"), required=False, initial=True,
        help_text=_("不勾选时，与原有取值的有效期重叠即不保存"))
    citation_document = forms.CharField(label=_("依据文件"), max_length=255,
                                        error_messages={"required": _("请填写依据文件")},
                                        help_text=_("如：滁州市人民政府关于提高城乡低保标准的通知"))
    citation_article = forms.CharField(label=_("条款"), max_length=255, required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, definition: ParameterDef, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        regions = scoped_regions(user, SETTABLE_LEVELS)
        self.fields["region"].queryset = regions
        self.fields["value"] = value_field(definition)
        if definition.name in STANDARDS:
            self.fields["consumption"] = forms.DecimalField(
                label=_("上年度城镇居民人均消费支出（元/年）"), required=False, min_value=0, max_digits=12, decimal_places=2,
                help_text=_("选填：填写后提示低保标准的参考区间（25%–35% ÷ 12，R13），并记入备注"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        order = ["region", "valid_from", "valid_to", "end_previous", "value", "consumption", "citation_document",
                 "citation_article", "note"]
        self.order_fields([f for f in order if f in self.fields])

    def clean_value(self):
        d = self.definition
        raw = self.cleaned_data.get("value")
        if d.kind == "money" and raw in (None, ""):
            raw = None
        elif d.kind == "ratio":
            raw = _ratio(raw)
        elif d.kind in ("grade_map", "grades"):
            try:
                raw = json.loads(raw)
            except (TypeError, ValueError):
                raise forms.ValidationError(_("应为 JSON 格式")) from None
        try:
            self.parsed_value = d.parse(raw)
        except ParameterError as exc:
            raise forms.ValidationError(_message(exc, d.name)) from None
        return raw

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", _("截止日期应晚于起始日期"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": self.definition.name, "region_code": data["region"].code, "valid_from": data["valid_from"],
            "valid_to": data["valid_to"], "value": data["value"], "citation_document": data["citation_document"].strip(),
            "citation_article": data["citation_article"].strip(), "note": data["note"].strip(),
            "end_previous": data["end_previous"],
        }

    def apply_service_error(self, exc: ParameterError) -> None:
        """Put the service's refusal on the field it is about."""
        self.add_error(exc.field or "value", _message(exc, self.definition.name))


class ParameterFilterForm(forms.Form):
    """The list page: the values in force for which region, on which day."""

    region = RegionField(queryset=Region.objects.none(), to_field_name="code", label=_("区划"), required=False,
                         empty_label=_("本人所属区划"))
    on = forms.DateField(label=_("日期"), required=False, widget=DateInput(),
                         error_messages={"invalid": _("日期格式应为 YYYY-MM-DD")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scoped_regions(user, SETTABLE_LEVELS)
