"""Forms of the case pages. Each transition has its own small set of fields (ACTION_FIELDS); the
form carries the case's `version` (optimistic check in services.case_perform)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.access import in_scope
from bangfu.regions.codes import RegionCode
from bangfu.regions.scoping import within_q
from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.common.idnumber import parse_id_number
from bangfu.common.money import InvalidAmount, yuan_to_fen
from bangfu.regions.choices import Level as RegionLevel
from bangfu.regions.models import Region
from bangfu.common.widgets import DateInput

from bangfu.benefits.choices import SupportMode

from .choices import CaseType, Proposal

ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "request_documents": ("documents",),
    "accept": ("household_id", "comment"),
    "verify_identity": ("comment",),
    "decline": ("comment",),
    "start_investigation": ("comment",),
    "record_investigation": ("investigators", "visited_on", "visit_record", "economic_check", "support_mode"),
    "propose_approval": ("comment",),
    "propose_rejection": ("comment",),
    "objection_reinvestigate": ("received_on", "comment"),
    "objection_democratic_review": ("received_on", "comment"),
    "democratic_review": ("comment",),
    "end_notice": (),
    "approve": ("amount_yuan", "comment"),
    "reject": ("comment",),
    "return_to_township": ("comment",),
    "notify_rejection": ("comment",),
    "grant_first": ("amount_yuan",),
    "grant_first_refer": ("amount_yuan", "comment"),
    "county_grant_first": ("amount_yuan", "comment"),
    "complete": ("comment",),
    "record_findings": ("proposal", "amount_yuan", "exit_months", "comment"),
    "decide": ("comment",),
    "return_findings": ("comment",),
    "record_relative": ("related_staff", "name", "relation"),
    "county_visit": ("visited_on", "comment"),
    "extend": ("comment",),
}


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    action = forms.CharField(widget=forms.HiddenInput)
    documents = forms.CharField(label=_("需补齐的全部材料（每行一项）"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    household_id = forms.IntegerField(label=_("关联家庭户号"), required=False, min_value=1, max_value=2**63 - 1,
                                      help_text=_("网上申请尚未关联家庭的，填写申请家庭在档案中的户号"))
    investigators = forms.ModelMultipleChoiceField(label=_("调查人员（至少两名）"), queryset=User.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    visited_on = forms.DateField(label=_("入户日期"), required=False, widget=DateInput())
    received_on = forms.DateField(label=_("收到异议日期"), required=False, widget=DateInput())
    visit_record = forms.CharField(label=_("入户调查记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    economic_check = forms.CharField(label=_("家庭经济状况核对结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    support_mode = forms.ChoiceField(label=_("特困供养方式"), required=False,
                                     choices=[("", _("按居住状况（居住在机构的为集中供养）"))] + list(SupportMode.choices),
                                     help_text=_("测评按供养方式计算照料护理标准（国发〔2016〕14号）"))
    amount_yuan = forms.CharField(label=_("金额（元）"), required=False, max_length=16,
                                  help_text=_("留空则采用测评金额"))
    proposal = forms.ChoiceField(label=_("处理意见"), choices=[("", "—")] + list(Proposal.choices), required=False)
    exit_months = forms.IntegerField(label=_("渐退月数（1—6）"), required=False, min_value=1, max_value=6)
    related_staff = forms.ModelChoiceField(label=_("相关工作人员（系统用户）"), queryset=User.objects.none(), required=False)
    name = forms.CharField(label=_("姓名（村委会成员等无账号人员）"), required=False, max_length=64)
    relation = forms.CharField(label=_("亲属关系"), required=False, max_length=32)
    comment = forms.CharField(label=_("意见或说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_obj = case
        self.action_name = action
        keep = {"version", "action", *ACTION_FIELDS.get(action, ())}
        if case.case_type == CaseType.TEKUN:
            keep.discard("amount_yuan")  # the engine's tekun amount, not a typed figure (issue 14)
        else:
            keep.discard("support_mode")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        staff = User.objects.filter(within_q(RegionCode(case.region_code).county, "region__code"), is_active=True,
                                    role__in=[Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER]).order_by("username")
        # only staff whose region contains the case (their own village, township or county)
        staff = staff.filter(pk__in=[u.pk for u in staff.select_related("region") if in_scope(u, case.region_code)])
        if "investigators" in self.fields:
            self.fields["investigators"].queryset = staff
            self.fields["investigators"].label_from_instance = lambda u: _("%(name)s（%(code)s）") % {
                "name": u.get_full_name() or u.username, "code": u.get_role_display()}
        if "related_staff" in self.fields:
            self.fields["related_staff"].queryset = staff
        self.initial.setdefault("version", case.version)
        self.initial.setdefault("action", action)

    def clean_amount_yuan(self):
        raw = (self.cleaned_data.get("amount_yuan") or "").strip()
        if not raw:
            return None
        try:
            fen = yuan_to_fen(raw)
        except InvalidAmount as exc:  # not a number, more than two decimals, above the maximum
            raise ValidationError(str(exc)) from None
        except (ValueError, ArithmeticError, TypeError):
            raise ValidationError(_("金额应为数字，最多两位小数")) from None
        if fen is None or fen <= 0:
            raise ValidationError(_("金额必须大于零"))
        return fen

    def service_data(self) -> dict:
        d = self.cleaned_data
        out = {k: v for k, v in d.items() if k not in ("version", "action", "amount_yuan", "documents", "investigators",
                                                       "related_staff")}
        if "amount_yuan" in d:
            out["amount_fen"] = d["amount_yuan"]
        if "documents" in d:
            out["documents"] = [line.strip() for line in (d["documents"] or "").splitlines() if line.strip()]
        if "investigators" in d:
            out["investigators"] = [u.pk for u in d["investigators"] or []]
        if "related_staff" in d:
            out["related_staff"] = d["related_staff"].pk if d["related_staff"] else None
        return {k: v for k, v in out.items() if v not in (None, "")} | {"comment": d.get("comment", "")}


class CaseCreateForm(forms.Form):
    """A worker enters an application (pre-filled by ?household=&type=&origin= from other apps)."""

    case_type = forms.ChoiceField(label=_("申请类型"), choices=[c for c in CaseType.choices
                                                            if c[0] not in ("review", "benefit_change", "termination")])
    household = forms.IntegerField(label=_("家庭户号"), min_value=1, max_value=2**63 - 1)
    person = forms.IntegerField(label=_("申请成员编号（单独申请、特困认定必填）"), required=False, min_value=1, max_value=2**63 - 1)
    applied_on = forms.DateField(label=_("申请日期"), required=False, widget=DateInput())
    statement = forms.CharField(label=_("申请事由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    emergency_event = forms.ChoiceField(label=_("急难事件（急难型临时救助）"), required=False, choices=[
        ("", "—"), ("disaster", _("自然灾害")), ("epidemic", _("疫情")), ("fire", _("火灾")), ("accident", _("意外事故")),
        ("illness", _("突发重病")), ("other", _("其他"))])
    emergency_date = forms.DateField(label=_("事件发生日期"), required=False, widget=DateInput())
    emergency_loss_yuan = forms.CharField(label=_("损失或急需支出（元）"), required=False, max_length=16)
    related_staff_name = forms.CharField(label=_("与申请人有近亲属关系的工作人员或村委会成员"), required=False, max_length=64)
    related_staff_relation = forms.CharField(label=_("亲属关系"), required=False, max_length=32)
    origin = forms.CharField(label=_("来源说明"), required=False, max_length=255)

    def clean_emergency_loss_yuan(self):
        raw = (self.cleaned_data.get("emergency_loss_yuan") or "").strip()
        if not raw:
            return None
        try:
            fen = yuan_to_fen(raw)
        except InvalidAmount as exc:  # not a number, more than two decimals, above the maximum
            raise ValidationError(str(exc)) from None
        except (ValueError, ArithmeticError, TypeError):
            raise ValidationError(_("金额应为数字，最多两位小数")) from None
        if fen is None or fen < 0:
            raise ValidationError(_("金额不能为负数"))
        return fen

    def clean(self):
        d = super().clean()
        if d.get("related_staff_name") and not d.get("related_staff_relation"):
            self.add_error("related_staff_relation", _("请填写亲属关系"))
        return d


class OnlineApplicationForm(forms.Form):
    """The public form (no login, R15 "or online")."""

    case_type = forms.ChoiceField(label=_("申请事项"), choices=[
        (CaseType.DIBAO, CaseType.DIBAO.label), (CaseType.DIBAO_INDIVIDUAL, CaseType.DIBAO_INDIVIDUAL.label),
        (CaseType.TEKUN, CaseType.TEKUN.label), (CaseType.TEMPORARY_EXPENDITURE, CaseType.TEMPORARY_EXPENDITURE.label)])
    village = forms.CharField(label=_("户籍所在村（社区）12 位区划代码"), max_length=12, min_length=12)
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=64)
    applicant_id_number = forms.CharField(label=_("申请人身份证号"), max_length=18)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20)
    address = forms.CharField(label=_("现住址"), max_length=255)
    statement = forms.CharField(label=_("申请事由（家庭人口、收入、困难情况）"), widget=forms.Textarea(attrs={"rows": 4}),
                                max_length=2000)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty

    def clean_village(self):
        code = self.cleaned_data["village"].strip()
        region = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).first() if code.isdigit() else None
        if region is None:
            raise ValidationError(_("没有这个村（社区）代码，请向村（社区）工作人员询问"))
        return region

    def clean_applicant_id_number(self):
        try:
            return parse_id_number(self.cleaned_data["applicant_id_number"]).number
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean_applicant_phone(self):
        phone = self.cleaned_data["applicant_phone"].strip()
        if not phone.replace("-", "").isdigit() or len(phone.replace("-", "")) < 7:
            raise ValidationError(_("请填写正确的电话号码"))
        return phone

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("提交无效"))
        return ""


class LookupForm(forms.Form):
    receipt_number = forms.CharField(label=_("回执号"), max_length=16)
    id_number = forms.CharField(label=_("申请人身份证号"), max_length=18)


class JobOfferForm(forms.Form):
    """A job offered to a member (暂行办法 §45)."""

    offered_by = forms.CharField(label=_("介绍单位"), max_length=128)
    offered_on = forms.DateField(label=_("介绍日期"), widget=DateInput())
    job = forms.CharField(label=_("介绍的工作"), max_length=255)
    outcome = forms.ChoiceField(label=_("结果"), choices=[("refused", _("拒绝")), ("accepted", _("接受"))])
    good_reason = forms.BooleanField(label=_("有正当理由"), required=False)
    reason_note = forms.CharField(label=_("拒绝理由"), max_length=255, required=False)


class InboxFilterForm(forms.Form):
    """The inbox's filters, read from the query string (GET, so a filtered list can be shared as a
    link). Invalid parts are dropped, except a region outside the choices, which filters to nothing
    (the selector is scoped) rather than widening the list."""

    tab = forms.ChoiceField(required=False, choices=[("mine", _("等我处理")), ("others", _("等他人处理"))])
    q = forms.CharField(label=_("姓名、身份证号或回执号"), required=False, max_length=32,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("姓名、身份证号（或末几位）、回执号")}))
    case_type = forms.ChoiceField(label=_("案件类型"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)
    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    village = forms.ChoiceField(label=_("村（社区）"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    def __init__(self, *args, townships, villages, **kwargs):
        from .choices import OPEN_STATES, CaseState

        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [("", _("全部类型")), *CaseType.choices]
        self.fields["state"].choices = [("", _("全部状态"))] + [(v, label) for v, label in CaseState.choices if v in OPEN_STATES]
        self.fields["township"].choices = [("", _("全部乡镇（街道）")), *townships]
        self.fields["village"].choices = [("", _("全部村（社区）")), *villages]

    def filter_values(self) -> dict:
        """The filter as selectors.InboxFilter takes it."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def region(name):
            return data.get(name) or (str(self.data.get(name, ""))[:12] if name in self.errors else "")

        return {"tab": data.get("tab") or "mine", "q": data.get("q", ""), "case_type": data.get("case_type", ""),
                "state": data.get("state", ""), "township": region("township"), "village": region("village"),
                "overdue": bool(data.get("overdue"))}
