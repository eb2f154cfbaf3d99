from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "bangfu.benefits"
    verbose_name = "救助待遇"
