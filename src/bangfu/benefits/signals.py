"""The registry records a death by setting a Person's status to "deceased" (registry.services.
person_update), and sends registry.signals.person_died when it does. The household's open
benefits then come due for review within 3 months (issue 4; services.death_review_schedule).

The registry keeps no date of death, so the date the death is recorded stands for it; a caller that
knows the date (a death-list match, issue 5) calls services.death_review_schedule(person=…, died_on=…) itself.
"""

from __future__ import annotations

from django.dispatch import receiver

from bangfu.registry.signals import person_died


@receiver(person_died, dispatch_uid="benefits.person_died")
def _review_after_death(sender, *, person, died_on, acting_user=None, **kwargs) -> None:
    from .services import benefit_stop_on_death, death_review_schedule

    died_on = getattr(person, "death_date", None) or died_on  # the registry's date of death, where it keeps one
    # The person's own benefits stop from the month after death (amounts paid since become an
    # overpayment to recover); the household's other benefits come due for review within 3 months.
    benefit_stop_on_death(person=person, died_on=died_on, acting_user=acting_user)
    death_review_schedule(person=person, died_on=died_on, acting_user=acting_user)
