from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bangfu.accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        # Every installed app's `<app>.permissions.ACTIONS`, found by module name (accounts imports
        # no app above it); a duplicate action or an unknown role stops the start.
        from .permissions import collect

        collect()
