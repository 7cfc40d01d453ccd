"""The coachee's pages, under /me/. Every view is the coachee's alone (see coachee_views)."""

from django.urls import path

from . import coachee_views as views

app_name = "my"

urlpatterns = [
    path("", views.home, name="home"),
    path("kinds/", views.kinds, name="kinds"),
    path("homework/<int:assignment_pk>/", views.assignment, name="assignment"),
    path("homework/<int:assignment_pk>/draft/", views.draft, name="draft"),
    path("homework/<int:assignment_pk>/agree/", views.agree, name="agree"),
    path("homework/<int:assignment_pk>/suggest/", views.suggest, name="suggest"),
    path("homework/<int:assignment_pk>/entries/", views.entry_add, name="entry_add"),
    path("homework/<int:assignment_pk>/entries/<int:entry_pk>/delete/", views.entry_delete, name="entry_delete"),
    path("homework/<int:assignment_pk>/files/", views.upload_add, name="upload_add"),
    path("homework/<int:assignment_pk>/files/<int:upload_pk>/delete/", views.upload_delete, name="upload_delete"),
]
