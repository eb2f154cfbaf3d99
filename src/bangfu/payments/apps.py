from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "bangfu.payments"
    verbose_name = _("资金发放")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (an overpayment becomes a receivable)
