"""Forms of the payments pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.benefits.choices import Programme
from bangfu.benefits.forms import MonthField

from . import choices as c


class BuildForm(forms.Form):
    month = MonthField(label=_("发放月份"))
    programme = forms.ChoiceField(label=_("救助项目"), required=False, choices=[("", _("全部项目"))] + list(Programme.choices))


class LineFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(c.LineStatus.choices))
    flag = forms.ChoiceField(label=_("疑点"), required=False, choices=[("", _("全部"))] + list(c.Flag.choices))
    kind = forms.ChoiceField(label=_("发放类型"), required=False, choices=[("", _("全部"))] + list(c.LineKind.choices))

    def values(self) -> tuple[str, str, str]:
        if not self.is_bound or not self.is_valid():
            return "", "", ""
        d = self.cleaned_data
        return d.get("status") or "", d.get("flag") or "", d.get("kind") or ""


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("放行理由"), max_length=255, widget=forms.TextInput(attrs={"size": 40}))


class AccountForm(forms.Form):
    holder_name = forms.CharField(label=_("账户户名"), max_length=128)
    holder_relation = forms.ChoiceField(label=_("户名与享受人员关系"), choices=c.HolderRelation.choices)
    bank_name = forms.CharField(label=_("开户银行"), max_length=64)
    bank_code = forms.CharField(label=_("银行代码"), max_length=16, required=False)
    account_scheme = forms.ChoiceField(label=_("账户类型"), choices=c.AccountScheme.choices)
    account_number = forms.CharField(label=_("账号"), max_length=40)
    agent_name = forms.CharField(label=_("代理人或监护人姓名"), max_length=64, required=False)
    agent_id_number = forms.CharField(label=_("代理人或监护人身份证号码"), max_length=18, required=False)
    agent_reason = forms.CharField(label=_("代领原因"), max_length=255, required=False)
    institution_name = forms.CharField(label=_("供养机构"), max_length=128, required=False)
