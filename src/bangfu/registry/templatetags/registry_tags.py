"""Display helpers for registry pages: masked numbers, yuan amounts, permission checks, query strings."""

from __future__ import annotations

from django import template
from django.http import QueryDict

from bangfu.accounts.permissions import has_perm
from bangfu.common.idnumber import mask_id_number, mask_phone
from bangfu.common.money import format_yuan
from bangfu.registry import choices as c

register = template.Library()


@register.filter
def masked_id(number: str | None) -> str:
    return mask_id_number(number)


@register.filter
def masked_phone(phone: str | None) -> str:
    return mask_phone(phone)


@register.filter
def yuan(fen: int | None) -> str:
    return format_yuan(fen)


@register.filter
def illness_labels(codes) -> list[str]:
    labels = dict(c.MajorIllness.choices)
    return [str(labels.get(code, code)) for code in codes or ()]


@register.filter
def minutes(delta) -> int:
    """A timedelta in whole minutes (the lockout page)."""
    return int(delta.total_seconds() // 60) if delta else 0


@register.filter
def can(user, action: str) -> bool:
    """`{% if user|can:"edit" %}`: the apps' action tables collected by accounts.permissions, nothing else."""
    return has_perm(user, action)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced; a value of None drops the key."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return params.urlencode()


SUPPORTER_FACTS = ("on_tekun", "on_dibao", "income_below_disposable", "severe_disability", "no_civil_capacity")


@register.filter
def supporter_facts(supporter) -> list[str]:
    """The recorded facts of an outside supporter that bear on their capacity (特困人员认定办法第十条)."""
    return [str(supporter._meta.get_field(name).verbose_name) for name in SUPPORTER_FACTS if getattr(supporter, name)]
