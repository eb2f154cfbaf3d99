from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "bangfu.benefits"
    verbose_name = "救助待遇"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receiver of registry.signals.person_died)
