"""Signals of the policy app, so that apps built on the engine react to its work without the
engine importing them."""

from django.dispatch import Signal

# Sent by `reassessment.reassess` after each part (one county) is judged and stored, with the
# engine's `Assessment` of that part: run, result, bounds (low, high code range), on_date,
# acting_user. The outreach app opens and closes its follow-up items (R4) from the flags.
chunk_assessed = Signal()
