from functools import lru_cache

from django import template
from django.utils.formats import localize
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@lru_cache(maxsize=32)
def _summary_format(language) -> str:
    # `language` is only the cache key: gettext translates into the active language, which it is.
    # The msgid is the one {% blocktranslate with n=… b=… %} used, so the catalogues still apply.
    return gettext("结对 %(n)s，未达标 %(b)s")


@register.filter
def village_counts(row) -> str:
    """「结对 n，未达标 b」 for a row of the per-village summary: the format is looked up once per
    language instead of a blocktranslate (catalogue lookup and a sub-render) on each of ~240 rows."""
    return _summary_format(get_language()) % {"n": localize(row["pairings"]), "b": localize(row["behind"])}
