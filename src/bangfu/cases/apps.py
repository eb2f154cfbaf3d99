from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "bangfu.cases"
    verbose_name = _("案件办理")

    def ready(self) -> None:
        from bangfu.registry.signals import household_moved

        from .moves import on_household_moved

        household_moved.connect(on_household_moved, dispatch_uid="cases.household_moved")
