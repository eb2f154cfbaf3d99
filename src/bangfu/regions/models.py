from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Level
from .codes import RegionCode
from .scoping import RegionCodeQuerySet


class Region(models.Model):
    """One node of the division tree. `code` is the 12-digit statistical code (see codes.py)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    full_name = models.CharField(_("全称"), max_length=255, blank=True)

    objects = RegionCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def code_value(self) -> RegionCode:
        """The code as a value: level, parent, ancestors and subtree range (codes.RegionCode)."""
        return RegionCode(self.code)

    @property
    def prefix(self) -> str:
        return self.code_value.prefix

    @property
    def bounds(self) -> tuple[str, str]:
        return self.code_value.bounds

    @property
    def short_code(self) -> str:
        """6 digits to county level, 12 below, as officials write them."""
        return self.code_value.short

    def contains(self, code12) -> bool:
        return self.code_value.contains(code12)
