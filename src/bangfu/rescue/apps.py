from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RescueConfig(AppConfig):
    name = "bangfu.rescue"
    verbose_name = _("流浪乞讨人员救助管理")

    def ready(self) -> None:
        from bangfu.registry.signals import household_moved

        from .moves import on_household_moved

        household_moved.connect(on_household_moved, dispatch_uid="rescue.household_moved")
