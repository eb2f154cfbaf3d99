from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "bangfu.regions"
    verbose_name = "行政区划"
