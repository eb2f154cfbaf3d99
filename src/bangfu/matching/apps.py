from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "bangfu.matching"
    verbose_name = "数据比对"
