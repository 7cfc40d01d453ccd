"""Reminder pages, in three groups, each with its own access rule (see tests/test_access.py):
- `reminders:` the coach's settings, for the practice and per coachee;
- `reminders:mine:` the coachee's own mail preferences;
- `reminders:unsubscribe:` the link in every mail, without a login (its signed token is the proof).
"""

from django.urls import include, path

from . import views

app_name = "reminders"

coachee_patterns = [
    path("", views.preferences, name="preferences"),
]

unsubscribe_patterns = [
    path("<str:token>/", views.unsubscribe, name="link"),
]

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("coachees/<int:coachee_pk>/", views.coachee_settings, name="coachee_settings"),
    path("me/", include((coachee_patterns, "mine"))),
    path("unsubscribe/", include((unsubscribe_patterns, "unsubscribe"))),
]
