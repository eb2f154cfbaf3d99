"""Findings follow a household that moves (issue 11; registry/moves.py).

A finding about a registry person or household carries that person's village code, so that it
reaches the office of the village where the person lives; when the household moves, its open and
decided findings move with it. An import batch and its rows keep the code of the office that loaded
the list: they record who loaded what, not where a person lives."""

from __future__ import annotations

from django.db.models import Q

from bangfu.registry.moves import restamp

from .models import Finding


def on_household_moved(sender, *, household_ids, person_ids, new_region_code, acting_user, **kwargs) -> None:
    findings = Finding.objects.filter(Q(household_id__in=household_ids) | Q(person_id__in=person_ids))
    restamp(Finding, findings, region_code=new_region_code, acting_user=acting_user)
