from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bangfu.cases"
    verbose_name = "案件办理"
