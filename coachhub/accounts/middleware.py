from django.utils import timezone, translation

from . import devices


class PersonalSettingsMiddleware:
    """Shows every page in the logged-in person's own language and every time in their own time
    zone (times are stored in UTC). A visitor who is not logged in keeps what LocaleMiddleware chose
    (the language cookie of the switcher, else Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
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
