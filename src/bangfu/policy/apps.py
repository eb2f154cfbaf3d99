from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "bangfu.policy"
    verbose_name = "政策规则"
