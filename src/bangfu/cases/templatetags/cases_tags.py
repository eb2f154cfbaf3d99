from django import template

from bangfu.cases.models import NO_DEADLINE

register = template.Library()


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
