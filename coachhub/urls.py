from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("coachhub.accounts.urls")),
    # Invitation links open account pages, but invitations belong to coachees (the sessions app).
    path("accounts/invitation/", include("sessions.invitation_urls")),
    path("", include("sessions.urls")),
    path("", include("assignments.urls")),
    path("admin/", admin.site.urls),
]
