"""Progress, calendar feeds, exports and deletion requests.

Three groups, each with its own access rule (see tests/test_access.py):
- `progress:` pages of the coach, about their coachees and their own calendar feed;
- `progress:mine:` the coachee's own pages, under /me/;
- `progress:feed:` the calendar feed itself, open to whoever holds its secret address.
"""

from django.urls import include, path

from . import views

app_name = "progress"

coachee_patterns = [
    path("", views.my_progress, name="home"),
    path("calendar/", views.my_calendar_page, name="calendar"),
    path("calendar/new-address/", views.my_calendar_renew, name="calendar_renew"),
    path("calendar/off/", views.my_calendar_off, name="calendar_off"),
    path("data/", views.my_data, name="data"),
    path("data/coachhub-my-data.zip", views.my_export, name="export"),
    path("data/delete/", views.deletion_request, name="deletion_request"),
    path("data/delete/withdraw/", views.deletion_withdraw, name="deletion_withdraw"),
]

feed_patterns = [
    path("<str:token>.ics", views.feed, name="ics"),
]

urlpatterns = [
    path("coachees/<int:coachee_pk>/progress/", views.coachee_progress, name="coachee"),
    path("coachees/<int:coachee_pk>/history.csv", views.history_csv, name="history_csv"),
    path("coachees/<int:coachee_pk>/deletion/", views.deletion_confirm, name="deletion_confirm"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/new-address/", views.calendar_renew, name="calendar_renew"),
    path("calendar/off/", views.calendar_off, name="calendar_off"),
    path("me/progress/", include((coachee_patterns, "mine"))),
    path("calendar/feed/", include((feed_patterns, "feed"))),
]
