from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "bangfu.policy"
    verbose_name = _("政策规则")

    def ready(self) -> None:
        from bangfu.registry.signals import household_moved

        from .moves import on_household_moved

        household_moved.connect(on_household_moved, dispatch_uid="policy.household_moved")
