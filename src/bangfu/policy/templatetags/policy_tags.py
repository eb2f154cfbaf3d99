"""Display helpers for the policy pages and the household panel: engine codes in Chinese."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from bangfu.policy.determination import household_determination, parse_day
from bangfu.policy.labels import engine_label

register = template.Library()


@register.filter
def policy_label(value, kind: str) -> str:
    """`{{ h.ta_type|policy_label:"ta_type" }}` → 急难型."""
    return engine_label(value, kind)


@register.filter
def policy_labels(values, kind: str) -> list[str]:
    """A list of codes → their labels (causes, categories, flags, asset failures)."""
    return [engine_label(v, kind) for v in values or ()]


@register.filter
def iso_date(value) -> str:
    """The engine's ISO strings and real dates alike as YYYY-MM-DD."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return value or ""


@register.filter
def may_simulate(user) -> bool:
    """The nav link 测算: shown to whoever the simulation page lets in (policy.simulation)."""
    from bangfu.accounts.permissions import has_perm
    from bangfu.policy.permissions import SIMULATE

    return has_perm(user, SIMULATE)


@register.simple_tag(takes_context=True)
def household_determination_panel(context, household, members=None) -> dict:
    """The household page's panel "政策测评" (policy/_household_determination.html): the household
    (already in the viewer's scope: the registry page looked it up) judged on `?on=` or today.
    `members`: the page's member list, whose names the panel reuses (no second query)."""
    request = context.get("request")
    on, on_error = parse_day(request.GET.get("on") if request is not None else None, timezone.localdate())
    names = {p.pk: p.name for p in members} if members is not None else None
    return {"determination": household_determination(household, on=on, names=names), "on_error": on_error}
