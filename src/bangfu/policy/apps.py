from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "bangfu.policy"
    verbose_name = _("政策规则")

    def ready(self):
        # The engine is pure: it translates through the hook in texts.py, installed here.
        from django.utils.translation import get_language, gettext

        from . import texts

        texts.install(gettext, get_language)
