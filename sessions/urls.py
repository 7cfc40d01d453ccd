from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("coachees/", views.coachee_list, name="coachee_list"),
    path("coachees/new/", views.coachee_create, name="coachee_create"),
    path("coachees/<int:coachee_pk>/edit/", views.coachee_edit, name="coachee_edit"),
    path("coachees/<int:coachee_pk>/archive/", views.coachee_archive, name="coachee_archive"),
    path("coachees/<int:coachee_pk>/restore/", views.coachee_restore, name="coachee_restore"),
    path("coachees/<int:coachee_pk>/invite/", views.coachee_invite, name="coachee_invite"),
    path("coachees/<int:coachee_pk>/goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_pk>/edit/", views.goal_edit, name="goal_edit"),
    path("coachees/<int:coachee_pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_pk>/cancel/", views.session_cancel, name="session_cancel"),
]
