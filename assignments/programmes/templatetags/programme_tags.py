"""Programme blocks on other apps' pages, so that homework and sessions import nothing of programmes:
the offer of a step on a session's agenda, the enrolment on a coachee's page, and the coachee's own
position on /me/. Each costs a fixed few queries."""

from django import template

from ..models import Enrolment, Programme, StepDecision
from ..services import step_at

register = template.Library()


def _current(queryset):
    return queryset.current().with_position().select_related("programme").first()


@register.inclusion_tag("programmes/_session_offer.html")
def programme_offer(session):
    """The programme step that falls on `session` for its coachee, and what the coach did with it."""
    enrolment = Enrolment.objects.current().select_related("programme").filter(coachee_id=session.coachee_id).first()
    step = step_at(enrolment, session) if enrolment else None
    if step is None:
        return {"step": None}
    decision = StepDecision.objects.filter(enrolment=enrolment, step=step).select_related("assignment").first()
    return {
        "session": session,
        "enrolment": enrolment,
        "step": step,
        "total": enrolment.programme.steps.count(),
        "decision": decision,
        "can_assign": session.has_opened() and not session.is_cancelled,
    }


@register.inclusion_tag("programmes/_coachee_enrolment.html")
def programme_enrolment(coachee, coach):
    """The programme the coachee follows and where they are, or the coach's programmes to enrol them
    in (a plain list, read once: the coachee page keeps to a fixed few queries; EnrolInForm checks
    what is posted)."""
    enrolment = _current(Enrolment.objects.filter(coachee=coachee))
    programmes = None
    if enrolment is None and not coachee.is_archived:
        programmes = list(Programme.objects.editable_by(coach).active().order_by("title", "pk").only("pk", "title"))
    return {"coachee": coachee, "enrolment": enrolment, "programmes": programmes}


@register.inclusion_tag("programmes/_my_programme.html")
def my_programme(user):
    """For the coachee: "Step 2 of 6 of <programme>". Nothing of the coach's notes."""
    enrolment = _current(Enrolment.objects.filter(coachee__user=user))
    return {"enrolment": enrolment}
