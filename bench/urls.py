"""Routed by coachhub/urls.py only with BENCH_VIEWS=1 (settings.BENCH_VIEWS)."""

from django.urls import path

from . import views

app_name = "bench"

urlpatterns = [
    path("hello/", views.bare_hello, name="bare_hello"),
    path("hello/auth/", views.auth_hello, name="auth_hello"),
]
