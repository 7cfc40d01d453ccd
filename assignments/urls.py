from django.urls import path

from . import views

app_name = "homework"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("coachees/<int:coachee_pk>/", views.coachee_detail, name="coachee_detail"),
    path("coachees/<int:coachee_pk>/assign/", views.assign, name="assign"),
    path("sessions/<int:session_pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_pk>/held/", views.session_hold, name="session_hold"),
    path("sessions/<int:session_pk>/review/<int:assignment_pk>/", views.review, name="review"),
    path("assignments/<int:assignment_pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:assignment_pk>/cancel/", views.assignment_cancel, name="assignment_cancel"),
    path("assignments/<int:assignment_pk>/feedback/", views.feedback, name="feedback"),
    path("library/", views.library, name="library"),
    path("library/new/", views.template_create, name="template_create"),
    path("library/<int:template_pk>/", views.template_detail, name="template_detail"),
    path("library/<int:template_pk>/edit/", views.template_edit, name="template_edit"),
]
