from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "bangfu.benefits"
    verbose_name = _("救助待遇")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the registry death receiver)
