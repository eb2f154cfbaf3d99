from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "bangfu.registry"
    verbose_name = "困难群众数据库"
