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
