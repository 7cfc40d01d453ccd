"""`{% assignment_reminders assignment %}`: on the coach's page of an assignment, which reminders
about it went out and when (one query)."""

from django import template

from ..models import Reminder

register = template.Library()


@register.inclusion_tag("reminders/_assignment_reminders.html")
def assignment_reminders(assignment):
    return {"reminders": Reminder.objects.about(assignment)}
