"""Pairing helpers with households, visits, follow-up worklists, meetings and the pilot campaign
(issue 6; R4, R6–R10).

Scoping: every row that holds people's data carries `region_code`, the 12-digit code of the
village of its household (or of the village paired), so `.visible_to()` limits any query
with one index range. Money is integer fen. Changes are audited with django-simple-history, as in
the registry; visit attachments live on disk under settings.PRIVATE_FILES_ROOT, never in the
database or under MEDIA.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet

from . import choices as c


class OutreachParameter(models.Model):
    """Numbers the seed leaves to the region (R8's visit frequency, the follow-up due days): data
    with a region, a validity range and a citation (domain.md "policy parameter").

    Kept here rather than in policy/parameters/defaults.yaml: that file is mirrored by a generated
    table in docs/policy.md (policy/tests/test_docs.py), which this app does not own. The
    national defaults are rows written by migration 0002; a deployment adds rows for its regions
    through the admin. Resolution as for the policy parameters: the most specific region in the
    ancestry with a row valid on the day wins (`parameters.value`)."""

    name = models.CharField(_("参数"), max_length=64)
    # Significant prefix: "" for the nation, "34", "3411", "341122", 9 or 12 digits.
    region_prefix = models.CharField(_("区划代码前缀"), max_length=12, blank=True)
    valid_from = models.DateField(_("起始日期（含）"))
    valid_to = models.DateField(_("截止日期（不含）"), null=True, blank=True)
    value = models.IntegerField(_("取值"))
    citation = models.CharField(_("依据"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对帮扶参数")
        verbose_name_plural = _("结对帮扶参数")
        constraints = [models.UniqueConstraint(fields=["name", "region_prefix", "valid_from"], name="outreach_parameter_unique")]

    def __str__(self) -> str:
        return f"{self.name}@{self.region_prefix or 'CN'} {self.valid_from}={self.value}"


class Helper(models.Model):
    """A helper (帮扶责任人): a cadre, party member, branch, organisation, charity or volunteer (R7).

    `user` links a helper who logs in (role "helper"): they see and record visits only for their
    own pairings."""

    kind = models.CharField(_("类型"), max_length=16, choices=c.HelperKind.choices)
    name = models.CharField(_("姓名或名称"), max_length=128)
    unit = models.CharField(_("所在单位"), max_length=128, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="helper")
    active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶责任人")
        verbose_name_plural = _("帮扶责任人")
        indexes = [models.Index(fields=["region_code", "name"], name="helper_region_name"),
                   models.Index(fields=["unit"], name="helper_unit")]  # the overdue list per unit

    def __str__(self) -> str:
        return _("%(name)s（%(code)s）") % {"name": self.name, "code": self.unit} if self.unit else self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class Pairing(models.Model):
    """One or more helpers linked to a household, a person or a village (R7), one-to-one or
    many-to-one, from `start_date` to `end_date` (inclusive; open-ended while null)."""

    target_kind = models.CharField(_("帮扶对象类型"), max_length=16, choices=c.TargetKind.choices)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="pairings")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="pairings")
    village = models.ForeignKey("regions.Region", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    helpers = models.ManyToManyField(Helper, through="PairingHelper", related_name="pairings", verbose_name=_("帮扶责任人"))
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    measures = models.JSONField(_("帮扶措施"), default=list, blank=True)
    measures_note = models.TextField(_("措施说明"), blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对关系")
        verbose_name_plural = _("结对关系")
        indexes = [models.Index(fields=["region_code", "id"], name="pairing_region_id")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="pairing_dates"),
        ]

    def __str__(self) -> str:
        return _("%(target)s（%(start)s起）") % {"target": self.target_label, "start": self.start_date}

    def get_absolute_url(self) -> str:
        return reverse("outreach:pairing_detail", args=[self.pk])

    @property
    def target_label(self) -> str:
        if self.target_kind == c.TargetKind.PERSON and self.person_id:
            return self.person.name
        if self.target_kind == c.TargetKind.HOUSEHOLD and self.household_id:
            return str(self.household)
        return self.village.name

    def measure_labels(self) -> list[str]:
        labels = dict(c.Measure.choices)
        return [str(labels.get(m, m)) for m in self.measures]


class PairingHelper(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="links")
    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="links")
    lead = models.BooleanField(_("牵头人"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对帮扶人")
        verbose_name_plural = _("结对帮扶人")
        constraints = [models.UniqueConstraint(fields=["pairing", "helper"], name="pairing_helper_unique")]
        indexes = [models.Index(fields=["helper", "pairing"], name="pairing_helper_by_helper")]


class Visit(models.Model):
    """A visit to a pair (R8): when, who, how, what was found, needs and follow-up."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对关系"), on_delete=models.PROTECT, related_name="visits")
    region_code = models.CharField(_("区划代码"), max_length=12, editable=False)
    date = models.DateField(_("走访日期"))
    way = models.CharField(_("走访方式"), max_length=8, choices=c.VisitWay.choices, default=c.VisitWay.HOME)
    visitors = models.ManyToManyField(Helper, verbose_name=_("走访人"), related_name="visits", blank=True)
    other_visitors = models.CharField(_("其他参加人员"), max_length=255, blank=True)
    findings = models.TextField(_("了解到的情况"))
    needs = models.TextField(_("提出的需求"), blank=True)
    follow_up = models.TextField(_("后续措施"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        indexes = [models.Index(fields=["pairing", "date"], name="visit_pairing_date"),
                   models.Index(fields=["region_code", "date"], name="visit_region_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_way_display()}"


class QuarterVisits(models.Model):
    """Visits per pairing per calendar quarter, kept by the visit services in the same
    transaction as the visit: the overdue list reads one row per pairing instead of counting a
    million visits (benchmarks/outreach.py)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="quarter_counts")
    quarter = models.DateField(_("季度首日"))
    visits = models.PositiveIntegerField(_("走访次数"), default=0)

    class Meta:
        verbose_name = _("季度走访次数")
        verbose_name_plural = _("季度走访次数")
        constraints = [models.UniqueConstraint(fields=["pairing", "quarter"], name="quarter_visits_unique")]
        # county-wide summaries read one quarter's rows only (PostgreSQL: index-only, with visits)
        indexes = [models.Index(fields=["quarter", "pairing"], include=["visits"], name="quarter_visits_by_quarter")]


class VisitAttachment(models.Model):
    """A photo or scan of a visit. The bytes are a file with a random name under
    settings.PRIVATE_FILES_ROOT/outreach/; served only through `views.attachment_download`."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
    region_code = models.CharField(max_length=12, editable=False)
    stored_name = models.CharField(max_length=128, unique=True, editable=False)  # relative to the storage root
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访附件")
        verbose_name_plural = _("走访附件")

    def __str__(self) -> str:
        return self.original_name


class RegistryProposal(models.Model):
    """A change of the household's facts found on a visit, waiting for a worker to confirm (R8:
    findings are reported). Applied through bangfu.registry.services, never written directly."""

    visit = models.ForeignKey(Visit, verbose_name=_("走访记录"), on_delete=models.PROTECT, related_name="proposals")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    changes = models.JSONField(_("拟更新内容"))  # {field: new value}
    old_values = models.JSONField(_("原值"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=c.ProposalStatus.choices, default=c.ProposalStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("档案更新建议")
        verbose_name_plural = _("档案更新建议")
        indexes = [models.Index(fields=["status", "region_code"], name="proposal_status_region")]


class FollowUpItem(models.Model):
    """One item of an R4 follow-up list: a person flagged by the engine (or a need raised on a
    visit), with an owner, a due date, referrals and a status.

    At most one open item per person and kind (partial unique constraint): reassessment after
    reassessment finds the same flag and leaves the open item alone; when the flag clears the
    item closes, and a later flag opens a new one."""

    kind = models.CharField(_("类型"), max_length=32, choices=c.ItemKind.choices)
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=c.ItemStatus.choices, default=c.ItemStatus.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    opened_on = models.DateField(_("发现日期"))
    due_date = models.DateField(_("办理期限"))
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    close_reason = models.CharField(_("办结原因"), max_length=16, choices=c.CloseReason.choices, blank=True)
    source = models.CharField(_("来源"), max_length=16, default="engine")  # engine / visit / manual
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], condition=Q(closed_on__isnull=True), name="followup_one_open"),
        ]
        indexes = [models.Index(fields=["region_code", "kind", "status"], name="followup_region_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_id}"


class Referral(models.Model):
    """A referral of a follow-up item to a department (R2, R4): to whom, when, and the answer."""

    item = models.ForeignKey(FollowUpItem, on_delete=models.CASCADE, related_name="referrals")
    region_code = models.CharField(max_length=12, editable=False)
    target = models.CharField(_("转介部门"), max_length=32, choices=c.ReferralTarget.choices)
    target_name = models.CharField(_("接收单位或联系人"), max_length=128, blank=True)
    referred_on = models.DateField(_("转介日期"))
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("转介记录")
        verbose_name_plural = _("转介记录")
        indexes = [models.Index(fields=["region_code", "target", "referred_on"], name="referral_region_target")]


class Meeting(models.Model):
    """A half-yearly (or urgent) meeting of R8: reviews the pairs' situation, the targets and the
    aid amounts, and records its decisions."""

    region = models.ForeignKey("regions.Region", verbose_name=_("召开单位所在区划"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    kind = models.CharField(_("会议类型"), max_length=16, choices=c.MeetingKind.choices, default=c.MeetingKind.REGULAR)
    date = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=255)
    attendees = models.TextField(_("参会人员"))
    decisions = models.TextField(_("会议决定"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶例会")
        verbose_name_plural = _("帮扶例会")
        indexes = [models.Index(fields=["region_code", "date"], name="meeting_region_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class MeetingHousehold(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reviewed")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    amount_fen = models.BigIntegerField(_("审核的帮扶资金（分）"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("例会审议家庭")
        verbose_name_plural = _("例会审议家庭")
        constraints = [models.UniqueConstraint(fields=["meeting", "household"], name="meeting_household_unique"),
                       models.CheckConstraint(condition=Q(amount_fen__isnull=True) | Q(amount_fen__gte=0), name="meeting_amount_nonnegative")]


class Campaign(models.Model):
    """The street-level pilot of one year in one township or county (R6), with its phases."""

    region = models.ForeignKey("regions.Region", verbose_name=_("组织区划"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=128)
    starts_on = models.DateField(_("启动日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶试点工作")
        verbose_name_plural = _("帮扶试点工作")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="campaign_region_year")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:campaign_detail", args=[self.pk])


class CampaignPhase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("阶段"), max_length=16, choices=c.Phase.choices)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    deadline = models.DateField(_("完成期限"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("试点阶段")
        verbose_name_plural = _("试点阶段")
        constraints = [models.UniqueConstraint(fields=["campaign", "phase"], name="campaign_phase_unique")]
        ordering = ["deadline"]


class VillageProgress(models.Model):
    """What a village has done in the campaign: dates entered by the village or township worker.
    Survey coverage and data entry are computed from the registry (campaign.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    working_group_on = models.DateField(_("成立工作小组日期"), null=True, blank=True)
    training_on = models.DateField(_("召开动员培训会日期"), null=True, blank=True)
    survey_reported_on = models.DateField(_("摸底数据报送街道日期"), null=True, blank=True)
    identification_done_on = models.DateField(_("完成精准识别日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("村（社区）试点进度")
        verbose_name_plural = _("村（社区）试点进度")
        constraints = [models.UniqueConstraint(fields=["campaign", "village"], name="village_progress_unique")]


class VillageGoal(models.Model):
    """R7: per village per year, the collective income and the per-capita income (both meant to grow)."""

    village = models.ForeignKey("regions.Region", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    collective_income_fen = models.BigIntegerField(_("村集体经济收入（分）"))
    per_capita_income_fen = models.BigIntegerField(_("农民人均可支配收入（分）"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("村级帮扶目标")
        verbose_name_plural = _("村级帮扶目标")
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="village_goal_unique"),
                       models.CheckConstraint(condition=Q(collective_income_fen__gte=0) & Q(per_capita_income_fen__gte=0),
                                              name="village_goal_nonnegative")]
