"""Who may open which page. Every coach or coachee view is wrapped in one of these decorators.

A page of the other role is no secret (every coach has a dashboard, every coachee a homework list),
so someone who opens one, say from an old bookmark or a link the coach pasted, is sent to their own
start page with a short note instead of a dead end. The check runs before the view looks anything
up, so nothing about the object in the address is revealed; someone else's object still answers 404
inside the views.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def _to_own_start_page(request):
    """The coach's dashboard or the coachee's homework, with a note why they landed there."""
    if request.user.is_coach:
        messages.info(request, _("That page belongs to a coachee's account. Here is your dashboard."))
        return redirect("homework:dashboard")
    messages.info(request, _("That page is for coaches. Here is your homework."))
    return redirect("my:home")


def coach_required(view):
    """Anonymous visitors go to the login page; a coachee goes to their own homework."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coach:
            return _to_own_start_page(request)
        return view(request, *args, **kwargs)

    return wrapper


def coachee_required(view):
    """Anonymous visitors go to the login page; a coach goes to their own dashboard."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coachee:
            return _to_own_start_page(request)
        return view(request, *args, **kwargs)

    return wrapper
