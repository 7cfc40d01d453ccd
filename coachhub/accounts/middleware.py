from django.utils import timezone

from . import devices


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


class DeviceMiddleware:
    """Keeps the cookies of `coachhub.accounts.devices` in step with who is signed in, and notes
    (every few minutes at most) that a signed-in session is in use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            devices.remember_signed_in_as(request, response)
            devices.set_device_cookie(request, response)
            devices.session_seen(request=request)
        elif getattr(request, devices.SIGNED_OUT_ATTRIBUTE, False):
            devices.forget_signed_in_as(response)
        return response
