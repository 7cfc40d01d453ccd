"""Coach pages for coachees, goals and sessions (being built)."""


def coachee_list(request, **kwargs):
    raise NotImplementedError


def coachee_create(request, **kwargs):
    raise NotImplementedError


def coachee_edit(request, **kwargs):
    raise NotImplementedError


def coachee_archive(request, **kwargs):
    raise NotImplementedError


def coachee_restore(request, **kwargs):
    raise NotImplementedError


def goal_create(request, **kwargs):
    raise NotImplementedError


def goal_edit(request, **kwargs):
    raise NotImplementedError


def session_create(request, **kwargs):
    raise NotImplementedError


def session_edit(request, **kwargs):
    raise NotImplementedError


def session_cancel(request, **kwargs):
    raise NotImplementedError


def session_mark_held(request, **kwargs):
    raise NotImplementedError
