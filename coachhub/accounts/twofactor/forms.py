from django import forms
from django.utils.translation import gettext_lazy as _


def _code_widget() -> forms.TextInput:
    # One-time-code lets phones offer the code from a message or an app; numeric brings up the keypad.
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
            "autofocus": True,
            "spellcheck": "false",
        }
    )


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=12,
        widget=_code_widget(),
        error_messages={"required": _("Enter the six-digit code your authenticator app shows now.")},
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=32,
        help_text=_("One of the codes you saved when you set up two-factor sign-in. Each works once."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Enter one of your recovery codes.")},
    )


class ConfirmRemovalForm(forms.Form):
    secret = forms.CharField(
        label=_("Your password, or a current code from your authenticator app"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": _("Enter your password or a current code, so we know it is you.")},
    )
