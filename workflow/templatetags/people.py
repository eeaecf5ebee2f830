"""``{{ user|person }}``: a user's name as every page shows it (workflow.people)."""

from django import template

from workflow.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    return display_name(user)
