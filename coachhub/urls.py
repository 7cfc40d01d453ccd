from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from assignments.views import upload_file
from sessions.account_views import account_settings

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Saving one's own settings also updates a coachee's record, which only the sessions app knows.
    path("accounts/settings/", account_settings, name="account_settings"),
    path("accounts/", include("coachhub.accounts.urls")),
    # Invitation links open account pages, but invitations belong to coachees (the sessions app).
    path("accounts/invitation/", include("sessions.invitation_urls")),
    path("", include("sessions.urls")),
    path("", include("assignments.urls")),
    path("me/", include("assignments.coachee_urls")),
    path("reminders/", include("assignments.reminders.urls")),
    # Progress pages, calendar feeds, exports and deletion requests, for coaches and coachees.
    path("", include("assignments.progress.urls")),
    # Programmes: homework planned across a series of sessions, offered at each session.
    path("programmes/", include("assignments.programmes.urls")),
    # No MEDIA_URL is routed: uploaded files are served only by this view, which checks access.
    path("files/<int:upload_pk>/", upload_file, name="upload_file"),
    # The language switcher of public pages posts here (Django's set_language view).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# The benchmark's baselines (bench/views.py), never routed in production: see BENCH_VIEWS in settings.
if settings.BENCH_VIEWS:
    urlpatterns.append(path("bench/", include("bench.urls")))
