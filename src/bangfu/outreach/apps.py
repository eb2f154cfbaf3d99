from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "bangfu.outreach"
    verbose_name = "结对帮扶"
