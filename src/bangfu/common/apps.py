from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "bangfu.common"
    verbose_name = _("公共")

    def ready(self):
        # Pure modules (the policy engine, money) translate through texts.py: give it Django's gettext.
        from django.utils.translation import get_language, gettext, pgettext

        from . import texts

        texts.install(gettext, get_language, pgettext)
