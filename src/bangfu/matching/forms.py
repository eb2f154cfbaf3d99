from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import FindingKind, FindingStatus, LinkStatus
from .models import kind_by_code, kind_choices


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("名单种类"), choices=())
    source = forms.CharField(label=_("数据来源"), max_length=128, help_text=_("如：区残联 2025年6月导出"))
    source_date = forms.DateField(label=_("数据日期"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("名单文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
                           error_messages={"empty": _("文件是空的（大小为0），请检查后重新上传")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    def clean_source_date(self):
        day = self.cleaned_data["source_date"]
        if day > dt.date.today():
            raise forms.ValidationError(_("数据日期不能晚于今天"))
        return day


class MappingForm(forms.Form):
    """One select per column of the kind, offering the file's headers."""

    def __init__(self, *args, kind_code: str, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind_by_code(kind_code)
        options = [("", _("（无此列）"))] + [(h, h) for h in headers if h]
        for col in kind.all_columns:
            self.fields[col.field] = forms.ChoiceField(label=col.header, choices=options, required=col.required,
                                                       initial=initial_mapping.get(col.field, ""))

    def mapping(self) -> dict[str, str]:
        return {f: h for f, h in self.cleaned_data.items() if h}


class FindingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("发现类型"), required=False, choices=[("", _("全部"))] + list(FindingKind.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(FindingStatus.choices))


class RowFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("匹配状态"), required=False, choices=[("", _("全部"))] + list(LinkStatus.choices))


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("排除原因"), max_length=255)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=255)
