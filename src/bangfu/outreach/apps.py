from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "bangfu.outreach"
    verbose_name = _("结对帮扶")

    def ready(self) -> None:
        from bangfu.policy.signals import chunk_assessed

        from .worklists import sync_after_reassessment

        chunk_assessed.connect(sync_after_reassessment, dispatch_uid="outreach.sync_after_reassessment")

        from bangfu.registry.signals import household_moved

        from .moves import on_household_moved

        household_moved.connect(on_household_moved, dispatch_uid="outreach.household_moved")
