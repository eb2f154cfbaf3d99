"""Vagrant rescue (篇四, R18–R25).

Scoping: every row about a person carries `region_code`, the 12-digit code of the station's region
(its county or city), so the station and the civil-affairs officers above it find it with one index
range (accounts.access.scope). A stay also carries `home_region_code`, the person's home region
(blank when unknown): the home office finds its returnees by that field. The source-prevention
register lives in the home region: its `region_code` is the home region's code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet

from . import choices as c


class RescueStation(models.Model):
    """救助管理站: one per county or city region."""

    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="rescue_stations")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    phone = models.CharField(_("求助电话"), max_length=32, blank=True)
    number_prefix = models.CharField(_("站内编号前缀"), max_length=8, default="JZ")

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("救助管理站")
        verbose_name_plural = _("救助管理站")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class StationStaff(models.Model):
    """Which station a station-staff user works for. A user belongs to one station; the user's
    region must be the station's region (so accounts.access.scope gives the same range)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rescue_station_link")
    station = models.ForeignKey(RescueStation, on_delete=models.PROTECT, related_name="staff")

    class Meta:
        verbose_name = _("救助站工作人员")
        verbose_name_plural = _("救助站工作人员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.station}"


class Institution(models.Model):
    """A care institution under contract (托养机构), R22."""

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=c.InstitutionKind.choices)
    station = models.ForeignKey(RescueStation, verbose_name=_("委托救助站"), on_delete=models.PROTECT, related_name="institutions")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False, db_index=True)
    contract_number = models.CharField(_("托养协议编号"), max_length=64, blank=True)
    contract_from = models.DateField(_("协议起始日"), null=True, blank=True)
    contract_to = models.DateField(_("协议终止日"), null=True, blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("托养机构")
        verbose_name_plural = _("托养机构")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.station.region_code
        super().save(*args, **kwargs)


class InstitutionRate(models.Model):
    """Contract rates, monthly per person in fen, valid from a date (R22: bed, care by self-care
    ability, rehabilitation, other costs, a reasonable margin)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="rates")
    valid_from = models.DateField(_("起始日期"))
    bed_fen = models.BigIntegerField(_("床位费（分/月）"))
    care_self_fen = models.BigIntegerField(_("自理护理费（分/月）"))
    care_partial_fen = models.BigIntegerField(_("半护理费（分/月）"))
    care_full_fen = models.BigIntegerField(_("全护理费（分/月）"))
    rehab_fen = models.BigIntegerField(_("康复费（分/月）"), default=0)
    other_fen = models.BigIntegerField(_("其他费用（分/月）"), default=0)
    margin_bp = models.PositiveIntegerField(_("合理收益（万分比）"), default=0, help_text=_("1000 即 10%"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("托养费用标准")
        verbose_name_plural = _("托养费用标准")
        constraints = [models.UniqueConstraint(fields=["institution", "valid_from"], name="rescue_rate_unique_from")]


class Stay(models.Model):
    """One stay of one person at a station (R18, R19, R21), from arrival to the end reason."""

    station = models.ForeignKey(RescueStation, verbose_name=_("救助站"), on_delete=models.PROTECT, related_name="stays")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    home_region_code = models.CharField(_("户籍地区划代码"), max_length=12, blank=True)
    # numbered per station (prefix, year, sequence), so unique per station, not system-wide: two
    # stations with the default prefix both have a JZ202600001 (issue 13)
    station_number = models.CharField(_("站内编号"), max_length=32, editable=False)
    status = models.CharField(_("状态"), max_length=8, choices=c.StayStatus.choices, default=c.StayStatus.OPEN)
    identity_status = models.CharField(_("身份"), max_length=16, choices=c.IdentityStatus.choices)
    person = models.ForeignKey("registry.Person", verbose_name=_("帮扶系统人员"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="rescue_stays")
    name = models.CharField(_("姓名（自述或代称）"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=c.Sex.choices, default=c.Sex.UNKNOWN)
    birth_date = models.DateField(_("出生日期（或估计）"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(_("出生日期为估计"), default=False)
    # intake
    arrival_at = models.DateTimeField(_("入站时间"))
    referral_source = models.CharField(_("来站方式"), max_length=20, choices=c.ReferralSource.choices)
    found_at = models.DateTimeField(_("发现时间"), null=True, blank=True)
    found_place = models.CharField(_("发现地点"), max_length=255, blank=True)
    brought_by = models.CharField(_("护送单位及人员"), max_length=128, blank=True)
    handover_document = models.CharField(_("书面交接单编号"), max_length=64, blank=True)
    capable_adult = models.BooleanField(_("完全民事行为能力人"), default=True)
    consent_given = models.BooleanField(_("本人同意接受救助（护送）"), default=False)
    # description of an unidentified person
    physical_description = models.TextField(_("体貌特征"), blank=True)
    language = models.CharField(_("语言或方言"), max_length=64, blank=True)
    belongings = models.TextField(_("随身物品"), blank=True)
    # groups needing protection
    is_minor = models.BooleanField(_("未成年人"), default=False)
    is_elderly = models.BooleanField(_("老年人"), default=False)
    is_disabled = models.BooleanField(_("残疾人"), default=False)
    has_mental_disorder = models.BooleanField(_("精神障碍"), default=False)
    is_immobile = models.BooleanField(_("行动不便"), default=False)
    is_dv_victim = models.BooleanField(_("家庭暴力受害人"), default=False)
    is_pregnant = models.BooleanField(_("孕妇"), default=False)
    tekun_eligible = models.BooleanField(_("符合特困供养条件"), default=False)
    # end of stay
    ended_at = models.DateTimeField(_("离站时间"), null=True, blank=True)
    end_reason = models.CharField(_("离站原因"), max_length=16, choices=c.EndReason.choices, blank=True)
    end_statement = models.CharField(_("自愿离站声明书编号"), max_length=64, blank=True)
    end_destination = models.CharField(_("去向"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("救助记录")
        verbose_name_plural = _("救助记录")
        indexes = [
            models.Index(fields=["region_code", "arrival_at"], name="rescue_stay_region"),
            models.Index(fields=["home_region_code", "end_reason"], name="rescue_stay_home"),
            models.Index(fields=["status", "identity_status", "region_code"], name="rescue_stay_open"),
        ]
        constraints = [models.UniqueConstraint(fields=["station", "station_number"], name="rescue_stay_number_per_station")]

    def __str__(self) -> str:
        return f"{self.name}（{self.station_number}）"

    def get_absolute_url(self) -> str:
        return reverse("rescue:stay_detail", args=[self.pk])

    @property
    def unidentified(self) -> bool:
        return self.identity_status == c.IdentityStatus.UNIDENTIFIED

    @property
    def vulnerable(self) -> bool:
        return self.is_minor or self.is_elderly or self.is_disabled or self.has_mental_disorder or self.is_immobile


class StayPhoto(models.Model):
    """A photo of an unidentified person: the file lives under settings.PRIVATE_FILES_ROOT, never
    in the database and never under a public URL; `path` is relative to that root."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="photos")
    region_code = models.CharField(max_length=12, editable=False)
    path = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")


class StayService(models.Model):
    """A service given during the stay (R19), with dates and cost in fen (medical at actual cost)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="services")
    region_code = models.CharField(max_length=12, editable=False)
    kind = models.CharField(_("服务"), max_length=24, choices=c.ServiceKind.choices)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    cost_fen = models.BigIntegerField(_("费用（分）"), default=0)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("救助服务")
        verbose_name_plural = _("救助服务")
        constraints = [models.CheckConstraint(condition=models.Q(cost_fen__gte=0), name="rescue_service_cost_nonnegative")]


class TracingStep(models.Model):
    """One step of family tracing (R22) with date, who and result."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="tracing_steps")
    region_code = models.CharField(max_length=12, editable=False)
    kind = models.CharField(_("步骤"), max_length=20, choices=c.TracingStepKind.choices)
    done_at = models.DateTimeField(_("完成时间"))
    done_by = models.CharField(_("经办人或单位"), max_length=64)
    reference = models.CharField(_("公告链接或回执编号"), max_length=255, blank=True)
    result = models.CharField(_("结果"), max_length=12, choices=c.TracingResult.choices, default=c.TracingResult.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("寻亲步骤")
        verbose_name_plural = _("寻亲步骤")
        indexes = [models.Index(fields=["stay", "kind"], name="rescue_tracing_stay_kind")]


class CareAssessment(models.Model):
    """Self-care ability on a date (特困人员认定办法's six activities); the level applies from `effective_on`."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="assessments")
    region_code = models.CharField(max_length=12, editable=False)
    effective_on = models.DateField(_("评估生效日"))
    can_eat = models.BooleanField(_("能自主吃饭"), default=True)
    can_dress = models.BooleanField(_("能自主穿衣"), default=True)
    can_get_up = models.BooleanField(_("能自主上下床"), default=True)
    can_toilet = models.BooleanField(_("能自主如厕"), default=True)
    can_walk_indoors = models.BooleanField(_("能室内行走"), default=True)
    can_bathe = models.BooleanField(_("能自主洗澡"), default=True)
    level = models.CharField(_("护理等级"), max_length=16, choices=c.CareLevel.choices, editable=False)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("自理能力评估")
        verbose_name_plural = _("自理能力评估")
        constraints = [models.UniqueConstraint(fields=["stay", "effective_on"], name="rescue_assessment_one_per_day")]

    @property
    def unable(self) -> int:
        return sum(not getattr(self, f) for f, _label in c.SELF_CARE_ACTIVITIES)


class Placement(models.Model):
    """Where a long stay is cared for (R22): on site or entrusted to an institution."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="placements")
    region_code = models.CharField(max_length=12, editable=False)
    kind = models.CharField(_("安置方式"), max_length=16, choices=c.PlacementKind.choices)
    institution = models.ForeignKey(Institution, verbose_name=_("托养机构"), on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="placements")
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("照料托养")
        verbose_name_plural = _("照料托养")
        indexes = [models.Index(fields=["institution", "start_date"], name="rescue_placement_inst")]


class SettlementCase(models.Model):
    """落户安置 (R24): station application → civil-affairs plan → government approval → registration."""

    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="settlement")
    region_code = models.CharField(max_length=12, editable=False)
    status = models.CharField(_("进度"), max_length=12, choices=c.SettlementStatus.choices, default=c.SettlementStatus.APPLIED)
    version = models.PositiveIntegerField(default=1)
    applied_on = models.DateField(_("申请日期"))
    planned_on = models.DateField(_("方案日期"), null=True, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    registered_on = models.DateField(_("户口登记日期"), null=True, blank=True)
    outcome = models.CharField(_("安置去向"), max_length=20, choices=c.SettlementOutcome.choices, blank=True)
    orphan_benefit = models.BooleanField(_("纳入孤儿基本生活保障"), default=False)
    institution_name = models.CharField(_("安置机构"), max_length=128, blank=True)
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("落户安置")
        verbose_name_plural = _("落户安置")


class PreventionEntry(models.Model):
    """易流浪走失人员信息库 (R23): a person in their home region with a follow-up schedule."""

    region_code = models.CharField(_("户籍地区划代码"), max_length=12, db_index=True)
    category = models.CharField(_("类别"), max_length=16, choices=c.PreventionCategory.choices)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stay = models.ForeignKey(Stay, verbose_name=_("救助记录"), on_delete=models.PROTECT, null=True, blank=True, related_name="prevention_entries")
    address = models.CharField(_("住址"), max_length=255, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    interval_days = models.PositiveIntegerField(_("回访周期（日）"))
    next_due = models.DateField(_("下次回访期限"), db_index=True)
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("易流浪走失人员")
        verbose_name_plural = _("易流浪走失人员")


class FollowUp(models.Model):
    entry = models.ForeignKey(PreventionEntry, on_delete=models.CASCADE, related_name="follow_ups")
    region_code = models.CharField(max_length=12, editable=False)
    kind = models.CharField(_("方式"), max_length=8, choices=c.FollowUpKind.choices)
    done_on = models.DateField(_("日期"))
    note = models.TextField(_("情况及帮助解决的困难"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")


class Patrol(models.Model):
    """A street patrol (R21)."""

    station = models.ForeignKey(RescueStation, verbose_name=_("救助站"), on_delete=models.PROTECT, related_name="patrols")
    region_code = models.CharField(max_length=12, editable=False)
    started_at = models.DateTimeField(_("巡查开始时间"))
    area = models.CharField(_("巡查区域"), max_length=255)
    team = models.CharField(_("巡查人员"), max_length=255)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("街面巡查")
        verbose_name_plural = _("街面巡查")
        indexes = [models.Index(fields=["region_code", "started_at"], name="rescue_patrol_region")]


class Encounter(models.Model):
    """A person a patrol met, and what was done (R21)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="encounters")
    region_code = models.CharField(max_length=12, editable=False)
    met_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=255)
    description = models.CharField(_("人员情况"), max_length=255)
    action = models.CharField(_("处置"), max_length=12, choices=c.EncounterAction.choices)
    capable_adult = models.BooleanField(_("完全民事行为能力人"), default=True)
    vulnerable = models.BooleanField(_("残疾、未成年、老年或行动不便"), default=False)
    consent_given = models.BooleanField(_("本人同意护送"), default=False)
    handover_document = models.CharField(_("书面交接单编号"), max_length=64, blank=True)
    persuasion = models.CharField(_("劝导情况"), max_length=255, blank=True)
    contact_left = models.BooleanField(_("已告知救助站联系方式"), default=False)
    stay = models.ForeignKey(Stay, verbose_name=_("入站记录"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查遇见人员")
        verbose_name_plural = _("巡查遇见人员")


class MandatoryReport(models.Model):
    """Suspected abuse, abandonment or domestic violence and the report made (R23, R25)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="reports")
    region_code = models.CharField(max_length=12, editable=False)
    kind = models.CharField(_("情形"), max_length=20, choices=c.ReportKind.choices)
    victim = models.CharField(_("受侵害人类别"), max_length=12, choices=c.ReportVictim.choices)
    noticed_at = models.DateTimeField(_("发现时间"))
    description = models.TextField(_("情况"))
    reported_to = models.CharField(_("报告对象"), max_length=128, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("强制报告")
        verbose_name_plural = _("强制报告")
