"""A household that moves takes its rows along (issue 11).

Every app copies the household's village code into its own rows (`region_code`, so that one index
range scopes a query). When the household's village changes, `household_move` re-stamps the
registry's rows and then sends `household_moved`, in the caller's transaction; each app above the
registry connects a receiver in its AppConfig.ready() (`<app>/moves.py`) and re-stamps its own rows.
The registry never imports those apps: the arrows keep pointing down (docs/decisions.md).

Receivers are called with `send`, not `send_robust`: an error in any of them propagates, and the
transaction rolls back, so a household never half-moves.
"""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from .models import Asset, Classification, Household, IncomeItem, Membership, Person, RigidExpense, Supporter
from .signals import household_moved


def restamp(model, queryset, *, region_code: str, acting_user, field: str = "region_code") -> int:
    """Set `field` to `region_code` on the rows of `queryset` that carry another code.

    Rows are locked in primary-key order (the order every service locks in, so two moves cannot
    deadlock). A model with django-simple-history gets one history row per changed row, authored
    by `acting_user`; a model without history (derived or bulk tables) is updated in one
    statement. Returns the number of rows changed."""
    if getattr(model._meta, "simple_history_manager_attribute", None):
        rows = list(queryset.exclude(**{field: region_code}).select_for_update().order_by("pk"))
        for row in rows:
            setattr(row, field, region_code)
        if rows:
            bulk_update_with_history(rows, model, [field], default_user=acting_user)
        return len(rows)
    pks = list(queryset.exclude(**{field: region_code}).select_for_update().order_by("pk").values_list("pk", flat=True))
    if pks:
        model.objects.filter(pk__in=pks).update(**{field: region_code})
    return len(pks)


@transaction.atomic
def household_move(*, acting_user, household: Household, old_region_code: str) -> None:
    """Re-stamp every row about `household` with its (already set) new village code.

    Called by the services that change a household's village (registry.services.household_update)
    before they save the household. The registry's rows first, then every app's through
    `household_moved`."""
    new_code = household.region_code
    if new_code == old_region_code:
        return
    person_ids = list(Person.objects.filter(household=household).order_by("pk").values_list("pk", flat=True))
    restamp(Person, Person.objects.filter(pk__in=person_ids), region_code=new_code, acting_user=acting_user)
    for model in (Membership, IncomeItem, Asset, RigidExpense, Classification, Supporter):
        restamp(model, model.objects.filter(household=household), region_code=new_code, acting_user=acting_user)
    household_moved.send(sender=Household, household_ids=[household.pk], person_ids=person_ids,
                         old_region_code=old_region_code, new_region_code=new_code, acting_user=acting_user)
