"""Signals the registry sends, so that the apps above it can follow a change without the registry
importing them (the arrows point down: benefits listens, the registry does not know it)."""

from django.dispatch import Signal

# Sent by services.person_update, inside its transaction, when a person's status becomes
# "deceased" (and only then). Keyword arguments: person, died_on (the day the death is recorded:
# the registry keeps no date of death), acting_user.
person_died = Signal()
