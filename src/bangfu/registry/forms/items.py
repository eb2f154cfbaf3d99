"""Household rows: incomes, assets, rigid expenses, categories and causes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.common.money import InvalidAmount, yuan_to_fen

from .. import choices as c
from ..models import Person
from bangfu.common.widgets import DateInput


class YuanField(forms.CharField):
    """An amount typed in yuan ("1234.50"), cleaned to integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 10}))
        kwargs.setdefault("error_messages", {"required": _("请填写金额")})
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return yuan_to_fen(value)
        except InvalidAmount as exc:
            raise forms.ValidationError(str(exc)) from None

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value / 100:.2f}"
        return value


class HouseholdItemForm(forms.Form):
    """Common part of the income, asset, expense and category forms: the member concerned."""

    kind_name = ""
    person = forms.TypedChoiceField(label=_("相关成员"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, members: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("（全家）")), *((p.pk, p.name) for p in members)]

    def _check_dates(self, data, start: str, end: str) -> None:
        if data.get(start) and data.get(end) and data[end] < data[start]:
            self.add_error(end, _("截止日期不能早于起始日期"))

    def item_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["person_id"] = data.pop("person", None)
        return data


class DatedMonthlyItemForm(HouseholdItemForm):
    """Income and rigid-expense rows: a monthly amount over a period of validity."""

    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput, error_messages={"required": _("请填写起始日期")})
    valid_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)
    field_order = ["person", "kind", "monthly_amount_fen", "valid_from", "valid_to", "note"]

    def clean(self):
        data = super().clean()
        self._check_dates(data, "valid_from", "valid_to")
        return data


class IncomeForm(DatedMonthlyItemForm):
    kind_name = "income"
    title = _("收入")
    kind = forms.ChoiceField(label=_("收入类型"), choices=c.IncomeKind.choices)
    monthly_amount_fen = YuanField(label=_("月收入（元）"))


class AssetForm(HouseholdItemForm):
    kind_name = "asset"
    title = _("财产")
    kind = forms.ChoiceField(label=_("财产类型"), choices=c.AssetKind.choices)
    value_fen = YuanField(label=_("价值（元）"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=1_000_000, initial=1)
    description = forms.CharField(label=_("说明"), required=False, max_length=255)


class ExpenseForm(DatedMonthlyItemForm):
    kind_name = "expense"
    title = _("刚性支出")
    kind = forms.ChoiceField(label=_("刚性支出类型"), choices=c.ExpenseKind.choices)
    monthly_amount_fen = YuanField(label=_("月均支出（元）"))


CLASSIFICATION_CHOICES = [
    (_("类别"), [(f"{c.ClassificationKind.CATEGORY}:{v}", label) for v, label in c.Category.choices]),
    (_("致困原因"), [(f"{c.ClassificationKind.CAUSE}:{v}", label) for v, label in c.Cause.choices]),
]


class ClassificationForm(HouseholdItemForm):
    kind_name = "classification"
    title = _("类别或致困原因")
    code = forms.ChoiceField(label=_("类别或致困原因"), choices=CLASSIFICATION_CHOICES)
    start_date = forms.DateField(label=_("起始日期"), widget=DateInput, initial=timezone.localdate,
                                 error_messages={"required": _("请填写起始日期")})
    end_date = forms.DateField(label=_("终止日期"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        self._check_dates(data, "start_date", "end_date")
        return data

    def item_data(self) -> dict[str, Any]:
        data = super().item_data()
        data["kind"], data["code"] = data.pop("code").split(":", 1)
        return data


class SupporterForm(HouseholdItemForm):
    """A legal supporter outside the household (户外法定义务人) of one member, with the facts that
    decide their capacity (《特困人员认定办法》第十条). Age: from the ID number, the birth date,
    or an age in years (taken as on today)."""

    kind_name = "supporter"
    title = _("户外法定义务人")
    duty = forms.ChoiceField(label=_("义务类型"), choices=c.SupportDuty.choices)
    relation = forms.ChoiceField(label=_("与被扶养人关系"), choices=c.SupporterRelation.choices)
    name = forms.CharField(label=_("姓名"), max_length=64, error_messages={"required": _("请填写姓名")})
    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=24,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "size": 20}))
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput)
    age = forms.IntegerField(label=_("年龄（周岁）"), required=False, min_value=0, max_value=130,
                             help_text=_("无身份证号码和出生日期时填写"))
    on_dibao = forms.BooleanField(label=_("最低生活保障对象"), required=False)
    on_tekun = forms.BooleanField(label=_("特困人员"), required=False)
    income_below_disposable = forms.BooleanField(
        label=_("本人收入低于当地上年人均可支配收入，且财产符合当地低保家庭财产状况规定"), required=False)
    severe_disability = forms.BooleanField(label=_("重度残疾人或三级智力、精神残疾人"), required=False)
    no_civil_capacity = forms.BooleanField(
        label=_("无民事行为能力、被宣告失踪或在监狱服刑，且财产符合当地低保家庭财产状况规定"), required=False)
    capacity = forms.ChoiceField(label=_("履行义务能力"), required=False, choices=c.SupporterCapacity.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.label = _("被扶养人（本户成员）")
        field.required = True
        field.choices = [choice for choice in field.choices if choice[0] != ""]
        field.error_messages["required"] = _("请选择被扶养人")

    def item_data(self) -> dict[str, Any]:
        data = super().item_data()
        age = data.pop("age", None)
        if age is not None and not data.get("birth_date") and not data.get("id_number"):
            today = timezone.localdate()
            try:
                data["birth_date"] = today.replace(year=today.year - age)
            except ValueError:  # 29 February
                data["birth_date"] = today.replace(year=today.year - age, day=28)
        return data


ITEM_FORMS: dict[str, type[HouseholdItemForm]] = {
    form.kind_name: form for form in (IncomeForm, AssetForm, ExpenseForm, ClassificationForm, SupporterForm)
}
