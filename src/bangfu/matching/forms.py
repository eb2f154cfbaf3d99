from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bangfu.common.spreadsheets import SpreadsheetRefused, check_upload_size
from bangfu.common.widgets import DateInput

from .choices import FindingKind, FindingStatus, LinkStatus
from .models import kind_by_code, kind_choices


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("名单种类"), choices=())
    source = forms.CharField(label=_("数据来源"), max_length=128, help_text=_("如：区残联 2025年6月导出"))
    source_date = forms.DateField(label=_("数据日期"), widget=DateInput())
    complete = forms.TypedChoiceField(
        label=_("名单范围"), widget=forms.RadioSelect, coerce=lambda v: v == "complete", empty_value=None,
        choices=[("complete", _("全量：该部门在本辖区的全部名单")), ("partial", _("增量：只是其中一部分（如本月新增）"))],
        help_text=_("只有全量名单才能说明“名单上没有某人”，如残疾人未办证；增量名单只比对名单上的人。"),
        error_messages={"required": _("请选择名单是全量还是增量")})
    file = forms.FileField(label=_("名单文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
                           error_messages={"empty": _("文件是空的（大小为0），请检查后重新上传")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(getattr(upload, "size", None), settings.BANGFU_UPLOAD_MAX_BYTES)
        except SpreadsheetRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload

    def clean_source_date(self):
        day = self.cleaned_data["source_date"]
        if day > dt.date.today():
            raise forms.ValidationError(_("数据日期不能晚于今天"))
        return day


# What each column means, in the interface's language; the Chinese headers in kinds.py are the
# file format (the template's columns and the names recognised on import) and stay as they are.
FIELD_LABELS = {
    "id_number": _("身份证号"),
    "name": _("姓名"),
    "sex": _("性别"),
    "birth_date": _("出生日期"),
    "address": _("住址"),
    "region_code": _("区划代码"),
    "cert_number": _("残疾证号"),
    "disability_type": _("残疾类别"),
    "disability_grade": _("残疾等级"),
    "issue_date": _("发证日期"),
    "last_check": _("最近年审日期"),
    "poor_type": _("户类型"),
    "death_date": _("死亡日期"),
    "student_status": _("学籍状态"),
    "school": _("学校"),
    "register_date": _("登记日期"),
    "illness": _("病种"),
    "medical_cost": _("个人自付费用"),
    "plate": _("号牌号码"),
    "vehicle_value": _("车辆价值"),
    "property_address": _("坐落"),
    "business_name": _("企业名称"),
    "employer": _("工作单位"),
    "assistance_type": _("救助类别"),
    "assistance_region": _("享受地"),
    "return_date": _("返乡日期"),
}


class MappingForm(forms.Form):
    """One select per column of the kind, offering the file's headers."""

    def __init__(self, *args, kind_code: str, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind_by_code(kind_code)
        options = [("", _("（无此列）"))] + [(h, h) for h in headers if h]
        for col in kind.all_columns:
            self.fields[col.field] = forms.ChoiceField(label=FIELD_LABELS.get(col.field, col.header), choices=options, required=col.required,
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
