"""The language cookie: what a visitor who is not logged in reads CoachHub in.

The switcher on public pages sets it (Django's `set_language` view); saving one's settings sets it
too, so the login page after logging out speaks the language the person chose. Logged in, the
person's own `language` wins over it (accounts.middleware.PersonalSettingsMiddleware).
"""

from django import forms
from django.conf import settings


def remember_language(response, language: str):
    """`response` with the language cookie set to `language`, as Django's set_language sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class LanguageSelect(forms.Select):
    """A choice of language, each named in itself and marked as such (`lang`), so a screen reader
    reads "Deutsch" in German whatever language the page is in."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option
