from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "bangfu.benefits"
    verbose_name = _("救助待遇")

    def ready(self) -> None:
        from bangfu.registry.signals import household_moved

        from . import signals  # noqa: F401  (connects the receiver of registry.signals.person_died)
        from .moves import on_household_moved

        household_moved.connect(on_household_moved, dispatch_uid="benefits.household_moved")
