from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .http import client_ip


class AccessLog(models.Model):
    """A read that must leave a trace: a full ID number shown, a person's full record, an export."""

    class Action(models.TextChoices):
        VIEW_RECORD = "view_record", _("查看完整档案")
        VIEW_ID_NUMBER = "view_id_number", _("查看完整身份证号")
        VIEW_PHONE = "view_phone", _("查看完整电话")
        EXPORT = "export", _("导出")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=32)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    detail = models.CharField(_("说明"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("访问日志")
        verbose_name_plural = _("访问日志")
        indexes = [models.Index(fields=["object_type", "object_id"], name="accesslog_object")]


def log_access(*, acting_user, action: str, object_type: str, object_id="", region_code: str = "", detail: str = "",
               request=None) -> AccessLog:
    """One row of the access log: who (`acting_user`) read or exported what, from where."""
    ip = client_ip(request) if request is not None else None
    return AccessLog.objects.create(
        user=acting_user, action=action, object_type=object_type, object_id=str(object_id),
        region_code=region_code, detail=detail[:255], ip_address=ip,
    )


class Job(models.Model):
    """Long work started from the web (imports, later reassessment and matching): the task worker
    runs it and writes its progress here; the page polls it (htmx)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("说明"), max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to="jobs/in/", blank=True)
    output_file = models.FileField(upload_to="jobs/out/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)
