"""Forms of the outreach pages: shapes of the input only; the rules live in services, whose
OutreachError.errors come back onto the matching fields (`apply_errors`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.common.money import InvalidAmount, yuan_to_fen
from bangfu.regions.choices import Level
from bangfu.regions.codes import COUNTY, TOWNSHIP, RegionCode
from bangfu.regions.models import Region
from bangfu.common.widgets import DateInput

from . import access
from . import choices as c


def apply_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def regions_field(user, levels, *, label, required=True) -> forms.ModelChoiceField:
    qs = Region.objects.filter(level__in=levels).visible_to(user).order_by("code")
    field = forms.ModelChoiceField(queryset=qs, label=label, required=required)
    field.label_from_instance = lambda r: _("%(name)s（%(code)s）") % {"name": r.name, "code": r.code}
    return field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type by content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


class HelperForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=c.HelperKind.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=128)
    unit = forms.CharField(label=_("所在单位"), max_length=128, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    username = forms.CharField(label=_("登录账号（帮扶责任人角色，可不填）"), max_length=150, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = regions_field(user, [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE], label=_("所属区划"))


class PairingForm(forms.Form):
    target_kind = forms.ChoiceField(label=_("帮扶对象类型"), choices=c.TargetKind.choices)
    household_id = forms.IntegerField(label=_("家庭编号"), required=False, min_value=1,
                                      help_text=_("家庭档案页标题中的编号"))
    person_id = forms.IntegerField(label=_("人员编号（孤寡老人、孤儿等）"), required=False, min_value=1)
    helpers = forms.ModelMultipleChoiceField(label=_("帮扶责任人"), queryset=None, widget=forms.CheckboxSelectMultiple)
    start_date = forms.DateField(label=_("起始日期"), widget=DateInput, initial=timezone.localdate)
    end_date = forms.DateField(label=_("终止日期"), required=False, widget=DateInput)
    measures = forms.MultipleChoiceField(label=_("帮扶措施"), choices=c.Measure.choices, required=False, widget=forms.CheckboxSelectMultiple)
    measures_note = forms.CharField(label=_("措施说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpers"].queryset = access.helper_queryset(user).filter(active=True).order_by("region_code", "name")
        self.fields["village"] = regions_field(user, [Level.VILLAGE], label=_("村（社区）（村级结对）"), required=False)


class PairingEndForm(forms.Form):
    end_date = forms.DateField(label=_("终止日期"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("终止原因"), max_length=255, required=False)


class VisitForm(forms.Form):
    date = forms.DateField(label=_("走访日期"), widget=DateInput, initial=timezone.localdate)
    way = forms.ChoiceField(label=_("走访方式"), choices=c.VisitWay.choices)
    visitors = forms.ModelMultipleChoiceField(label=_("走访人"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    other_visitors = forms.CharField(label=_("其他参加人员"), max_length=255, required=False)
    findings = forms.CharField(label=_("了解到的情况"), widget=forms.Textarea(attrs={"rows": 4}))
    needs = forms.CharField(label=_("提出的需求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("后续措施"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # On a phone this opens the camera straight away (capture); the field above still picks saved
    # photos and scans. The service checks both alike (type by content, size).
    photos = MultipleFileField(label=_("现场拍照"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    files = MultipleFileField(label=_("照片或扫描件（JPEG、PNG、PDF）"), required=False)

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = pairing.helpers.order_by("name")


class AttachmentForm(forms.Form):
    files = MultipleFileField(label=_("照片或扫描件（JPEG、PNG、PDF）"))


class ProposalForm(forms.Form):
    """One proposed change: a household field, or a member's field."""

    FIELD_CHOICES = [
        ("household:housing_safety", _("住房安全")),
        ("household:address", _("住址")),
        ("person:enrolled", _("在校")),
        ("person:dropped_out", _("辍学")),
        ("person:disability_suspected", _("疑似残疾未办证")),
        ("person:living_situation", _("居住状况")),
        ("person:labor_capacity", _("劳动能力")),
        ("person:phone", _("联系电话")),
    ]
    person = forms.TypedChoiceField(label=_("成员（更新成员信息时选择）"), coerce=int, required=False, empty_value=None)
    field = forms.ChoiceField(label=_("拟更新项目"), choices=FIELD_CHOICES)
    value = forms.CharField(label=_("新值"), max_length=255,
                            help_text=_("住房安全填 safe / c_grade / d_grade / no_housing；是/否填 是 或 否；居住状况填 alone / left_behind / with_family"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [(p.pk, p.name) for p in members]

    def clean(self):
        data = super().clean()
        target, _sep, name = (data.get("field") or ":").partition(":")
        value = (data.get("value") or "").strip()
        if name in ("enrolled", "dropped_out", "disability_suspected"):
            if value not in ("是", "否", "true", "false", "yes", "no"):
                self.add_error("value", _("请填写“是”或“否”"))
            value = value in ("是", "true", "yes")
        if target == "person" and not data.get("person"):
            self.add_error("person", _("请选择成员"))
        if target == "household":
            data["person"] = None
        data["changes"] = {name: value}
        return data


class RejectForm(forms.Form):
    note = forms.CharField(label=_("不采纳的理由"), max_length=255)


class ItemAssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)
    due_date = forms.DateField(label=_("办理期限"), widget=DateInput, required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        from bangfu.accounts.models import User

        region = RegionCode(item.region_code)
        codes = [region.ancestor_or_self(COUNTY).code, region.ancestor_or_self(TOWNSHIP).code, region.code]
        self.fields["owner"].queryset = User.objects.filter(is_active=True, region__code__in=codes).exclude(role="helper").order_by("username")


class ReferralForm(forms.Form):
    target = forms.ChoiceField(label=_("转介部门"), choices=c.ReferralTarget.choices)
    target_name = forms.CharField(label=_("接收单位或联系人"), max_length=128, required=False)
    referred_on = forms.DateField(label=_("转介日期"), widget=DateInput, initial=timezone.localdate)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))
    answered_on = forms.DateField(label=_("答复日期"), widget=DateInput, initial=timezone.localdate)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("办结原因"), choices=[x for x in c.CloseReason.choices if x[0] != c.CloseReason.FLAG_CLEARED])
    note = forms.CharField(label=_("说明"), required=False, max_length=255)


