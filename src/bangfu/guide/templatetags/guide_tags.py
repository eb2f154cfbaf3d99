from django import template
from django.urls import reverse

from bangfu.guide.pages import section_for
from bangfu.guide.rendering import heading_id

register = template.Library()


@register.simple_tag(takes_context=True)
def help_url(context) -> str:
    """The help for the page being shown: its guide's section, or the list of guides."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    found = section_for(match.namespace, match.url_name) if match else None
    if not found:
        return reverse("guide:index")
    slug, heading = found
    return reverse("guide:page", args=[slug]) + (f"#{heading_id(heading)}" if heading else "")
