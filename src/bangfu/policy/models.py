"""Parameter values set by administrators, with history (issue 3 "Parameters").

The shipped defaults live in `parameters/defaults.yaml`; a row here sets a parameter for a region
and a validity range, and is merged over the defaults by `selectors.parameter_set()`
(`parameters.merge_rows`: for its region and dates it takes precedence over the YAML value).
`value` holds the JSON form of `parameters.codec.dump_value` (money as a yuan string "650.00").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet


class ParameterValue(models.Model):
    name = models.CharField(_("参数"), max_length=64)
    # Normalised 12-digit code: "000000000000" for the nation, "341100000000" for a city.
    region_code = models.CharField(_("区划代码"), max_length=12)
    valid_from = models.DateField(_("起始日期（含）"))
    valid_to = models.DateField(_("截止日期（不含）"), null=True, blank=True)
    value = models.JSONField(_("取值"))
    citation_document = models.CharField(_("依据文件"), max_length=255)
    citation_article = models.CharField(_("条款"), max_length=255, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策参数取值")
        verbose_name_plural = _("政策参数取值")
        constraints = [
            models.UniqueConstraint(fields=["name", "region_code", "valid_from"], name="parameter_value_unique_start"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                                   name="parameter_value_valid_range"),
        ]
        indexes = [models.Index(fields=["name", "region_code", "valid_from"], name="parameter_value_lookup")]

    def __str__(self) -> str:
        return f"{self.name}@{self.region_code} {self.valid_from}"


class AssessmentRun(models.Model):
    """One batch reassessment (`bangfu reassess`, issue 3 "Interfaces"; R11, R16): who judged which
    region subtree on which date, with which parameters, and what came out.

    Its determinations are kept only until a later run covers the same households (see
    `Determination`); the run row, its counts and its `BenefitChange` rows stay for the record.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    # The 12-digit code of the region whose subtree was judged (e.g. 341122000000 for a county).
    region_code = models.CharField(_("区划代码"), max_length=12)
    on_date = models.DateField(_("评估日期"))
    params_note = models.TextField(_("参数说明"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    message = models.CharField(_("说明"), max_length=255, blank=True)
    # households, eligible, newly_eligible, amount_up, amount_down, no_longer_eligible, unchanged,
    # amount_unknown, monthly_before_fen, monthly_after_fen, monthly_change_fen (policy.reassessment)
    counts = models.JSONField(_("统计"), default=dict, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("重新核算")
        verbose_name_plural = _("重新核算")
        indexes = [models.Index(fields=["region_code", "started_at"], name="assessment_run_region")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.on_date}（{self.get_status_display()}）"


class DibaoChange(models.TextChoices):
    """How a household's judged dibao compares with what it now receives (engine `dibao_change`)."""

    NEWLY_ELIGIBLE = "newly_eligible", _("新增")
    AMOUNT_UP = "amount_up", _("提高")
    AMOUNT_DOWN = "amount_down", _("降低")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("停发")
    UNCHANGED = "unchanged", _("不变")
    AMOUNT_UNKNOWN = "amount_unknown", _("现享受金额未登记")


class Determination(models.Model):
    """A household's determination by a reassessment run: the engine's household row (columns of
    `engine.schema.HOUSEHOLD_OUTPUT`) that the pages and the case workflow read.

    Bounded: a run over a region deletes, county by county and in the same transaction as it
    writes, the earlier determinations whose region code lies in what it judged; so each household
    has one determination, from the latest run that covered it. Derived data, written with COPY:
    the foreign keys carry no database constraint (each run writes a million rows, and a per-row
    foreign-key check would cost more than the write itself); the household ids come from the
    same snapshot the run judged, and deleting a household deletes its determination through
    Django's cascade.
    """

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="determinations",
                            db_constraint=False, db_index=False)  # (run, dibao_change) serves run lookups
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.CASCADE,
                                  related_name="determinations", db_constraint=False)
    region_code = models.CharField(_("区划代码"), max_length=12)
    members = models.PositiveSmallIntegerField(_("共同生活成员数"), default=0)
    standard_fen = models.BigIntegerField(_("低保标准（分/人·月）"), default=0)
    per_capita_income_fen = models.BigIntegerField(_("月人均收入（分）"), default=0)
    dibao_eligible = models.BooleanField(_("符合低保条件"), default=False)
    dibao_basis = models.CharField(_("认定依据"), max_length=16, blank=True)
    dibao_total_fen = models.BigIntegerField(_("核算月低保金（分）"), default=0)
    current_dibao_fen = models.BigIntegerField(_("现享受月低保金（分）"), null=True, blank=True)
    dibao_change = models.CharField(_("变化"), max_length=24, choices=DibaoChange.choices, blank=True)
    review_class = models.CharField(_("核查分类"), max_length=1, blank=True)
    next_review_date = models.DateField(_("下次核查日期"), null=True, blank=True)
    tekun_persons = models.PositiveSmallIntegerField(_("符合特困条件人数"), default=0)
    special_groups = models.CharField(_("特殊困难对象"), max_length=64, blank=True)  # e.g. "老1、残2"
    low_income = models.BooleanField(_("低收入"), default=False)
    near_dibao = models.BooleanField(_("低保边缘"), default=False)
    expenditure_poverty = models.BooleanField(_("支出型贫困"), default=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("核算结论")
        verbose_name_plural = _("核算结论")
        indexes = [
            models.Index(fields=["region_code"], name="determination_region"),
            models.Index(fields=["run", "dibao_change"], name="determination_run_change"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.run_id}"


class BenefitChange(models.Model):
    """A change of a household's dibao found by a reassessment, for the case workflow to act on
    (issue 3: "the changes are kept for the case workflow to act on"; R16: the county raises,
    lowers or stops the benefit).

    Kept for good. When a later run over the same households stores its own changes, the changes
    still open from earlier runs in that region become `superseded` (the newer run has judged the
    household again, on newer data), so the open list is always the latest run's.
    """

    class Kind(models.TextChoices):
        NEWLY_ELIGIBLE = "newly_eligible", _("新增")
        AMOUNT_UP = "amount_up", _("提高")
        AMOUNT_DOWN = "amount_down", _("降低")
        NO_LONGER_ELIGIBLE = "no_longer_eligible", _("停发")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        HANDLED = "handled", _("已处理")
        SUPERSEDED = "superseded", _("已被新核算取代")

    # No database constraint, as for Determination: a run writes up to a million rows with COPY and
    # the per-row checks cost more than the write (measured 2.5 s per 120,000 rows); PROTECT is
    # enforced by Django's collector, so deleting a household or a run with changes is refused.
    run = models.ForeignKey(AssessmentRun, verbose_name=_("重新核算"), on_delete=models.PROTECT,
                            related_name="benefit_changes", db_constraint=False)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="benefit_changes", db_constraint=False)
    region_code = models.CharField(_("区划代码"), max_length=12)
    kind = models.CharField(_("变化"), max_length=24, choices=Kind.choices)
    old_amount_fen = models.BigIntegerField(_("现享受月低保金（分）"), null=True, blank=True)  # null: recorded without amount
    new_amount_fen = models.BigIntegerField(_("核算月低保金（分）"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("待遇变化")
        verbose_name_plural = _("待遇变化")
        indexes = [models.Index(fields=["status", "region_code"], name="benefit_change_status_region")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_kind_display()}"

    @property
    def delta_fen(self) -> int:
        return self.new_amount_fen - (self.old_amount_fen or 0)
