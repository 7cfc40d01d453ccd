from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from . import services

# What a logged-in person who has not yet passed their second factor may open: the second step
# itself, the passkey calls it makes, and the way out.
SECOND_STEP_VIEWS = {
    "twofactor:verify",
    "logout",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}
# What a coach whom the practice requires to set up a second factor may open before doing so.
SETUP_VIEWS = {
    "twofactor:overview",
    "twofactor:authenticator_add",
    "twofactor:passkey_add",
    "twofactor:recovery_codes",
    "logout",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:js-i18n-catalog",
}


class SecondFactorMiddleware:
    """Holds a logged-in person at the second step until they pass it, whichever way they logged in.

    Logging in happens in several places (password, one-time login link, invitation, admin); checking
    here, after login, means none of them can skip the second factor. Runs after OTPMiddleware, which
    sets user.is_verified(). Works in process_view, where the resolved URL name is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        view_name = request.resolver_match.view_name
        if services.has_second_factor(user):
            if view_name in SECOND_STEP_VIEWS:
                return None
            return redirect_to_login(request.get_full_path(), reverse("twofactor:verify"))
        if services.setup_required(user) and view_name not in SETUP_VIEWS:
            return redirect("twofactor:overview")
        return None
