"""One cell of the monthly table: the figure as a link to the list behind it."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _text(value) -> str:
    if isinstance(value, tuple):
        low, high = value
        return f"{low}" if low == high else f"{low}–{high}"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.simple_tag
def figure_cell(figure, value, row, month, case_type: str = ""):
    if value is None:
        if figure.key.endswith("_paid") and getattr(row, "no_payroll", False):
            return format_html('<td class="num missing" title="{}">{}</td>', _("当月未生成发放花名册"), _("无花名册"))
        return format_html('<td class="num">{}</td>', "—")
    text = _text(value)
    if not figure.listing:
        return format_html('<td class="num">{}</td>', text)
    query = {"region": row.code, "month": f"{month:%Y-%m}", "figure": figure.key}
    if case_type:
        query["case_type"] = case_type
    url = reverse("reports:figure_list") + "?" + urlencode(query)
    note = ""
    if figure.key.endswith("_paid") and getattr(row, "missing_counties", None):
        note = "*"
    return format_html('<td class="num"><a href="{}">{}</a>{}</td>', url, text, note)
