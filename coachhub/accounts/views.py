import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from sesame import settings as sesame_settings
from sesame.utils import get_user

from . import ratelimit, services
from .forms import LoginLinkForm, SignupForm
from .models import User

logger = logging.getLogger(__name__)


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.coach_sign_up(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            timezone=form.cleaned_data["timezone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to CoachHub, %(name)s.") % {"name": user.get_short_name()})
        return redirect("homework:dashboard")
    return render(request, "registration/signup.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Mails a reset link that starts with SITE_URL, not with whatever Host header the request had."""

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the mailed link also lifts a login lockout of that account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email)
        return response


# --- One-time login links ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_link_request(request):
    """Mail a one-time login link to an account's address.

    Steps:
    1. Validate the address.
    2. Within the rate limits (per address and per client), mail a link if an active account uses it.
    3. Answer the same in every case, so the page never tells whether an account exists.
    """
    form = LoginLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if ratelimit.allow_mail_request(request, address=email):
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is not None:
                services.login_link_send(user=user)
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
