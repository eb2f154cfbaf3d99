from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Level
from .codes import prefix_of, subtree_bounds


class Region(models.Model):
    """One node of the division tree. `code` is the 12-digit statistical code (see codes.py)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    full_name = models.CharField(_("全称"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def prefix(self) -> str:
        return prefix_of(self.code, self.level)

    @property
    def bounds(self) -> tuple[str, str]:
        return subtree_bounds(self.prefix)

    @property
    def short_code(self) -> str:
        """6 digits to county level, 12 below, as officials write them."""
        return self.code[:6] if self.level <= Level.COUNTY else self.code

    def contains(self, code12: str) -> bool:
        low, high = self.bounds
        return low <= code12 <= high
