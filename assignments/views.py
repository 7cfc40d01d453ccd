"""Coach pages for homework (being built)."""


def dashboard(request, **kwargs):
    raise NotImplementedError


def coachee_detail(request, **kwargs):
    raise NotImplementedError


def assign(request, **kwargs):
    raise NotImplementedError


def session_detail(request, **kwargs):
    raise NotImplementedError


def review(request, **kwargs):
    raise NotImplementedError


def assignment_detail(request, **kwargs):
    raise NotImplementedError


def assignment_cancel(request, **kwargs):
    raise NotImplementedError


def library(request, **kwargs):
    raise NotImplementedError


def template_create(request, **kwargs):
    raise NotImplementedError


def template_detail(request, **kwargs):
    raise NotImplementedError


def template_edit(request, **kwargs):
    raise NotImplementedError
