"""Programmes: coach pages only (see tests/test_access.py). A coachee sees their position on /me/,
drawn by the `my_programme` template tag."""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("import/", views.programme_import, name="import"),
    path("positions/", views.positions, name="positions"),
    path("<int:programme_pk>/", views.programme_detail, name="detail"),
    path("<int:programme_pk>/edit/", views.programme_edit, name="edit"),
    path("<int:programme_pk>/copy/", views.programme_copy, name="copy"),
    path("<int:programme_pk>/archive/", views.programme_archive, name="archive"),
    path("<int:programme_pk>/restore/", views.programme_restore, name="restore"),
    path("<int:programme_pk>/export.json", views.programme_export, name="export"),
    path("<int:programme_pk>/steps/new/", views.step_create, name="step_create"),
    path("<int:programme_pk>/enrol/", views.enrol, name="enrol"),
    path("steps/<int:step_pk>/edit/", views.step_edit, name="step_edit"),
    path("steps/<int:step_pk>/remove/", views.step_remove, name="step_remove"),
    path("steps/<int:step_pk>/move/", views.step_move, name="step_move"),
    path("coachees/<int:coachee_pk>/enrol/", views.enrol_coachee, name="enrol_coachee"),
    path("enrolments/<int:enrolment_pk>/end/", views.enrolment_end, name="enrolment_end"),
    path("sessions/<int:session_pk>/steps/<int:step_pk>/confirm/", views.step_confirm, name="step_confirm"),
    path("sessions/<int:session_pk>/steps/<int:step_pk>/skip/", views.step_skip, name="step_skip"),
    path("sessions/<int:session_pk>/steps/<int:step_pk>/assign/", views.step_assign, name="step_assign"),
]
