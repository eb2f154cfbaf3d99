"""External lists, their rows and links, and the findings they produce (issue 5; R3, R4, R17).

Scoping: a batch carries the 12-digit code of the region of whoever loaded it, its rows that
code too; a finding carries the code of the person's village (or, for people not in the registry,
the region the list names, else the batch's), so `visible_to()` routes each finding to
the office of the person's region.

The row table is the big one (a list of a million rows is a million rows): a row holds its link
(person, score, method, status, evidence) itself, so that an import writes one table with COPY.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bangfu.regions.scoping import RegionQuerySet

from . import choices as c
from .kinds import KINDS, Col, Kind


class ListKind(models.Model):
    """A kind of list a deployment adds (the built-in kinds are in kinds.py)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    department = models.CharField(_("来源部门"), max_length=64, blank=True)
    # [{"field": "...", "header": "...", "aliases": ["..."]}, ...] kept as text in each row's data
    columns = models.JSONField(_("附加列"), default=list, blank=True)
    risk = models.BooleanField(_("风险名单（未纳入救助的列入主动发现）"), default=False)

    class Meta:
        verbose_name = _("名单种类")
        verbose_name_plural = _("名单种类")

    def __str__(self) -> str:
        return self.name

    def as_kind(self) -> Kind:
        extra = tuple(Col(str(col["field"]), str(col.get("header") or col["field"]), "text", tuple(col.get("aliases") or ()))
                      for col in self.columns or [] if col.get("field"))
        return Kind(self.code, self.name, self.department, (), risk=self.risk, extra=extra)


def kind_by_code(code: str) -> Kind:
    """A built-in kind, or one a deployment added (ListKind)."""
    if code in KINDS:
        return KINDS[code]
    row = ListKind.objects.filter(code=code).first()
    if row is None:
        raise KeyError(code)
    return row.as_kind()


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in KINDS.values()] + [(r.code, r.name) for r in ListKind.objects.order_by("code")]


class ColumnMapping(models.Model):
    """The column mapping a user confirmed for a kind and a header row, offered next time."""

    kind = models.CharField(_("名单种类"), max_length=32)
    headers_key = models.CharField(max_length=64)  # sha1 of the normalised header row
    mapping = models.JSONField(default=dict)  # field -> header text
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("列对应关系")
        verbose_name_plural = _("列对应关系")
        constraints = [models.UniqueConstraint(fields=["kind", "headers_key"], name="matching_mapping_unique")]


class ImportBatch(models.Model):
    kind = models.CharField(_("名单种类"), max_length=32)
    source = models.CharField(_("数据来源"), max_length=128)
    source_date = models.DateField(_("数据日期"))
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=c.BatchStatus.choices, default=c.BatchStatus.ACTIVE)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤回人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=255, blank=True)
    mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    bad_rows = models.JSONField(_("无法读取的行"), default=list, blank=True)  # [{"row": n, "reason": "..."}]
    # the department's complete roster for the area (全量) or only some of it (增量): findings that
    # rest on someone's absence from the list come only from complete lists
    complete = models.BooleanField(_("全量名单"), default=False)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("比对批次")
        verbose_name_plural = _("比对批次")
        indexes = [models.Index(fields=["region_code", "id"], name="matching_batch_region")]

    def __str__(self) -> str:
        return f"{self.source}（{self.source_date}）"

    @property
    def kind_label(self) -> str:
        try:
            return str(kind_by_code(self.kind).label)
        except KeyError:
            return self.kind


class ListRow(models.Model):
    """One row of an imported list, with its link to the registry."""

    # no index of its own: (batch, row_no) below serves every lookup by batch
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows", db_constraint=False, db_index=False)
    row_no = models.PositiveIntegerField(_("行号"))
    region_code = models.CharField(max_length=12)
    id_raw = models.CharField(_("原始证件号"), max_length=32, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    id_status = models.CharField(_("号码状态"), max_length=16, choices=c.IdStatus.choices)
    name = models.CharField(_("姓名"), max_length=64, blank=True)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    data = models.JSONField(_("其他列"), default=dict, blank=True)
    person = models.ForeignKey("registry.Person", verbose_name=_("匹配人员"), on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", db_constraint=False)
    score = models.FloatField(_("匹配得分"), null=True, blank=True)
    method = models.CharField(_("匹配方式"), max_length=16, choices=c.LinkMethod.choices, blank=True)
    link_status = models.CharField(_("匹配状态"), max_length=16, choices=c.LinkStatus.choices, default=c.LinkStatus.NONE)
    evidence = models.JSONField(_("匹配依据"), null=True, blank=True)
    refusal = models.CharField(_("拒收原因"), max_length=255, blank=True)
    fingerprint = models.CharField(max_length=40, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False, db_index=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("名单行")
        verbose_name_plural = _("名单行")
        indexes = [
            models.Index(fields=["batch", "row_no"], name="matching_row_batch"),
            # the review queue: a small partial index instead of one over every row of every list
            models.Index(fields=["batch", "row_no"], condition=models.Q(link_status="review"), name="matching_row_review"),
        ]

    def __str__(self) -> str:
        return _("%(name)s（第%(row)s行）") % {"name": self.name, "row": self.row_no}


class LinkDecision(models.Model):
    """A worker's accept or reject of a proposed link, remembered for the next import."""

    fingerprint = models.CharField(max_length=40)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    accepted = models.BooleanField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("匹配确认记录")
        verbose_name_plural = _("匹配确认记录")
        constraints = [models.UniqueConstraint(fields=["fingerprint", "person"], name="matching_decision_unique")]


class Finding(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="findings")
    # row, person and household without database constraints, as ListRow's links: an import writes
    # hundreds of thousands of findings at once and a constraint check locks each referenced row
    # (FOR KEY SHARE, dirtying the registry's pages) at commit; Django still cascades / nulls them
    row = models.ForeignKey(ListRow, on_delete=models.CASCADE, null=True, blank=True, related_name="findings", db_constraint=False)
    kind = models.CharField(_("发现类型"), max_length=24, choices=c.FindingKind.choices)
    region_code = models.CharField(_("区划代码"), max_length=12)
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               db_constraint=False)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  db_constraint=False)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    summary = models.CharField(_("说明"), max_length=255)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=c.FindingStatus.choices, default=c.FindingStatus.OPEN)
    dismiss_reason = models.CharField(_("排除原因"), max_length=255, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    case_opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case_opened_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("比对发现")
        verbose_name_plural = _("比对发现")
        indexes = [
            models.Index(fields=["kind", "status", "region_code"], name="matching_finding_kind"),
            models.Index(fields=["region_code", "id"], name="matching_finding_region"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def case_type(self) -> str | None:
        return c.CASE_TYPE.get(self.kind)
