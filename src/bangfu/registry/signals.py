"""Signals the registry sends, so that the apps above it can follow a change without the registry
importing them (the arrows point down: benefits listens, the registry does not know it)."""

from django.dispatch import Signal

# Sent by services.person_update, inside its transaction, when a person's status becomes
# "deceased" (and only then). Keyword arguments: person, died_on (the day the death is recorded:
# the registry keeps no date of death), acting_user.
person_died = Signal()

# Sent by moves.household_move once per move, inside the transaction that changes the household's village, with:
#   household_ids   – the households that moved (one today; a list so that a future move of
#                     several households at once sends one signal)
#   person_ids      – their members at the time of the move (Person.household), whose
#                     person-level rows move too
#   old_region_code, new_region_code – the 12-digit village codes
#   acting_user     – who moved them; the author of the history rows the receivers write
household_moved = Signal()
