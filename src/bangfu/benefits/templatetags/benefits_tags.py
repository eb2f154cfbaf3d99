from __future__ import annotations

from django import template

from .. import selectors
from ..masking import mask_name as _mask_name

register = template.Library()


@register.filter
def mask_name(name: str | None) -> str:
    return _mask_name(name)


@register.simple_tag
def household_benefits_panel(household) -> dict:
    """The household page's benefits section: the caller (registry's household page) already holds
    the household in the viewer's scope, so the unscoped selectors apply."""
    benefits = list(selectors.household_benefits(household))
    amounts = list(selectors.household_amounts(household)) if benefits else []
    by_benefit: dict[int, list] = {}
    for a in amounts:
        by_benefit.setdefault(a.benefit_id, []).append(a)
    for b in benefits:
        b.history_rows = by_benefit.get(b.pk, [])
    return {"benefits": benefits, "payments": list(selectors.household_one_off_payments(household)[:20])}
