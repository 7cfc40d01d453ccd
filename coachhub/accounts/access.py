"""Who may open which page. Every coach or coachee view is wrapped in one of these decorators."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def coach_required(view):
    """Anonymous visitors go to the login page; anyone who is not a coach gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coach:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def coachee_required(view):
    """Anonymous visitors go to the login page; anyone who is not a coachee gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coachee:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
