from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import device_views, views
from .forms import EmailAuthenticationForm

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("confirm/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
    path("confirm/send/", views.confirm_email_resend, name="confirm_email_resend"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("login-link/", views.login_link_request, name="login_link"),
    path("login-link/sent/", views.login_link_sent, name="login_link_sent"),
    path("login-link/open/", views.login_link_open, name="login_link_open"),
    # settings/: served by sessions.account_views (see coachhub/urls.py).
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    # Where you are signed in: one's own sessions, ending them, the mail about a new device.
    path("sessions/", device_views.sessions, name="account_sessions"),
    path("sessions/<int:pk>/end/", device_views.session_end, name="account_session_end"),
    path("sessions/end-others/", device_views.sessions_end_others, name="account_sessions_end_others"),
    path("sessions/notices/", device_views.sign_in_notices, name="account_sign_in_notices"),
    # A password change also ends every other session.
    path("password_change/", device_views.PasswordChangeView.as_view(), name="password_change"),
    # Two-factor sign-in: a person's own devices and the second step after logging in, plus the
    # endpoints the passkey script of django-otp-webauthn calls.
    path("security/two-factor/", include("coachhub.accounts.twofactor.urls")),
    path("security/webauthn/", include("django_otp_webauthn.urls")),
    # logout (POST only), password change and the remaining reset steps: Django's own views.
    path("", include("django.contrib.auth.urls")),
]
