from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RescueConfig(AppConfig):
    name = "bangfu.rescue"
    verbose_name = _("流浪乞讨人员救助管理")
