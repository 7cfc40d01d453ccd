"""Filters for homework rows that lists show many times per page.

`{{ assignment|due }}` says when an assignment is due. It used to be an include per row; lists of a
coachee's homework render it dozens of times, and a filter costs a fraction of an include with its
own blocktranslate and date nodes. The msgids are the ones the include had, so translations carry over.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from .moments import moment

register = template.Library()

# The date with weekday and time, in the reader's language (coachhub/formats).
DUE_FORMAT = "WEEKDAY_DATETIME_FORMAT"


def _when(value):
    return escape(moment(template_localtime(value), DUE_FORMAT))


@register.filter
def due(assignment):
    """When `assignment` is due, as a coach or coachee reads it on a list or its own page."""
    # Annotations some querysets leave out read as missing, as they did in the template.
    review_session_at = getattr(assignment, "review_session_at", None)
    due_moment = getattr(assignment, "due_moment", None)
    if assignment.is_open:
        if getattr(assignment, "carried_over", False) and review_session_at:
            text = gettext("at the next session (%(when)s), carried over") % {"when": _when(review_session_at)}
        elif assignment.due_at:
            text = _when(assignment.due_at)
        elif review_session_at:
            text = gettext("at the next session (%(when)s)") % {"when": _when(review_session_at)}
        else:
            text = gettext("at the next session (none scheduled yet)")
    elif assignment.due_at:
        text = _when(assignment.due_at)
    elif due_moment:
        text = gettext("at the session of %(when)s") % {"when": _when(due_moment)}
    else:
        text = gettext("at the next session")
    # Translations are ours and the dates are escaped above, as blocktranslate would do.
    return mark_safe(text)
