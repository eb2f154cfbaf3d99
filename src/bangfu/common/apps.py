from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "bangfu.common"
    verbose_name = "公共"
