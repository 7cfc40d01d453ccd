from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin, UserCreationForm
from django.utils.translation import gettext_lazy as _

from coachhub.languages import LanguageSelect
from coachhub.timezones import offer_timezones, timezone_choices

from .models import User


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["name", "email", "timezone"]
        labels = {"name": _("Your name")}
        help_texts = {"timezone": _("Session times are shown in this time zone.")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True
        self.fields["email"].widget.attrs.pop("autofocus", None)
        # While the form is new, static/js/timezone-picker.js picks the browser's time zone.
        offer_timezones(self.fields["timezone"], guess=not self.is_bound)

    def clean_email(self):
        # No check for an existing account: the form must not tell (see services.coach_sign_up).
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        """Skipped for the same reason; the service handles an address that is taken."""


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This email and password do not match an account. Check both, or reset your password."),
    }


class AccountSetupForm(SetPasswordMixin, forms.Form):
    """A new coachee's name, language, time zone and password, set when they accept an invitation.

    The email is fixed (the coach's record holds it), so it is passed in, not asked for; it still
    takes part in the password check ("too similar to your email").
    """

    name = forms.CharField(
        label=_("Your name"),
        max_length=User._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Enter your name, as you would like your coach to see it."),
            "max_length": _("Shorten the name to at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        help_text=_("Due dates and reminders follow this time zone."),
        error_messages={"invalid_choice": _("Choose a time zone from the list, for example Europe/Berlin.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=LanguageSelect,
        help_text=_("CoachHub and its mails speak to you in this language."),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("The same password again")
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        offer_timezones(self.fields["timezone"])

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(User(email=self.email, name=self.cleaned_data.get("name", "")))
        return self.cleaned_data


class LoginLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=User._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
        error_messages={
            "required": _("Enter the email address you log in with."),
            "invalid": _("Enter a complete email address, such as name@example.com."),
        },
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "timezone", "propose_homework"]
        labels = {"name": _("Your name")}
        help_texts = {
            "timezone": _("Every date and time in CoachHub is shown in this time zone."),
            "language": _("Pages, mails and exports reach you in this language."),
        }
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"}), "language": LanguageSelect}
        error_messages = {
            "name": {
                "required": _("Enter your name."),
                "max_length": _("Shorten the name to at most %(limit_value)d characters (it has %(show_value)d)."),
            },
            "timezone": {"invalid_choice": _("Choose a time zone from the list, for example Europe/Berlin.")},
            "language": {"invalid_choice": _("Choose a language from the list.")},
        }

    def __init__(self, *args, is_coach: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_timezones(self.fields["timezone"])
        if not is_coach:
            # Only a coach assigns homework.
            del self.fields["propose_homework"]


class SignInNoticesForm(forms.Form):
    sign_in_notices = forms.BooleanField(
        label=_("Mail me when someone signs in to my account from a new device"),
        help_text=_("A device is new when this browser has not been used with your account before."),
        required=False,
    )
