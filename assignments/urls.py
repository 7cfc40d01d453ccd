from django.urls import path

from . import dashboard_views, views

app_name = "homework"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/to-read/", dashboard_views.to_read, name="to_read"),
    path("dashboard/sessions/", dashboard_views.upcoming_sessions, name="upcoming_sessions"),
    path("dashboard/needs-a-session/", dashboard_views.needing_a_session, name="needing_a_session"),
    path("dashboard/gone-quiet/", dashboard_views.gone_quiet, name="gone_quiet"),
    path("coachees/<int:coachee_pk>/", views.coachee_detail, name="coachee_detail"),
    path("coachees/<int:coachee_pk>/assign/", views.assign, name="assign"),
    path("sessions/<int:session_pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_pk>/held/", views.session_hold, name="session_hold"),
    path("sessions/<int:session_pk>/review/<int:assignment_pk>/", views.review, name="review"),
    path("assignments/<int:assignment_pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:assignment_pk>/cancel/", views.assignment_cancel, name="assignment_cancel"),
    path("assignments/<int:assignment_pk>/feedback/", views.feedback, name="feedback"),
    path("assignments/<int:assignment_pk>/agreement/accept/", views.agreement_accept, name="agreement_accept"),
    path("assignments/<int:assignment_pk>/agreement/adjust/", views.agreement_adjust, name="agreement_adjust"),
    path("assignments/<int:assignment_pk>/agreement/discuss/", views.agreement_discuss, name="agreement_discuss"),
    path("sessions/<int:session_pk>/agreed/<int:assignment_pk>/", views.agreed_in_session, name="agreed_in_session"),
    path("library/", views.library, name="library"),
    path("library/new/", views.template_create, name="template_create"),
    path("library/<int:template_pk>/", views.template_detail, name="template_detail"),
    path("library/<int:template_pk>/edit/", views.template_edit, name="template_edit"),
]
