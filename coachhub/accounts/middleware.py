from django.utils import timezone


class TimezoneMiddleware:
    """Shows every time in the logged-in person's own time zone (times are stored in UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        else:
            timezone.deactivate()
        return self.get_response(request)
