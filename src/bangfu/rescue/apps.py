from django.apps import AppConfig


class RescueConfig(AppConfig):
    name = "bangfu.rescue"
    verbose_name = "流浪乞讨人员救助管理"
