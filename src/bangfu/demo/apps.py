from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top floor: `bangfu demo-setup` and the demo rows it writes through every app's services.
    It may import every app; no app imports it (the layer contract in pyproject.toml)."""

    name = "bangfu.demo"
    verbose_name = "演示数据"
