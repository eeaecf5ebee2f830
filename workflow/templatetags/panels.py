"""``{% page_panels "target" target %}``: the panels higher apps add to this page."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from workflow.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_panels(context, slot: str, obj=None) -> str:
    request = context.get("request")
    if request is None:
        return ""
    html = [
        render_to_string(name, panel_context, request=request)
        for name, panel_context in panels_for(slot, request, obj)
    ]
    return mark_safe("".join(html))  # each part is a rendered, autoescaped template
