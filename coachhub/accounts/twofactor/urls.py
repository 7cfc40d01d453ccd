from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("verify/", views.verify, name="verify"),
    path("authenticator/", views.authenticator_add, name="authenticator_add"),
    path("passkey/", views.passkey_add, name="passkey_add"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("<str:kind>/<int:pk>/remove/", views.device_remove, name="device_remove"),
]
