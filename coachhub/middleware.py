"""Refuses a request body too large for anything CoachHub takes, before a byte of it is read."""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from assignments.uploads import request_max_bytes


class RequestSizeLimitMiddleware:
    """Answers 413 when Content-Length says the body is larger than the request may be.

    Django would otherwise read the whole body (to a temporary file, for an upload) before a form
    could refuse it. A visitor who is not logged in never uploads, so their limit is what a form of
    text may take. A body without Content-Length is read by Django as empty, so it needs no check;
    a body longer than its Content-Length is cut there. After AuthenticationMiddleware: the limit
    depends on who asks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = self.content_length(request)
        if length and length > self.limit_for(request):
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def limit_for(request) -> int:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return request_max_bytes()
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    @staticmethod
    def content_length(request) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

    @staticmethod
    def too_large(request):
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = None
        context = {"file_limit": settings.COACHHUB_UPLOAD_MAX_BYTES, "back": back}
        return render(request, "request_too_large.html", context, status=413)
