"""The benchmark's two baselines: what any page costs before it does any work of its own.

Pages are compared with `auth_hello` (login required, behind every middleware, as every page), so a
ratio shows what a page adds; `bare_hello` shows what the middleware and the login check cost."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


def bare_hello(request):
    return HttpResponse("hello", content_type="text/plain")


@login_required
def auth_hello(request):
    return HttpResponse("hello", content_type="text/plain")
