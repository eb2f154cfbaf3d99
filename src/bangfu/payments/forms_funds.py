"""Forms of the funds ledger pages (资金台账). Amounts are typed in yuan and read by
common/money.py (two decimals at most, no negative, no absurd size)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.benefits.choices import Programme
from bangfu.benefits.forms import MonthField
from bangfu.common.money import InvalidAmount, yuan_to_fen
from bangfu.common.widgets import DateInput

from .models import FundEntryKind, FundSource


def _years():
    this = dt.date.today().year
    return [(y, str(y)) for y in range(this + 1, this - 6, -1)]


class YuanField(forms.CharField):
    """An amount in yuan, cleaned to integer fen."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 24})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 24:
            raise forms.ValidationError(_("金额过长"), code="invalid")
        try:
            return yuan_to_fen(value)
        except InvalidAmount as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class LedgerFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_years, required=False)
    programme = forms.ChoiceField(label=_("救助项目"), required=False, choices=[("", _("全部项目"))] + list(Programme.choices))


class BudgetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_years)
    programme = forms.ChoiceField(label=_("救助项目"), choices=Programme.choices)
    source = forms.ChoiceField(label=_("资金来源"), choices=FundSource.choices)
    amount = YuanField(label=_("预算金额（元）"))
    document = forms.CharField(label=_("预算文件"), max_length=128)
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class EntryForm(forms.Form):
    year = forms.TypedChoiceField(label=_("资金年度"), coerce=int, choices=_years)
    programme = forms.ChoiceField(label=_("救助项目"), choices=Programme.choices)
    kind = forms.ChoiceField(label=_("类型"), choices=FundEntryKind.choices)
    source = forms.ChoiceField(label=_("资金来源"), required=False, choices=[("", "—")] + list(FundSource.choices))
    date = forms.DateField(label=_("日期"), widget=DateInput())
    amount = YuanField(label=_("金额（元）"))
    document = forms.CharField(label=_("文件或凭证号"), max_length=128)
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class StatementForm(forms.Form):
    month = MonthField(label=_("月份"))
