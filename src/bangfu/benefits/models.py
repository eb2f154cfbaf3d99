"""Benefits: what a household (or one member) is paid, from which month, under which programme,
with the full amount history and the review schedule (issue 4 "Enrolment", "Periodic review").

Months are stored as the date of their first day. `start_month` is the first paid month,
`end_month` the last paid month (inclusive; None while open). A month M is paid when
start_month ≤ M ≤ end_month. The amount paid in M is the `BenefitAmount` row with
from_month ≤ M ≤ to_month (to_month None = open); a STOP row carries 0.

Case ids are plain integers: the `cases` app imports this one, never the other way round.
Every row carries the household's 12-digit `region_code` so `Benefit.objects.visible_to(user)` applies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet

from . import choices as c


class Benefit(models.Model):
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="benefits")
    person = models.ForeignKey("registry.Person", verbose_name=_("享受人员"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="benefits", help_text=_("单独提出申请或特困供养人员；整户享受的为空"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    programme = models.CharField(_("救助项目"), max_length=24, choices=c.Programme.choices)
    status = models.CharField(_("状态"), max_length=16, choices=c.BenefitStatus.choices, default=c.BenefitStatus.ACTIVE)
    monthly_amount_fen = models.BigIntegerField(_("月待遇（分）"))
    start_month = models.DateField(_("起始发放月"))
    end_month = models.DateField(_("最后发放月"), null=True, blank=True)
    review_class = models.CharField(_("核查分类"), max_length=1, choices=c.ReviewClass.choices, blank=True)
    support_mode = models.CharField(_("供养方式"), max_length=16, choices=c.SupportMode.choices, blank=True,
                                    help_text=_("特困供养：分散或集中；其他项目为空"))
    next_review_date = models.DateField(_("下次核查日期"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近核查日期"), null=True, blank=True)
    last_review_case_id = models.PositiveBigIntegerField(_("最近核查案件编号"), null=True, blank=True)
    review_reason = models.CharField(_("提前核查原因"), max_length=128, blank=True)
    granted_case_id = models.PositiveBigIntegerField(_("批准案件编号"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("救助待遇")
        verbose_name_plural = _("救助待遇")
        indexes = [
            # the due-review worklist: open benefits of a region range, oldest due first
            models.Index(fields=["status", "region_code", "next_review_date"], name="benefit_status_region_due"),
            # …and for a county or province, where walking the dates in order finds the oldest first
            models.Index(fields=["status", "next_review_date", "region_code"], name="benefit_status_due_region"),
            models.Index(fields=["region_code", "programme"], name="benefit_region_programme"),
        ]
        constraints = [
            # One open benefit per programme for a household (整户) and one per person (办法 §21 enrolment):
            # the service refuses it with a message, the database is the last guard under concurrency.
            models.UniqueConstraint(fields=["household", "programme"], condition=models.Q(person__isnull=True, status__in=c.OPEN_STATUSES),
                                    name="benefit_one_open_per_household"),
            models.UniqueConstraint(fields=["household", "programme", "person"], condition=models.Q(person__isnull=False, status__in=c.OPEN_STATUSES),
                                    name="benefit_one_open_per_person"),
            models.CheckConstraint(condition=models.Q(monthly_amount_fen__gte=0), name="benefit_amount_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {self.household_id}"

    def pays_in(self, month) -> bool:
        return self.start_month <= month and (self.end_month is None or month <= self.end_month)

    @property
    def is_open(self) -> bool:
        return self.status in c.OPEN_STATUSES

    @property
    def status_now(self) -> str:
        """The status as of today: a gradual exit whose last month has passed has ended (the row
        itself is marked stopped when the household is next enrolled, services._close_finished_exits)."""
        from django.utils import timezone

        if self.status == c.BenefitStatus.GRADUAL_EXIT and self.end_month and self.end_month < timezone.localdate().replace(day=1):
            return c.BenefitStatus.STOPPED
        return self.status

    def get_status_now_display(self) -> str:
        return c.BenefitStatus(self.status_now).label


class BenefitAmount(models.Model):
    """One decision on a benefit's amount: the full amount history (issue 4 "Enrolment").

    `to_month` is the last month (inclusive) the amount applied; None while it still applies.
    A row whose to_month precedes its from_month was superseded before it took effect."""

    benefit = models.ForeignKey(Benefit, verbose_name=_("救助待遇"), on_delete=models.CASCADE, related_name="amounts")
    region_code = models.CharField(_("区划代码"), max_length=12)
    # the benefit's programme, repeated: the monthly register groups these rows without a join
    programme = models.CharField(_("救助项目"), max_length=24, choices=c.Programme.choices)
    kind = models.CharField(_("变动类型"), max_length=16, choices=c.ChangeKind.choices)
    amount_fen = models.BigIntegerField(_("月金额（分）"))
    # tekun (国发〔2016〕14号 二、（三）): the amount's two parts, basic living + care; null otherwise
    basic_fen = models.BigIntegerField(_("其中基本生活（分）"), null=True, blank=True)
    care_fen = models.BigIntegerField(_("其中照料护理（分）"), null=True, blank=True)
    from_month = models.DateField(_("起始月"))
    to_month = models.DateField(_("截止月"), null=True, blank=True)
    case_id = models.PositiveBigIntegerField(_("案件编号"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("待遇金额变动")
        verbose_name_plural = _("待遇金额变动")
        ordering = ["benefit", "from_month", "id"]
        indexes = [
            # the monthly register: rows in force in a month, by region range
            models.Index(fields=["region_code", "from_month"], name="benefitamount_region_from"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="benefitamount_nonnegative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen} @ {self.from_month:%Y-%m}"


class OneOffPayment(models.Model):
    """A one-off temporary assistance payment (临时救助), emergency or expenditure type (issue 4)."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="one_off_payments")
    region_code = models.CharField(_("区划代码"), max_length=12)
    programme = models.CharField(_("救助项目"), max_length=24, choices=c.Programme.choices, default=c.Programme.TEMPORARY, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=c.OneOffKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    approved_on = models.DateField(_("批准日期"))
    month = models.DateField(_("发放月"))
    case_id = models.PositiveBigIntegerField(_("案件编号"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("临时救助发放")
        verbose_name_plural = _("临时救助发放")
        indexes = [models.Index(fields=["region_code", "month"], name="oneoff_region_month")]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="oneoff_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen} ({self.household_id})"


class Overpayment(models.Model):
    """An amount paid that was not due, to be recovered (issue 14): months the ledger paid after the
    holder's death. The payments app (a later issue) reads open rows as receivables.

    `months` lists the months ("YYYY-MM") the benefit's amount history (BenefitAmount) showed as
    due after the month of death up to the month the stop was recorded; `amount_fen` is the sum of
    their amounts."""

    benefit = models.ForeignKey(Benefit, verbose_name=_("救助待遇"), on_delete=models.PROTECT, related_name="overpayments")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("区划代码"), max_length=12)
    reason = models.CharField(_("原因"), max_length=16, choices=c.OverpaymentReason.choices)
    event_date = models.DateField(_("事由日期"), help_text=_("死亡日期"))
    months = models.JSONField(_("多发月份"), default=list)
    amount_fen = models.BigIntegerField(_("应追回金额（分）"))
    state = models.CharField(_("状态"), max_length=16, choices=c.OverpaymentState.choices, default=c.OverpaymentState.OPEN)
    recorded_on = models.DateField(_("登记日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("多发待追回")
        verbose_name_plural = _("多发待追回")
        indexes = [models.Index(fields=["region_code", "state"], name="overpayment_region_state")]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="overpayment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.amount_fen} ({self.benefit_id})"


class JobOffer(models.Model):
    """A job offered to a member of a dibao household (暂行办法 §45): who offered it, when, what,
    and whether the member accepted, or refused with or without a good reason. Three refusals in a
    row without good reason lead to a proposal to reduce or stop that member's own share
    (cases.services.job_offer_record), which an officer decides."""

    person = models.ForeignKey("registry.Person", verbose_name=_("家庭成员"), on_delete=models.PROTECT, related_name="job_offers")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("区划代码"), max_length=12)
    offered_by = models.CharField(_("介绍单位"), max_length=128)
    offered_on = models.DateField(_("介绍日期"))
    job = models.CharField(_("介绍的工作"), max_length=255)
    outcome = models.CharField(_("结果"), max_length=16, choices=c.JobOfferOutcome.choices)
    good_reason = models.BooleanField(_("有正当理由"), default=False)
    reason_note = models.CharField(_("拒绝理由"), max_length=255, blank=True)
    # The benefit-change case the refusal led to (cases): these offers are then spent.
    proposal_case_id = models.PositiveBigIntegerField(_("处理案件编号"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("就业介绍")
        verbose_name_plural = _("就业介绍")
        indexes = [models.Index(fields=["person", "offered_on"], name="joboffer_person_date")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.offered_on} {self.job}"

    @property
    def refused_without_reason(self) -> bool:
        return self.outcome == c.JobOfferOutcome.REFUSED and not self.good_reason


class ReviewExtension(models.Model):
    """A county's extension of due reviews in a major emergency (seed 篇三（四）"发生重大突发事件时，
    核查期限可以适当延长"; R16). The county states its document (name, number, date), the number
    of months and which reviews: the periodic reviews of its open benefits falling due in
    `due_from` … `due_to` (inclusive). Applying it moves each such benefit's next review date by
    `months` (one `ReviewExtensionItem` per benefit, with the date before and after), so the due
    lists and deadlines read the extended date like any other."""

    region_code = models.CharField(_("区划代码"), max_length=12, help_text=_("县（市、区）的12位区划代码"))
    document_name = models.CharField(_("文件名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    document_date = models.DateField(_("发文日期"))
    event = models.CharField(_("重大突发事件"), max_length=200)
    months = models.PositiveSmallIntegerField(_("延长月数"))
    due_from = models.DateField(_("应核查日期自（含）"))
    due_to = models.DateField(_("应核查日期至（含）"))
    benefits_extended = models.PositiveIntegerField(_("延期的核查数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("核查期限延长")
        verbose_name_plural = _("核查期限延长")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_code", "created_at"], name="reviewext_region_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(months__gte=1), name="reviewext_months_positive"),
            models.CheckConstraint(condition=models.Q(due_to__gte=models.F("due_from")), name="reviewext_window_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.document_name} {self.document_number}".strip()


class ReviewExtensionItem(models.Model):
    """One benefit whose review an extension moved: the due date before and after."""

    extension = models.ForeignKey(ReviewExtension, verbose_name=_("核查期限延长"), on_delete=models.PROTECT, related_name="items")
    benefit = models.ForeignKey(Benefit, verbose_name=_("救助待遇"), on_delete=models.PROTECT, related_name="review_extensions")
    region_code = models.CharField(_("区划代码"), max_length=12)
    due_before = models.DateField(_("原应核查日期"))
    due_after = models.DateField(_("延长后应核查日期"))

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("延期的核查")
        verbose_name_plural = _("延期的核查")
        constraints = [models.UniqueConstraint(fields=["extension", "benefit"], name="reviewext_item_once")]
        indexes = [models.Index(fields=["benefit", "due_after"], name="reviewext_item_benefit_due")]

    def __str__(self) -> str:
        return f"{self.benefit_id}: {self.due_before} → {self.due_after}"
