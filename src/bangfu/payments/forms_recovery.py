"""Forms of the recovery pages (应追回款). Amounts are typed in yuan (forms_funds.YuanField)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.benefits.forms import MonthField
from bangfu.common.widgets import DateInput

from . import choices as c
from .forms_funds import YuanField


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(c.ReceivableState.choices))
    reason = forms.ChoiceField(label=_("原因"), required=False, choices=[("", _("全部"))] + list(c.ReceivableReason.choices))


class FromCaseForm(forms.Form):
    case = forms.IntegerField(label=_("案件编号"), min_value=1)
    reason = forms.ChoiceField(label=_("原因"), choices=[x for x in c.ReceivableReason.choices if x[0] != c.ReceivableReason.DEATH])
    first_month = MonthField(label=_("多发起始月份"))
    last_month = MonthField(label=_("多发截止月份"))
    amount = YuanField(label=_("追回金额（元）"), required=False, help_text=_("不填则为这些月份实际到账的全部金额"))
    note = forms.CharField(label=_("原因说明"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("截止月份不能早于起始月份"))
        elif first and last and (last.year - first.year) * 12 + last.month - first.month > 120:
            self.add_error("last_month", _("月份跨度过大"))
        return data


class DeductionForm(forms.Form):
    mode = forms.ChoiceField(label=_("扣减方式"), choices=c.DeductMode.choices)
    monthly = YuanField(label=_("每月扣减上限（元）"), required=False)
    document = forms.CharField(label=_("扣减决定的文书或依据"), max_length=128, required=False)


class RepaymentForm(forms.Form):
    date = forms.DateField(label=_("退回日期"), widget=DateInput())
    amount = YuanField(label=_("金额（元）"))
    receipt_number = forms.CharField(label=_("收据号"), max_length=64)


class WriteOffForm(forms.Form):
    reason = forms.CharField(label=_("核销理由"), max_length=255)
