from functools import lru_cache

from django import template
from django.utils.translation import get_language

from bangfu.cases.choices import CaseState, CaseType
from bangfu.cases.models import NO_DEADLINE

register = template.Library()


@lru_cache(maxsize=32)
def _labels(choices, language) -> dict[str, str]:
    # `language` is only the cache key: str() translates into the active language, which it is.
    return {value: str(label) for value, label in choices.choices}


@register.filter
def case_type_label(value):
    """`get_case_type_display` for list rows: one translated table per language instead of
    translating every choice on each call (Model._get_FIELD_display hashes the lazy labels)."""
    return _labels(CaseType, get_language()).get(value, value)


@register.filter
def case_state_label(value):
    """`get_state_display` for list rows (see case_type_label)."""
    return _labels(CaseState, get_language()).get(value, value)


@register.simple_tag
def household_cases(household, limit: int = 20):
    """The household's cases for its registry page (the page already checked access)."""
    from bangfu.cases.selectors import household_cases as select

    return list(select(household).select_related("benefit")[:limit])


@register.filter
def deadline(value):
    """A deadline date, or None when the step has no legal time limit."""
    return None if value in (None, NO_DEADLINE) else value


@register.filter
def overdue_on(value, today) -> bool:
    return value not in (None, NO_DEADLINE) and value < today


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def calendar_unconfirmed(value) -> bool:
    """A deadline in a year whose holidays nobody has given yet counts Monday to Friday only."""
    from bangfu.cases.workdays import calendar_confirmed

    return value not in (None, NO_DEADLINE) and not calendar_confirmed(value.year)


@register.simple_tag(takes_context=True)
def calendar_warning(context):
    """For an administrator: the years (this and next) whose holidays must still be entered."""
    from bangfu.accounts.choices import Role
    from bangfu.cases.workdays import unconfirmed_years
    from django.utils import timezone

    user = context.get("user")
    if not (user and user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)):
        return []
    return unconfirmed_years(timezone.localdate())
