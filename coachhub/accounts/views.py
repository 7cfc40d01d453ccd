import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from sesame import settings as sesame_settings
from sesame.utils import get_user

from . import devices, ratelimit, services
from .forms import LoginLinkForm, SignupForm
from .models import User

logger = logging.getLogger(__name__)

# The address a visitor just signed up with, for the "check your inbox" page (never shown to others).
SIGNED_UP_EMAIL = "signed_up_email"


def signup(request):
    """Sign up as a coach.

    Steps:
    1. Within the per-client sign-up limit, validate the form.
    2. Create the account, or mail the owner of an address that has one (services.coach_sign_up).
    3. Answer "check your inbox" in every case, so the page never tells whether an account exists.
    """
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow_sign_up(request):
            form.add_error(None, _("Too many sign-ups from your network just now. Please try again in an hour."))
            return render(request, "registration/signup.html", {"form": form}, status=429)
        email = form.cleaned_data["email"]
        services.coach_sign_up(
            name=form.cleaned_data["name"],
            email=email,
            password=form.cleaned_data["password1"],
            timezone=form.cleaned_data["timezone"],
            # The language the visitor reads the sign-up page in (the switcher, or their browser's).
            language=translation.get_language(),
            send_mail=ratelimit.allow_mail_request(request, address=email),
        )
        request.session[SIGNED_UP_EMAIL] = email
        return redirect("signup_sent")
    return render(request, "registration/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "registration/signup_sent.html", {"email": request.session.get(SIGNED_UP_EMAIL)})


@require_http_methods(["GET", "POST"])
def confirm_email(request, uidb64, token):
    """The link mailed to a new coach. Only pressing its button (a POST) confirms and logs in: mail
    scanners fetch links before people do."""
    user = _user_from_uid(uidb64)
    if user is None or not services.email_confirmation_tokens.check_token(user, token):
        return render(request, "registration/confirm_email_invalid.html", status=400)
    if request.method == "POST":
        services.email_confirm(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Your address is confirmed. Welcome to CoachHub, %(name)s.") % {"name": user.get_short_name()}
        )
        return redirect("home")
    return render(request, "registration/confirm_email.html", {"confirm_user": user})


@login_required
@require_POST
def confirm_email_resend(request):
    """A coach who has not confirmed their address asks for the link again."""
    user = request.user
    if user.email_confirmed:
        messages.info(request, _("Your address is confirmed already."))
    elif ratelimit.allow_mail_request(request, address=user.email):
        services.email_confirmation_send(user=user)
        messages.success(request, _("A new link is on its way to %(email)s.") % {"email": user.email})
    else:
        messages.warning(
            request,
            _("We sent several links to %(email)s just now. Please wait a quarter of an hour.") % {"email": user.email},
        )
    return redirect("home")


def _user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


class PasswordResetView(auth_views.PasswordResetView):
    """Hands the reset mail to the worker (see tasks.send_password_reset), within the same limits
    as login links. The page answers the same, and as fast, whether the address has an account."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if ratelimit.allow_mail_request(self.request, address=email):
            services.password_reset_request(email=email)
        else:
            logger.warning("Password-reset requests over the rate limit; no mail sent")
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the mailed link also lifts a login lockout of that account,
    and ends every session of it: whoever knew the old password is signed out everywhere."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email)
        devices.sessions_end_others(user=form.user, current_key=None)
        return response


# --- One-time login links ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_link_request(request):
    """Mail a one-time login link to an account's address.

    Steps:
    1. Validate the address.
    2. Within the rate limits (per address and per client), have the worker mail a link if an active
       account uses it (the worker looks; see services.login_link_request).
    3. Answer the same in every case, so the page never tells whether an account exists.
    """
    form = LoginLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if ratelimit.allow_mail_request(request, address=email):
            services.login_link_request(email=email)
        else:
            logger.warning("Login-link requests over the rate limit; no mail sent")
        return redirect("login_link_sent")
    return render(request, "registration/login_link_form.html", {"form": form})


def login_link_sent(request):
    return render(request, "registration/login_link_sent.html", {"minutes": settings.SESAME_MAX_AGE // 60})


@require_http_methods(["GET", "POST"])
def login_link_open(request):
    """The page a mailed login link opens. Only pressing its button (a POST) logs in: mail scanners
    fetch links before people do, and a GET must not use the link up."""
    has_token = bool(request.GET.get(sesame_settings.TOKEN_NAME))
    if request.method == "POST" and has_token:
        # The form posts back to this URL, token in the query string, where get_user() reads it.
        user = get_user(request, scope=services.LOGIN_LINK_SCOPE)
        if user is not None:
            login(request, user)  # get_user() has set the backend and used the link up
            axes_reset(username=user.email)  # the link proves the address, as a password reset does
            return redirect("home")
    if request.method == "POST" or not has_token:
        return render(request, "registration/login_link_invalid.html", status=400)
    return render(request, "registration/login_link_open.html")