class ItemCreateForm(forms.Form):
    person = forms.TypedChoiceField(label=_("人员"), coerce=int)
    kind = forms.ChoiceField(label=_("类型"), choices=c.ItemKind.choices, initial=c.ItemKind.EMPLOYMENT)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in members]


class YuanField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return yuan_to_fen(value)
        except InvalidAmount as exc:
            raise forms.ValidationError(str(exc)) from None


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=c.MeetingKind.choices)
    date = forms.DateField(label=_("会议日期"), widget=DateInput, initial=timezone.localdate)
    title = forms.CharField(label=_("会议名称"), max_length=255)
    attendees = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}))
    decisions = forms.CharField(label=_("会议决定"), widget=forms.Textarea(attrs={"rows": 3}))
    households = forms.CharField(label=_("审议的家庭及金额"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("每行一户：家庭编号,金额（元）,说明；金额和说明可不填"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = regions_field(user, [Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY], label=_("召开单位所在区划"))

    def clean_households(self):
        rows = []
        for number, line in enumerate((self.cleaned_data.get("households") or "").splitlines(), start=1):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not parts[0]:
                continue
            try:
                household_id = int(parts[0])
                amount = yuan_to_fen(parts[1]) if len(parts) > 1 and parts[1] else None
            except (ValueError, InvalidAmount) as exc:
                raise forms.ValidationError(_("第 %(n)s 行：%(e)s") % {"n": number, "e": exc if isinstance(exc, InvalidAmount) else _("家庭编号应为数字")})
            rows.append({"household_id": household_id, "amount_fen": amount, "note": ",".join(parts[2:])})
        return rows


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year)
    name = forms.CharField(label=_("名称（可不填）"), max_length=128, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = regions_field(user, [Level.TOWNSHIP, Level.COUNTY], label=_("组织区划（乡镇或县）"))


class VillageProgressForm(forms.Form):
    working_group_on = forms.DateField(label=_("成立工作小组日期"), widget=DateInput, required=False)
    training_on = forms.DateField(label=_("召开动员培训会日期"), widget=DateInput, required=False)
    survey_reported_on = forms.DateField(label=_("摸底数据报送街道日期"), widget=DateInput, required=False)
    identification_done_on = forms.DateField(label=_("完成精准识别日期"), widget=DateInput, required=False)
    note = forms.CharField(label=_("备注"), max_length=255, required=False)


class GoalForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year)
    collective_income = YuanField(label=_("村集体经济收入（元）"))
    per_capita_income = YuanField(label=_("农民人均可支配收入（元）"))
    note = forms.CharField(label=_("说明"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = regions_field(user, [Level.VILLAGE], label=_("村（社区）"))
