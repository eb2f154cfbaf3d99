"""Reassessment results follow a household that moves (issue 11; registry/moves.py).

A household's determination and its benefit changes carry its village code: the open changes are
the case workflow's worklist and must reach the new village's office. Both tables are derived,
bulk-written and kept without history rows; the household's own history records the move (who,
when, old and new village)."""

from __future__ import annotations

from bangfu.registry.moves import restamp

from .models import BenefitChange, Determination


def on_household_moved(sender, *, household_ids, new_region_code, acting_user, **kwargs) -> None:
    for model in (Determination, BenefitChange):
        restamp(model, model.objects.filter(household_id__in=household_ids), region_code=new_region_code, acting_user=acting_user)
