"""The registry of households and persons in difficulty (R3).

Scoping: each row that holds people's data carries `region_code`, the 12-digit code of its
household's village, so `.visible_to()` can limit any query with one index range.
Money is integer fen.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models.functions import Right
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet

from . import choices as c


class Household(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="households")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    address = models.CharField(_("住址"), max_length=255, blank=True)
    hukou_type = models.CharField(_("户籍性质"), max_length=8, choices=c.HukouType.choices, default=c.HukouType.RURAL)
    head = models.ForeignKey("Person", verbose_name=_("户主"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    housing_safety = models.CharField(_("住房安全"), max_length=16, choices=c.HousingSafety.choices, default=c.HousingSafety.UNKNOWN)
    # The registry keeps households where their hukou is (户籍所在地): local unless the worker
    # records otherwise (the form and the survey sheet ask it).
    local_hukou = models.BooleanField(_("持有当地常住户口"), default=True)
    family_planning_two_daughters = models.BooleanField(_("计生二女结扎户"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=c.HouseholdStatus.choices, default=c.HouseholdStatus.ACTIVE)
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from")
    split_from = models.ForeignKey("self", verbose_name=_("分户自"), on_delete=models.PROTECT, null=True, blank=True, related_name="split_into")
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        indexes = [
            models.Index(fields=["region_code", "id"], name="household_region_id"),
            models.Index(fields=["status", "region_code"], name="household_status_region"),
        ]

    def __str__(self) -> str:
        return _("%(name)s户（%(pk)s）") % {"name": self.head.name if self.head_id and self.head else "—", "pk": self.pk}

    def save(self, *args, **kwargs):
        if self.region_id and (not self.region_code or self.region.code != self.region_code):
            self.region_code = self.region.code
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:household_detail", args=[self.pk])


class Person(models.Model):
    household = models.ForeignKey(Household, verbose_name=_("所在家庭"), on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    # db_index: on PostgreSQL Django adds a varchar_pattern_ops index too, for name prefix search.
    name = models.CharField(_("姓名"), max_length=64, db_index=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    sex = models.CharField(_("性别"), max_length=1, choices=c.Sex.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=c.Relation.choices, default=c.Relation.OTHER)
    status = models.CharField(_("状态"), max_length=16, choices=c.PersonStatus.choices, default=c.PersonStatus.ACTIVE)
    # The date of death, where known: benefits stop from the month after it and payments made since
    # are recovered (issues 14, 15); without it the day the death is recorded stands for it.
    death_date = models.DateField(_("死亡日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    hukou_place = models.CharField(_("户籍所在地"), max_length=255, blank=True)
    living_situation = models.CharField(_("居住状况"), max_length=16, choices=c.LivingSituation.choices, default=c.LivingSituation.WITH_FAMILY)
    labor_capacity = models.CharField(_("劳动能力"), max_length=8, choices=c.LaborCapacity.choices, default=c.LaborCapacity.FULL)
    can_eat = models.BooleanField(_("能自主吃饭"), default=True)
    can_dress = models.BooleanField(_("能自主穿衣"), default=True)
    can_get_up = models.BooleanField(_("能自主上下床"), default=True)
    can_toilet = models.BooleanField(_("能自主如厕"), default=True)
    can_walk_indoors = models.BooleanField(_("能室内行走"), default=True)
    can_bathe = models.BooleanField(_("能自主洗澡"), default=True)
    schooling_level = models.CharField(_("文化程度（在读学段）"), max_length=16, choices=c.SchoolingLevel.choices, blank=True)
    enrolled = models.BooleanField(_("在校"), default=False)
    dropped_out = models.BooleanField(_("辍学"), default=False)
    major_illnesses = models.JSONField(_("重大疾病"), default=list, blank=True)
    disability_suspected = models.BooleanField(_("疑似残疾未办证"), default=False)
    disability_cert_number = models.CharField(_("残疾证号"), max_length=32, blank=True)
    disability_type = models.CharField(_("残疾类别"), max_length=16, choices=c.DisabilityType.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=c.DisabilityGrade.choices, null=True, blank=True)
    disability_issue_date = models.DateField(_("发证日期"), null=True, blank=True)
    disability_last_check = models.DateField(_("最近年审日期"), null=True, blank=True)
    is_orphan = models.BooleanField(_("孤儿"), default=False)
    is_unsupported_child = models.BooleanField(_("事实无人抚养儿童"), default=False)
    has_mental_disorder = models.BooleanField(_("精神障碍"), default=False)
    religious_staff_since = models.DateField(_("宗教教职人员住寺观起始日"), null=True, blank=True)
    # Unknown is not no (特困人员认定办法): null = not known.
    gugua = models.BooleanField(_("孤寡（无配偶、无子女、无其他法定义务人）"), null=True, blank=True)
    supporters_checked = models.CharField(_("户外法定义务人"), max_length=16, choices=c.SupportersChecked.choices,
                                          default=c.SupportersChecked.UNKNOWN)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [
            models.Index(fields=["region_code", "name"], name="person_region_name"),
            # Search by the last four characters of an ID number, as workers read them off a card.
            models.Index(Right("id_number", 4), name="person_id_tail"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unable_activities(self) -> int:
        return sum(not getattr(self, field) for field, _label in c.SELF_CARE_ACTIVITIES)

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class Membership(models.Model):
    """Who belonged to which household when: split and merge keep this history (分户/合户)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    region_code = models.CharField(max_length=12, editable=False)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=c.Relation.choices)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    start_reason = models.CharField(_("加入原因"), max_length=16, choices=c.MembershipReason.choices)
    end_reason = models.CharField(_("离开原因"), max_length=16, choices=c.MembershipReason.choices, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭成员关系")
        verbose_name_plural = _("家庭成员关系")
        indexes = [models.Index(fields=["household", "start_date"], name="membership_household")]


class HouseholdItem(models.Model):
    """Common columns of the rows that hang off a household."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="%(class)ss")
    person = models.ForeignKey(Person, verbose_name=_("相关成员"), on_delete=models.SET_NULL, null=True, blank=True, related_name="%(class)ss")
    region_code = models.CharField(max_length=12, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        abstract = True
        # reassessment and the scoped lists read these tables by region range
        indexes = [models.Index(fields=["region_code"], name="%(class)s_region")]

    def save(self, *args, **kwargs):
        self.region_code = self.household.region_code
        super().save(*args, **kwargs)


class IncomeItem(HouseholdItem):
    kind = models.CharField(_("收入类型"), max_length=24, choices=c.IncomeKind.choices)
    monthly_amount_fen = models.BigIntegerField(_("月收入（分）"))
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta(HouseholdItem.Meta):
        verbose_name = _("收入")
        verbose_name_plural = _("收入")
        constraints = [models.CheckConstraint(condition=models.Q(monthly_amount_fen__gte=0), name="income_nonnegative")]


class Asset(HouseholdItem):
    kind = models.CharField(_("财产类型"), max_length=16, choices=c.AssetKind.choices)
    value_fen = models.BigIntegerField(_("价值（分）"))
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    description = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta(HouseholdItem.Meta):
        verbose_name = _("财产")
        verbose_name_plural = _("财产")
        constraints = [models.CheckConstraint(condition=models.Q(value_fen__gte=0), name="asset_nonnegative")]


class RigidExpense(HouseholdItem):
    kind = models.CharField(_("刚性支出类型"), max_length=16, choices=c.ExpenseKind.choices)
    monthly_amount_fen = models.BigIntegerField(_("月均支出（分）"))
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta(HouseholdItem.Meta):
        verbose_name = _("刚性支出")
        verbose_name_plural = _("刚性支出")
        constraints = [models.CheckConstraint(condition=models.Q(monthly_amount_fen__gte=0), name="expense_nonnegative")]


class Classification(HouseholdItem):
    """A recorded category (dibao, tekun, …) or cause (因病, …) with its dates (R3)."""

    kind = models.CharField(_("种类"), max_length=16, choices=c.ClassificationKind.choices)
    code = models.CharField(_("代码"), max_length=32)
    # The monthly benefit now paid under this category (e.g. the dibao amount), when there is one:
    # reassessment compares its result with this (issue 3).
    monthly_amount_fen = models.BigIntegerField(_("现享受月待遇（分）"), null=True, blank=True)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(HouseholdItem.Meta):
        verbose_name = _("类别与致困原因")
        verbose_name_plural = _("类别与致困原因")
        indexes = [*HouseholdItem.Meta.indexes, models.Index(fields=["kind", "code", "region_code"], name="classification_code_region")]

    @property
    def label(self) -> str:
        table = c.Category if self.kind == c.ClassificationKind.CATEGORY else c.Cause
        try:
            return table(self.code).label
        except ValueError:
            return self.code


class Supporter(HouseholdItem):
    """A legal supporter (法定赡养、抚养、扶养义务人) of `person` living outside the household, with
    the facts that decide their capacity (《特困人员认定办法》第十条; the engine judges it)."""

    duty = models.CharField(_("义务类型"), max_length=8, choices=c.SupportDuty.choices)
    relation = models.CharField(_("与被扶养人关系"), max_length=16, choices=c.SupporterRelation.choices)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    on_dibao = models.BooleanField(_("最低生活保障对象"), default=False)
    on_tekun = models.BooleanField(_("特困人员"), default=False)
    income_below_disposable = models.BooleanField(
        _("本人收入低于当地上年人均可支配收入，且财产符合当地低保家庭财产状况规定"), default=False)
    severe_disability = models.BooleanField(_("重度残疾人或三级智力、精神残疾人"), default=False)
    no_civil_capacity = models.BooleanField(
        _("无民事行为能力、被宣告失踪或在监狱服刑，且财产符合当地低保家庭财产状况规定"), default=False)
    capacity = models.CharField(_("履行义务能力"), max_length=8, choices=c.SupporterCapacity.choices, blank=True, default="")
    note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta(HouseholdItem.Meta):
        verbose_name = _("户外法定义务人")
        verbose_name_plural = _("户外法定义务人")

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
