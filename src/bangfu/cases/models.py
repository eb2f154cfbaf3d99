"""Cases: applications, investigations, notices, decisions, reviews (issue 4; R5, R12, R15, R16, R2).

A `Case` carries the household's 12-digit `region_code` (scoping, accounts.access) and a `version`
that every transition checks and bumps (services.case_perform). Each transition writes a `CaseEvent`,
the audit trail and the timeline of the case page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Right
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.regions.scoping import RegionQuerySet

from .choices import CaseState, CaseType, ObjectionOutcome, Origin, Proposal

# Stored instead of NULL when a step has no legal time limit, so the inbox can order and page on
# one non-null column (keyset on (due_date, id)); shown as "—".
NO_DEADLINE = dt.date(9999, 12, 31)


class Level(models.TextChoices):
    VILLAGE = "village", _("村（社区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县级民政部门")


class Case(models.Model):
    case_type = models.CharField(_("案件类型"), max_length=24, choices=CaseType.choices)
    state = models.CharField(_("状态"), max_length=24, choices=CaseState.choices, default=CaseState.SUBMITTED)
    version = models.PositiveIntegerField(_("版本"), default=1)
    region_code = models.CharField(_("区划代码"), max_length=12)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="cases")
    person = models.ForeignKey("registry.Person", verbose_name=_("申请人（单独申请/特困）"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="cases")
    benefit = models.ForeignKey("benefits.Benefit", verbose_name=_("待遇"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    benefit_change = models.ForeignKey("policy.BenefitChange", verbose_name=_("核算发现的变化"),
                                       on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices, default=Origin.WORKER)
    origin_note = models.CharField(_("来源说明"), max_length=255, blank=True)
    # Applicant as entered (the online form has no household yet; 办法 §4: one member applies).
    applicant_name = models.CharField(_("申请人姓名"), max_length=64, blank=True)
    applicant_id_number = models.CharField(_("申请人身份证号"), max_length=18, blank=True)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=255, blank=True)
    statement = models.TextField(_("申请事由"), blank=True)
    # An online application names an ID number that anyone may type: when it attaches the case to
    # that member's household, the applicant is not yet known to be that member. The township checks
    # them in person (action "verify_identity") before it accepts the case (issue 13).
    identity_unverified = models.BooleanField(_("身份未核实"), default=False)
    receipt_number = models.CharField(_("回执号"), max_length=16, unique=True, null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Acceptance and documents (办法 §10: the township asks once for everything missing).
    applied_on = models.DateField(_("申请日期"))
    missing_documents = models.JSONField(_("需补齐材料"), default=list, blank=True)
    documents_requested_on = models.DateField(_("一次性告知补齐材料日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    # Who decides: township where the county delegated approval (R5) or, for temporary
    # assistance, where the amount is within the township's limit; else the county.
    delegated = models.BooleanField(_("审批权限委托乡镇"), default=False)
    decider_level = models.CharField(_("决定层级"), max_length=16, choices=Level.choices, default=Level.COUNTY)
    # Deadlines (办法 §15, §20–22), in Chinese working days (workdays.py).
    step_deadline = models.DateField(_("本环节时限"), null=True, blank=True)
    overall_deadline = models.DateField(_("办结时限"), null=True, blank=True)
    due_date = models.DateField(_("最近时限"), default=NO_DEADLINE, db_index=True)
    # The level whose move the case waits for (transitions.waiting_level), kept with the state so the
    # inbox is one index range: (waits_for, due_date, id). Empty once the case is closed.
    waits_for = models.CharField(_("待办层级"), max_length=16, choices=Level.choices, blank=True)
    extended = models.BooleanField(_("已延长时限"), default=False)
    extension_reason = models.CharField(_("延长理由"), max_length=255, blank=True)
    # Engine determination attached to the case (policy.determination), with its reasons.
    determination = models.JSONField(_("政策测评结果"), default=dict, blank=True)
    determined_on = models.DateField(_("测评日期"), null=True, blank=True)
    amount_fen = models.BigIntegerField(_("核定金额（分）"), null=True, blank=True)
    review_class = models.CharField(_("核查分类"), max_length=1, blank=True)
    # Emergency event of an emergency-type temporary assistance case (暂行办法 §47): fed to the
    # engine with the household's registry data, whose grades give the amount.
    emergency_event = models.CharField(_("急难事件"), max_length=16, blank=True, choices=[
        ("disaster", _("自然灾害")), ("epidemic", _("疫情")), ("fire", _("火灾")), ("accident", _("意外事故")),
        ("illness", _("突发重病")), ("other", _("其他"))])
    emergency_date = models.DateField(_("事件发生日期"), null=True, blank=True)
    emergency_loss_fen = models.BigIntegerField(_("损失或急需支出（分）"), null=True, blank=True)
    # An emergency above the township's limit (暂行办法 §48; 国发〔2014〕47号 紧急程序): the township
    # pays its limit first and the rest goes to the county; this is what the township paid.
    paid_first_fen = models.BigIntegerField(_("乡镇先行救助金额（分）"), null=True, blank=True)
    # Township initial review (初审).
    initial_opinion = models.TextField(_("初审意见"), blank=True)
    initial_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("初审人"), on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+")
    # Public notice (公示, 办法 §19): 7 days in the village.
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    democratic_review_record = models.TextField(_("民主评议记录"), blank=True)
    # Staff relatives (办法 §11, §20).
    related_staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("相关工作人员"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    related_staff_name = models.CharField(_("相关工作人员或村委会成员姓名"), max_length=64, blank=True)
    related_staff_relation = models.CharField(_("亲属关系"), max_length=32, blank=True)
    county_visit_on = models.DateField(_("县级入户核查日期"), null=True, blank=True)
    county_visit_record = models.TextField(_("县级入户核查记录"), blank=True)
    county_visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("县级核查人"), on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    # Review / change proposal (办法 §31–33).
    findings = models.TextField(_("核查情况"), blank=True)
    proposal = models.CharField(_("处理意见"), max_length=16, choices=Proposal.choices, blank=True)
    exit_months = models.PositiveSmallIntegerField(_("渐退月数"), default=0)
    # Decision.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    notified_on = models.DateField(_("书面告知日期"), null=True, blank=True)
    # The written notice of the decision (notices.py): the office that issued it and its number from
    # the office's yearly counter (`DocumentCounter`), allocated once, with the decision.
    issuing_office = models.CharField(_("发文机关"), max_length=64, blank=True)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        indexes = [
            models.Index(fields=["waits_for", "due_date", "id"], name="case_inbox"),
            # A township's (or a village's) inbox: its own range of codes among what waits for its
            # level, sorted after (a few hundred rows) instead of walking case_inbox through every
            # other township's cases (benchmarks/inbox_plans.py, 100,000 cases: 135 ms → about 1 ms).
            models.Index(fields=["waits_for", "region_code", "due_date", "id"], name="case_inbox_region"),
            models.Index(fields=["region_code", "due_date", "id"], name="case_region_due"),
            models.Index(fields=["household", "case_type"], name="case_household_type"),
            # Overdue counts per office (selectors.overdue_by_office): an index-only range on
            # due_date < today, the region code read off the index; closed cases (NO_DEADLINE) left out.
            models.Index(fields=["due_date", "region_code"], name="case_overdue_count",
                         condition=models.Q(due_date__lt=NO_DEADLINE)),
            # The inbox's search (selectors._search_q): the last four characters of the applicant's
            # ID number, and the start of the name (a pattern operator class on PostgreSQL, whose
            # LIKE 'x%' uses no plain index under a non-C collation; ignored by SQLite).
            models.Index(Right("applicant_id_number", 4), name="case_applicant_id_tail"),
            models.Index(fields=["applicant_name"], name="case_applicant_name", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__isnull=True) | models.Q(amount_fen__gte=0),
                                   name="case_amount_nonnegative"),
            models.CheckConstraint(condition=models.Q(exit_months__lte=6), name="case_exit_months_max_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        from .choices import FINAL_STATES

        return self.state not in FINAL_STATES

    @property
    def due(self) -> dt.date | None:
        return None if self.due_date == NO_DEADLINE else self.due_date


class Investigation(models.Model):
    """The household visit (入户调查, 办法 §15–17): at least two investigators, the visit record and
    the economic-check result (核对)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    region_code = models.CharField(max_length=12)
    started_on = models.DateField(_("开始调查日期"))
    visited_on = models.DateField(_("入户日期"), null=True, blank=True)
    investigators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("调查人员"), related_name="+")
    visit_record = models.TextField(_("入户调查记录"), blank=True)
    economic_check = models.TextField(_("家庭经济状况核对结果"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")


class Objection(models.Model):
    """An objection received during the public notice (办法 §19)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="objections")
    region_code = models.CharField(max_length=12)
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    outcome = models.CharField(_("处理方式"), max_length=24, choices=ObjectionOutcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")


class CaseEvent(models.Model):
    """One transition: who, when, from, to, action, comment (issue 4 "Reliability")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    region_code = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=24, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24)
    comment = models.TextField(_("说明"), blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def get_from_state_display(self) -> str:
        return CaseState(self.from_state).label if self.from_state in CaseState.values else "—"

    def get_to_state_display(self) -> str:
        return CaseState(self.to_state).label if self.to_state in CaseState.values else self.to_state


class HolidayCalendar(models.Model):
    """A year's public holidays and make-up working days (调休) as the State Council's notice sets
    them, entered by an administrator (issue 17): the `chinesecalendar` package knows a year only
    after a new release. Saving it rewrites the year's `WorkdayOverride` rows that it owns."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    document = models.CharField(_("依据文件"), max_length=255,
                                help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"))
    holidays = models.TextField(_("放假日期"), help_text=_("每行一段：起始日期[至截止日期] 名称，如“2027-01-01 元旦”“2027-02-06至2027-02-13 春节”"))
    makeup_days = models.TextField(_("调休上班日期"), blank=True, help_text=_("每行一天：日期 说明，如“2027-02-14 春节调休上班”"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}


class DocumentCounter(models.Model):
    """The last number an office gave a written notice in a year ("X民救〔2026〕17号"). One row per
    office and year; `notices.document_number_allocate` locks it and adds one."""

    office_code = models.CharField(_("发文机关区划代码"), max_length=12)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用文号"), default=0)

    class Meta:
        verbose_name = _("文号计数")
        verbose_name_plural = _("文号计数")
        constraints = [models.UniqueConstraint(fields=["office_code", "year"], name="documentcounter_office_year")]

    def __str__(self) -> str:
        return f"{self.office_code} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """A printed document other than a case's decision (a village's public-notice list, a month's
    payroll sheet) that took a number from its office's `DocumentCounter`. One row per document
    (`kind`, `key`): downloading the same document again shows the same number and date, and a
    new document (another village, another set of cases, another payroll) takes the next number."""

    kind = models.CharField(_("文书类型"), max_length=24)
    key = models.CharField(_("文书标识"), max_length=128)
    region_code = models.CharField(_("区划代码"), max_length=12)
    office_code = models.CharField(_("发文机关区划代码"), max_length=12)
    issuing_office = models.CharField(_("发文机关"), max_length=64)
    document_number = models.CharField(_("文号"), max_length=64)
    issued_on = models.DateField(_("发文日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("已编号文书")
        verbose_name_plural = _("已编号文书")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="issueddocument_kind_key")]

    def __str__(self) -> str:
        return f"{self.issuing_office} {self.document_number}"


class WorkdayOverride(models.Model):
    """A day the deployment declares a working day or a day off; wins over chinesecalendar. Rows
    with a `calendar` come from a year's notice and are rewritten with it; rows without one are
    local adjustments entered one by one."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    calendar = models.ForeignKey(HolidayCalendar, verbose_name=_("年度节假日安排"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="days")

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {_('上班') if self.is_workday else _('休息')}"


class ApprovalDelegation(models.Model):
    """A county's delegation of approval to its townships (R5; 办法 §22: 20 working days)."""

    county_code = models.CharField(_("县级区划代码"), max_length=12)
    programme = models.CharField(_("救助项目"), max_length=24, choices=[("dibao", _("低保")), ("tekun", _("特困供养"))])
    valid_from = models.DateField(_("起始日期（含）"))
    valid_to = models.DateField(_("截止日期（不含）"), null=True, blank=True)
    document = models.CharField(_("依据文件"), max_length=255)

    class Meta:
        verbose_name = _("审批权限委托")
        verbose_name_plural = _("审批权限委托")
        indexes = [models.Index(fields=["county_code", "programme"], name="delegation_county")]

    def __str__(self) -> str:
        return f"{self.county_code} {self.programme} {self.valid_from}"


class OnlineAttempt(models.Model):
    """One submission of the public application form, kept to rate-limit per address."""

    ip_address = models.GenericIPAddressField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "at"], name="online_attempt_ip_at")]
