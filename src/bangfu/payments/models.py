"""Payments (issue 15): the account each benefit is paid into, the month's payroll (发放花名册)
with one line per benefit, month paid for and component, and the log of checks and releases.

Months are the date of their first day, as in benefits. Every row carries a 12-digit region code
so that `.visible_to(user)` applies: a payroll the code of its county, a line and an account the
household's. Benefit and household ids are foreign keys downwards (payments stands above benefits
and cases; nothing below imports it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet

from . import choices as c


class PaymentAccount(models.Model):
    """The account a benefit is paid into (一卡通 / 社保卡 / 银行卡), or an institution's account for
    集中供养 tekun. One per benefit; a household's temporary assistance uses the household's latest
    account. Every change is kept (simple-history)."""

    benefit = models.OneToOneField("benefits.Benefit", verbose_name=_("救助待遇"), on_delete=models.PROTECT,
                                   related_name="payment_account", null=True, blank=True)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("区划代码"), max_length=12)
    holder_name = models.CharField(_("账户户名"), max_length=128)
    holder_relation = models.CharField(_("户名与享受人员关系"), max_length=16, choices=c.HolderRelation.choices,
                                       default=c.HolderRelation.SELF)
    bank_name = models.CharField(_("开户银行"), max_length=64)
    bank_code = models.CharField(_("银行代码"), max_length=16, blank=True)
    account_number = models.CharField(_("账号"), max_length=32, db_index=True)
    account_scheme = models.CharField(_("账户类型"), max_length=16, choices=c.AccountScheme.choices, default=c.AccountScheme.BANK_CARD)
    agent_name = models.CharField(_("代理人或监护人姓名"), max_length=64, blank=True)
    agent_id_number = models.CharField(_("代理人或监护人身份证号码"), max_length=18, blank=True)
    agent_reason = models.CharField(_("代领原因"), max_length=255, blank=True)
    institution_name = models.CharField(_("供养机构"), max_length=128, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("收款账户")
        verbose_name_plural = _("收款账户")
        indexes = [models.Index(fields=["household", "id"], name="payaccount_household")]

    def __str__(self) -> str:
        return f"{self.holder_name} {self.bank_name}"


class Payroll(models.Model):
    """One county's payroll for a month (and a programme, or all): draft → checked by every
    township → approved by the county (not its builder) → locked. A regular payroll exists once per
    county, month and programme (database constraint, so two builds at once make one)."""

    region_code = models.CharField(_("县级区划代码"), max_length=12)
    month = models.DateField(_("发放月份"))
    programme = models.CharField(_("救助项目"), max_length=24, blank=True, help_text=_("为空表示全部项目"))
    kind = models.CharField(_("批次类型"), max_length=16, choices=c.PayrollKind.choices, default=c.PayrollKind.REGULAR)
    state = models.CharField(_("状态"), max_length=16, choices=c.PayrollState.choices, default=c.PayrollState.DRAFT)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    line_count = models.PositiveIntegerField(_("笔数"), default=0)
    total_fen = models.BigIntegerField(_("合计（分）"), default=0)
    held_count = models.PositiveIntegerField(_("暂停笔数"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("发放花名册")
        verbose_name_plural = _("发放花名册")
        ordering = ["-month", "region_code", "programme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "month", "programme", "kind"], condition=models.Q(kind="regular"),
                                    name="payroll_one_regular_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_code}"

    @property
    def programme_label(self) -> str:
        from bangfu.benefits.choices import Programme

        return Programme(self.programme).label if self.programme else str(_("全部项目"))


class PayrollLine(models.Model):
    """One payment: a benefit (or a one-off), the month it pays for, its kind and component, the
    amount, and the account as it was when the payroll was built."""

    payroll = models.ForeignKey(Payroll, verbose_name=_("发放花名册"), on_delete=models.CASCADE, related_name="lines")
    benefit = models.ForeignKey("benefits.Benefit", verbose_name=_("救助待遇"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    one_off = models.ForeignKey("benefits.OneOffPayment", verbose_name=_("临时救助"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("享受人员"), on_delete=models.PROTECT, related_name="+",
                               help_text=_("单独享受者本人，整户享受为户主"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    programme = models.CharField(_("救助项目"), max_length=24)
    month = models.DateField(_("所属月份"))
    kind = models.CharField(_("发放类型"), max_length=16, choices=c.LineKind.choices)
    component = models.CharField(_("资金项目"), max_length=16, choices=c.Component.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    account = models.ForeignKey(PaymentAccount, verbose_name=_("收款账户"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    holder_name = models.CharField(_("账户户名"), max_length=128, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=64, blank=True)
    bank_code = models.CharField(_("银行代码"), max_length=16, blank=True)
    account_number = models.CharField(_("账号"), max_length=32, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=c.LineStatus.choices, default=c.LineStatus.PENDING)
    flags = models.JSONField(_("疑点"), default=list, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("放行人"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    release_reason = models.CharField(_("放行理由"), max_length=255, blank=True)
    bank_reason_code = models.CharField(_("银行失败原因代码"), max_length=32, blank=True)
    bank_reason = models.CharField(_("银行失败原因"), max_length=255, blank=True)
    # 补发批次: a line of a supplementary payroll pays again the failed line it points to (always the
    # first, failed line of the chain); the failed line records when it failed and when it was re-paid.
    resend_of = models.ForeignKey("self", verbose_name=_("补发的失败明细"), on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="resends")
    failed_at = models.DateTimeField(_("发放失败时间"), null=True, blank=True)
    repaid_at = models.DateTimeField(_("补发到账时间"), null=True, blank=True)
    # 追回扣减: part of the line kept back to recover an amount paid earlier in error (RecoveryDeduction
    # says which); the bank is sent amount_fen − deducted_fen, never a negative amount.
    deducted_fen = models.BigIntegerField(_("扣减追回（分）"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        indexes = [
            models.Index(fields=["payroll", "region_code", "id"], name="payline_payroll_region"),
            models.Index(fields=["benefit", "month"], name="payline_benefit_month"),
        ]
        constraints = [
            # A benefit's month and component is paid once; an adjustment (补差) adds to it later.
            # A supplementary line (失败补发) pays a failed line again: it is held to once by payline_resend_once.
            models.UniqueConstraint(fields=["benefit", "month", "component"],
                                    condition=models.Q(benefit__isnull=False) & ~models.Q(kind__in=["adjustment", "resend"]),
                                    name="payline_once"),
            models.UniqueConstraint(fields=["one_off"], condition=models.Q(one_off__isnull=False) & ~models.Q(kind="resend"),
                                    name="payline_one_off_once"),
            # A failed line has at most one supplementary line that is not itself failed: never paid twice.
            models.UniqueConstraint(fields=["resend_of"], condition=models.Q(resend_of__isnull=False) & ~models.Q(status="failed"),
                                    name="payline_resend_once"),
            models.CheckConstraint(condition=models.Q(resend_of__isnull=True) | models.Q(kind="resend"), name="payline_resend_kind"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="payline_amount_positive"),
            models.CheckConstraint(condition=models.Q(deducted_fen__gte=0) & models.Q(deducted_fen__lte=models.F("amount_fen")),
                                   name="payline_deduction_within_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m} {self.amount_fen}"

    @property
    def bank_fen(self) -> int:
        """What the bank pays: the amount less any deduction (never negative: constraint)."""
        return self.amount_fen - self.deducted_fen

    @property
    def flag_labels(self) -> list[str]:
        return [c.Flag(f).label for f in self.flags if f in c.Flag.values]


class TownshipCheck(models.Model):
    """A township's check of its lines in a payroll (乡镇审核)."""

    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="township_checks")
    township_code = models.CharField(_("乡镇区划代码"), max_length=12)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("审核时间"), auto_now_add=True)
    note = models.CharField(_("审核意见"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("乡镇审核")
        verbose_name_plural = _("乡镇审核")
        constraints = [models.UniqueConstraint(fields=["payroll", "township_code"], name="township_check_once")]


class PayrollEvent(models.Model):
    """The log of a payroll: built, checked, a line released (with its reason), approved, locked."""

    class Action(models.TextChoices):
        BUILT = "built", _("生成")
        CHECKED = "checked", _("乡镇审核")
        RELEASED = "released", _("放行")
        APPROVED = "approved", _("审批")
        LOCKED = "locked", _("锁定")
        EXPORTED = "exported", _("生成代发文件")
        RETURNED = "returned", _("导入回盘")

    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="events")
    line = models.ForeignKey(PayrollLine, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("花名册操作记录")
        verbose_name_plural = _("花名册操作记录")
        ordering = ["at", "id"]


class BankLayout(models.Model):
    """A bank's file layout for one county (bankfiles.layout_from_dict reads `layout`): the county
    adds or changes its bank here, without code. Seeded from banks.yaml when a county first asks."""

    region_code = models.CharField(_("县级区划代码"), max_length=12)
    code = models.CharField(_("银行代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=128)
    layout = models.JSONField(_("文件格式"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("银行代发文件格式")
        verbose_name_plural = _("银行代发文件格式")
        constraints = [models.UniqueConstraint(fields=["region_code", "code"], name="banklayout_once_per_county")]

    def __str__(self) -> str:
        return self.name


class BankReturn(models.Model):
    """One bank return file read into a payroll: its digest (the same file twice changes nothing)."""

    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="bank_returns")
    bank_code = models.CharField(_("银行代码"), max_length=32)
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    paid = models.PositiveIntegerField(_("入账笔数"), default=0)
    failed = models.PositiveIntegerField(_("失败笔数"), default=0)
    problems = models.JSONField(_("问题"), default=list, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行回盘")
        verbose_name_plural = _("银行回盘")
        constraints = [models.UniqueConstraint(fields=["payroll", "sha256"], name="bankreturn_file_once")]


# ── Funds ledger (资金台账) ─────────────────────────────────────────────────────────────────────
# What finance gives the county is typed in (budget by source, transfers received, money returned,
# corrections); what the county spent is not: it is read from the payroll lines (funds.py).


class FundSource(models.TextChoices):
    CENTRAL = "central", _("中央财政")
    PROVINCIAL = "provincial", _("省级财政")
    COUNTY = "county", _("县级财政")


class FundEntryKind(models.TextChoices):
    RECEIVED = "received", _("资金到账")
    RETURNED = "returned", _("结余资金缴回财政")
    ADJUST_IN = "adjust_in", _("其他调增")
    ADJUST_OUT = "adjust_out", _("其他调减")


class FundBudget(models.Model):
    """A county's budget for a programme and year from one source (central, provincial, county):
    one row per source; a change (追加、调减) edits the row and its history keeps every value."""

    region_code = models.CharField(_("县级区划代码"), max_length=12)
    programme = models.CharField(_("救助项目"), max_length=24)
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("资金来源"), max_length=16, choices=FundSource.choices)
    amount_fen = models.BigIntegerField(_("预算金额（分）"))
    document = models.CharField(_("预算文件"), max_length=128)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金预算")
        verbose_name_plural = _("资金预算")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "programme", "year", "source"], name="fundbudget_once"),
            models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="fundbudget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.programme} {self.source} {self.amount_fen}"


class FundEntry(models.Model):
    """A movement of the county's fund for a programme and year, as finance's document shows it:
    money received (from the source's transfer), money returned to finance, or a correction. Never
    edited nor deleted: a mistake is corrected by an adjustment entry."""

    region_code = models.CharField(_("县级区划代码"), max_length=12)
    programme = models.CharField(_("救助项目"), max_length=24)
    year = models.PositiveSmallIntegerField(_("资金年度"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=FundEntryKind.choices)
    source = models.CharField(_("资金来源"), max_length=16, choices=FundSource.choices, blank=True)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    document = models.CharField(_("文件或凭证号"), max_length=128)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金收支记录")
        verbose_name_plural = _("资金收支记录")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["region_code", "year", "programme"], name="fundentry_ledger")]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="fundentry_amount_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.amount_fen}"


# ── Recovery (追回) ─────────────────────────────────────────────────────────────────────────────
# An amount paid that should not have been (应追回款): from a death recorded after months were paid
# (benefits.Overpayment) or from a decided case that stopped a benefit for fraud or wrong coverage.
# It is recovered by deduction from the household's later payroll lines (RecoveryDeduction, one per
# line) or by repayment (Repayment), or written off by a second county officer. recovery.py.


class Receivable(models.Model):
    region_code = models.CharField(_("区划代码"), max_length=12)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    benefit = models.ForeignKey("benefits.Benefit", verbose_name=_("救助待遇"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    programme = models.CharField(_("救助项目"), max_length=24)
    overpayment = models.OneToOneField("benefits.Overpayment", verbose_name=_("多发记录"), on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="receivable")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("原因"), max_length=16, choices=c.ReceivableReason.choices)
    reason_note = models.CharField(_("原因说明"), max_length=255, blank=True)
    months = models.JSONField(_("多发月份"), default=list)
    amount_fen = models.BigIntegerField(_("应追回金额（分）"))
    due_fen = models.BigIntegerField(_("按待遇记录应发金额（分）"), null=True, blank=True,
                                     help_text=_("这些月份按待遇记录应发的金额；应追回金额以实际到账为准"))
    recovered_fen = models.BigIntegerField(_("已追回（分）"), default=0)
    written_off_fen = models.BigIntegerField(_("核销金额（分）"), default=0)
    state = models.CharField(_("状态"), max_length=16, choices=c.ReceivableState.choices, default=c.ReceivableState.OPEN)
    deduct_mode = models.CharField(_("扣减方式"), max_length=16, choices=c.DeductMode.choices, default=c.DeductMode.NONE)
    deduct_monthly_fen = models.BigIntegerField(_("每月扣减上限（分）"), null=True, blank=True)
    deduct_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("扣减决定人"), on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    deduct_document = models.CharField(_("扣减决定文书"), max_length=128, blank=True)
    write_off_reason = models.CharField(_("核销理由"), max_length=255, blank=True)
    write_off_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核销申请人"), on_delete=models.PROTECT,
                                               null=True, blank=True, related_name="+")
    written_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核销审批人"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    written_off_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("应追回款")
        verbose_name_plural = _("应追回款")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["region_code", "state"], name="receivable_region_state"),
                   models.Index(fields=["household", "state"], name="receivable_household_state")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="receivable_amount_positive"),
            models.CheckConstraint(condition=models.Q(recovered_fen__gte=0) & models.Q(written_off_fen__gte=0)
                                   & models.Q(amount_fen__gte=models.F("recovered_fen") + models.F("written_off_fen")),
                                   name="receivable_never_over_recovered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.amount_fen}"

    @property
    def outstanding_fen(self) -> int:
        """Still to recover (deductions sent to the bank but not yet returned are still outstanding)."""
        return self.amount_fen - self.recovered_fen - self.written_off_fen


class ReceivableEvent(models.Model):
    """The history of a receivable: recorded, amount updated from the bank's return, deduction set,
    deducted in a payroll, deduction recovered or failed at the bank, repayment, write-off."""

    class Action(models.TextChoices):
        RECORDED = "recorded", _("登记")
        AMOUNT = "amount", _("按到账金额更新")
        DEDUCT_SET = "deduct_set", _("设定扣减")
        DEDUCTED = "deducted", _("花名册扣减")
        DEDUCTION_PAID = "deduction_paid", _("扣减已生效")
        DEDUCTION_FAILED = "deduction_failed", _("扣减未生效（发放失败）")
        REPAID = "repaid", _("退回款项")
        WRITE_OFF_REQUESTED = "wo_requested", _("申请核销")
        WRITTEN_OFF = "written_off", _("核销")

    receivable = models.ForeignKey(Receivable, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("追回记录")
        verbose_name_plural = _("追回记录")
        ordering = ["at", "id"]


class Repayment(models.Model):
    """Money the household paid back (退回), with its receipt."""

    receivable = models.ForeignKey(Receivable, verbose_name=_("应追回款"), on_delete=models.PROTECT, related_name="repayments")
    region_code = models.CharField(_("区划代码"), max_length=12)
    date = models.DateField(_("退回日期"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    receipt_number = models.CharField(_("收据号"), max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("退回款项")
        verbose_name_plural = _("退回款项")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="repayment_amount_positive"),
            models.UniqueConstraint(fields=["receivable", "receipt_number"], name="repayment_receipt_once"),
        ]


class RecoveryDeduction(models.Model):
    """Part of a payroll line kept back for a receivable. It follows its line: made in the same
    transaction, once per line and receivable, deleted with it; it counts as recovered only when the
    bank paid the line (a failed line's deduction did not happen)."""

    receivable = models.ForeignKey(Receivable, verbose_name=_("应追回款"), on_delete=models.PROTECT, related_name="deductions")
    line = models.ForeignKey(PayrollLine, verbose_name=_("发放明细"), on_delete=models.CASCADE, related_name="deductions")
    region_code = models.CharField(_("区划代码"), max_length=12)
    month = models.DateField(_("扣减月份"))
    amount_fen = models.BigIntegerField(_("扣减金额（分）"))

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("扣减追回")
        verbose_name_plural = _("扣减追回")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="deduction_amount_positive"),
            models.UniqueConstraint(fields=["receivable", "line"], name="deduction_once_per_line"),
        ]
