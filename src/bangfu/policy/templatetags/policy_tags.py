"""Display helpers for the policy pages and the household panel: engine codes in Chinese."""

from __future__ import annotations

import datetime as dt

from django import template

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
