"""The public pages of invitation links, under /accounts/invitation/ beside the other account pages."""

from django.urls import path

from . import invitation_views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", invitation_views.accept, name="accept"),
    path("<str:token>/renew/", invitation_views.renew, name="renew"),
]
