"""Forms of the rescue pages. They parse input; the rules live in services (errors come back by field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.common.money import InvalidAmount, yuan_to_fen
from bangfu.common.widgets import DateInput, PickerInput

from . import choices as c

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = DateInput()


def region_picker() -> PickerInput:
    """A region code typed or picked by name (issue 17)."""
    return PickerInput("regions:pick", search_label=_("按名称查找区划"))


def apply_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class YuanField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return yuan_to_fen(value) or 0
        except InvalidAmount as exc:
            raise forms.ValidationError(str(exc)) from None


class IntakeForm(forms.Form):
    """入站登记 (R18, R19, R21)."""

    arrival_at = forms.DateTimeField(label=_("入站时间"), widget=DT)
    referral_source = forms.ChoiceField(label=_("来站方式"), choices=c.ReferralSource.choices)
    name = forms.CharField(label=_("姓名"), required=False, help_text=_("身份不明的可不填，系统以“无名氏+站内编号”代称"))
    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=18)
    sex = forms.ChoiceField(label=_("性别"), choices=c.Sex.choices, initial=c.Sex.UNKNOWN)
    birth_date = forms.DateField(label=_("出生日期（或估计）"), required=False, widget=D)
    birth_date_estimated = forms.BooleanField(label=_("出生日期为估计"), required=False)
    home_region_code = forms.CharField(label=_("户籍地区划代码"), required=False, max_length=12,
                                       help_text=_("12位统计用区划代码或6位县级代码；不详的不填"), widget=region_picker())
    found_at = forms.DateTimeField(label=_("发现时间"), required=False, widget=DT)
    found_place = forms.CharField(label=_("发现地点"), required=False)
    brought_by = forms.CharField(label=_("护送单位及人员"), required=False)
    handover_document = forms.CharField(label=_("书面交接单编号"), required=False)
    capable_adult = forms.BooleanField(label=_("完全民事行为能力人"), required=False, initial=True)
    consent_given = forms.BooleanField(label=_("本人同意接受救助（护送）"), required=False)
    physical_description = forms.CharField(label=_("体貌特征"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    language = forms.CharField(label=_("语言或方言"), required=False)
    belongings = forms.CharField(label=_("随身物品"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_minor = forms.BooleanField(label=_("未成年人"), required=False)
    is_elderly = forms.BooleanField(label=_("老年人"), required=False)
    is_disabled = forms.BooleanField(label=_("残疾人"), required=False)
    has_mental_disorder = forms.BooleanField(label=_("精神障碍"), required=False)
    is_immobile = forms.BooleanField(label=_("行动不便"), required=False)
    is_dv_victim = forms.BooleanField(label=_("家庭暴力受害人"), required=False)
    is_pregnant = forms.BooleanField(label=_("孕妇"), required=False)
    tekun_eligible = forms.BooleanField(label=_("符合特困供养条件"), required=False)


class TracingStepForm(forms.Form):
    kind = forms.ChoiceField(label=_("步骤"), choices=c.TracingStepKind.choices)
    done_at = forms.DateTimeField(label=_("完成时间"), widget=DT)
    done_by = forms.CharField(label=_("经办人或单位"))
    reference = forms.CharField(label=_("公告链接或回执编号"), required=False)
    result = forms.ChoiceField(label=_("结果"), choices=c.TracingResult.choices)


class IdentityForm(forms.Form):
    name = forms.CharField(label=_("姓名"))
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    home_region_code = forms.CharField(label=_("户籍地区划代码"), max_length=12, widget=region_picker())


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务"), choices=c.ServiceKind.choices)
    start_date = forms.DateField(label=_("起始日期"), widget=D)
    end_date = forms.DateField(label=_("终止日期"), required=False, widget=D)
    cost_fen = YuanField(label=_("费用（元）"), required=False)
    note = forms.CharField(label=_("说明"), required=False)


class AssessmentForm(forms.Form):
    effective_on = forms.DateField(label=_("评估生效日"), widget=D)
    can_eat = forms.BooleanField(label=_("能自主吃饭"), required=False, initial=True)
    can_dress = forms.BooleanField(label=_("能自主穿衣"), required=False, initial=True)
    can_get_up = forms.BooleanField(label=_("能自主上下床"), required=False, initial=True)
    can_toilet = forms.BooleanField(label=_("能自主如厕"), required=False, initial=True)
    can_walk_indoors = forms.BooleanField(label=_("能室内行走"), required=False, initial=True)
    can_bathe = forms.BooleanField(label=_("能自主洗澡"), required=False, initial=True)


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("安置方式"), choices=c.PlacementKind.choices)
    institution = forms.TypedChoiceField(label=_("托养机构"), coerce=int, required=False, empty_value=None)
    start_date = forms.DateField(label=_("起始日期"), widget=D)

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—")] + [(i.pk, i.name) for i in institutions]


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片（JPEG或PNG，5MB以内）"))


class EndForm(forms.Form):
    ended_at = forms.DateTimeField(label=_("离站时间"), widget=DT)
    reason = forms.ChoiceField(label=_("离站原因"), choices=[(v, l) for v, l in c.EndReason.choices if v != c.EndReason.SETTLED])
    statement = forms.CharField(label=_("自愿离站声明书编号"), required=False)
    destination = forms.CharField(label=_("去向"), required=False)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("情形"), choices=c.ReportKind.choices)
    victim = forms.ChoiceField(label=_("受侵害人类别"), choices=c.ReportVictim.choices)
    noticed_at = forms.DateTimeField(label=_("发现时间"), widget=DT)
    description = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 2}))
    reported_to = forms.CharField(label=_("报告对象"), required=False)
    reported_at = forms.DateTimeField(label=_("报告时间"), required=False, widget=DT)


class SettlementApplyForm(forms.Form):
    applied_on = forms.DateField(label=_("申请日期"), widget=D)


class SettlementPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    planned_on = forms.DateField(label=_("方案日期"), widget=D)
    outcome = forms.ChoiceField(label=_("安置去向"), choices=c.SettlementOutcome.choices)
    orphan_benefit = forms.BooleanField(label=_("纳入孤儿基本生活保障"), required=False)
    institution_name = forms.CharField(label=_("安置机构"), required=False)
    note = forms.CharField(label=_("说明"), required=False)


class SettlementAdvanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(label=_("日期"), widget=D)


class RegisterPersonForm(forms.Form):
    village = forms.ChoiceField(label=_("登记到村（社区）"))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.pk, v.full_name or v.name) for v in villages]


class PreventionEntryForm(forms.Form):
    region_code = forms.CharField(label=_("户籍地区划代码"), max_length=12, widget=region_picker())
    category = forms.ChoiceField(label=_("类别"), choices=c.PreventionCategory.choices)
    name = forms.CharField(label=_("姓名"))
    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=18)
    address = forms.CharField(label=_("住址"), required=False)
    phone = forms.CharField(label=_("联系电话"), required=False)
    first_due = forms.DateField(label=_("首次回访期限"), required=False, widget=D)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=c.FollowUpKind.choices)
    done_on = forms.DateField(label=_("日期"), widget=D)
    note = forms.CharField(label=_("情况及帮助解决的困难"), widget=forms.Textarea(attrs={"rows": 2}))


class PatrolForm(forms.Form):
    started_at = forms.DateTimeField(label=_("巡查开始时间"), widget=DT)
    area = forms.CharField(label=_("巡查区域"))
    team = forms.CharField(label=_("巡查人员"))


class EncounterForm(forms.Form):
    met_at = forms.DateTimeField(label=_("时间"), widget=DT)
    place = forms.CharField(label=_("地点"))
    description = forms.CharField(label=_("人员情况"))
    action = forms.ChoiceField(label=_("处置"), choices=c.EncounterAction.choices)
    capable_adult = forms.BooleanField(label=_("完全民事行为能力人"), required=False, initial=True)
    vulnerable = forms.BooleanField(label=_("残疾、未成年、老年或行动不便"), required=False)
    consent_given = forms.BooleanField(label=_("本人同意护送"), required=False)
    handover_document = forms.CharField(label=_("书面交接单编号"), required=False)
    persuasion = forms.CharField(label=_("劝导情况"), required=False)
    contact_left = forms.BooleanField(label=_("已告知救助站联系方式"), required=False)


class StatementForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("托养机构"), coerce=int)
    month = forms.RegexField(label=_("月份"), regex=r"^\d{4}-\d{2}$", widget=forms.DateInput(attrs={"type": "month"}))

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [(i.pk, i.name) for i in institutions]
