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
