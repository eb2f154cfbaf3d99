from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "bangfu.guide"
    verbose_name = _("使用帮助")
