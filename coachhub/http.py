"""Small helpers every app's views share."""

from django.views.decorators.http import require_http_methods


def posted_data(request):
    """The submitted data for a form on POST, else None. An empty POST is still a submission, so the
    form shows its errors instead of coming back blank (`request.POST or None` would hide them)."""
    return request.POST if request.method == "POST" else None


# Form pages: GET (and HEAD) shows the form, POST submits it; anything else answers 405.
require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])
