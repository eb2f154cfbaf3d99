from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "bangfu.matching"
    verbose_name = _("数据比对")

    def ready(self) -> None:
        from bangfu.registry.signals import household_moved

        from .moves import on_household_moved

        household_moved.connect(on_household_moved, dispatch_uid="matching.household_moved")
