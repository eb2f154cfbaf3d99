from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Department, Role


class User(AbstractUser):
    """A worker bound to one region; every read of people's data is limited to its subtree."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.VILLAGE_WORKER)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, null=True, related_name="users"
    )
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices, default=Department.CIVIL_AFFAIRS)
    # Set when an administrator creates the account or sets its password, and on demo accounts:
    # the user must choose their own password before anything else (accounts.middleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # Made by `bangfu demo-setup` with its published password; demo-setup refuses a database that
    # holds other accounts (demo.guard), and in debug mode these need not change their password.
    is_demo = models.BooleanField(_("演示账号"), default=False, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def reads_households(self) -> bool:
        """Whether the region-bound account reads the household registry and what is read off it
        (what `visible_to(user, households=True)` asks; see accounts.access)."""
        from .access import may_read_households

        return may_read_households(self)

    def get_full_name(self) -> str:
        # Chinese order: family name first, no space (张伟, not 伟 张).
        return f"{self.last_name}{self.first_name}".strip()
