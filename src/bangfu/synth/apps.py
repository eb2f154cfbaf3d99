from django.apps import AppConfig


class SynthConfig(AppConfig):
    # An app only so that `bangfu synth` is found; it has no models.
    name = "bangfu.synth"
    verbose_name = "模拟数据"
