"""Forms for the coach's pages: coachees, goals and sessions.

Forms validate and clean; views pass `cleaned_data` to a service in sessions/services.py, so no
form here is ever saved directly.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachhub.languages import LanguageSelect
from coachhub.timezones import offer_timezones

from .models import Coachee, CoachingSession, Goal

GOAL_LINES_MAX = 20
# Far enough for any real calendar; nearer than the ends of the datetime range, which would crash.
SESSION_DATE_RANGE = timedelta(days=10 * 366)
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

DUPLICATE_EMAIL_MESSAGE = _(
    "You already have a coachee with this email address (archived coachees count too). "
    "Open them from your coachee list, or use another address."
)


class CoacheeForm(forms.ModelForm):
    """Name, email, coaching question and time zone of one coach's coachee."""

    class Meta:
        model = Coachee
        fields = ["name", "email", "coaching_question", "language", "timezone"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "coaching_question": forms.Textarea(attrs={"rows": 3}),
            "language": LanguageSelect,
        }
        help_texts = {
            "timezone": _("Reminders reach your coachee at sensible hours in this time zone."),
            "language": _(
                "Their invitation, pages and reminders are in this language. Once they log in, they choose it."
            ),
        }
        error_messages = {
            "name": {
                "required": _("Enter the coachee's name."),
                "max_length": _("Shorten the name to at most %(limit_value)d characters (it has %(show_value)d)."),
            },
            "email": {
                "required": _("Enter the coachee's email address; their invitation goes there."),
                "invalid": _("Enter a complete email address, such as name@example.com."),
            },
            "coaching_question": {
                "max_length": _(
                    "Shorten the coaching question to at most %(limit_value)d characters (it has %(show_value)d)."
                ),
            },
            "timezone": {"invalid_choice": _("Choose a time zone from the list, for example Europe/Berlin.")},
            "language": {"invalid_choice": _("Choose a language from the list.")},
        }

    def __init__(self, *args, coach, coachee: Coachee | None = None, **kwargs):
        """`coach` owns the coachee; `coachee` is the one being edited (None when adding)."""
        self.coach = coach
        self.coachee = coachee
        super().__init__(*args, **kwargs)
        offer_timezones(self.fields["timezone"])
        if coachee is not None and coachee.user_id is not None:
            # Their login: where login links and password resets go is for them alone to decide.
            email = self.fields["email"]
            email.disabled = True
            email.help_text = _(
                "%(name)s logs in with this address, so it cannot be changed here. "
                "If it has to change, ask the administrator of this CoachHub site."
            ) % {"name": coachee.name}
            language = self.fields["language"]
            language.disabled = True
            language.help_text = _("%(name)s chooses their language in their own settings.") % {"name": coachee.name}
            self.fields["timezone"].help_text = _(
                "Reminders reach your coachee at sensible hours in this time zone. It is also the time zone "
                "of their own login: a change here changes it there, and theirs changes it here."
            )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.coachee is not None and email == self.coachee.email.strip().lower():
            return email
        others = Coachee.objects.for_coach(self.coach).filter(email__iexact=email)
        if self.coachee is not None:
            others = others.exclude(pk=self.coachee.pk)
        if others.exists():
            raise forms.ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate")
        if email == self.coach.email.lower():
            raise forms.ValidationError(_("This is your own address. Enter your coachee's address."), code="own")
        # Whether the address has a CoachHub account of someone else's is not the coach's business: the
        # invitation then goes to the owner as a request for another address (sessions.services.invitation_mail).
        return email


class CoacheeCreateForm(CoacheeForm):
    """Adding a coachee also records their first goals, one per line."""

    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        max_length=GOAL_LINES_MAX * (Goal._meta.get_field("title").max_length + 2),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One goal per line. You can add, edit or close goals later."),
    )
    send_invitation = forms.BooleanField(
        label=_("Send an invitation now"),
        required=False,
        initial=True,
        help_text=_(
            "Mails your coachee a link to choose a password and see their homework. "
            "You can also send it later from their edit page."
        ),
    )

    def clean_goals(self) -> list[str]:
        titles = []
        limit = Goal._meta.get_field("title").max_length
        for number, line in enumerate(self.cleaned_data["goals"].splitlines(), start=1):
            title = line.strip()
            if not title:
                continue
            if len(title) > limit:
                raise forms.ValidationError(
                    _("Line %(number)d is longer than %(limit)d characters; shorten that goal or split it in two."),
                    params={"number": number, "limit": limit},
                    code="max_length",
                )
            if title.casefold() not in {t.casefold() for t in titles}:
                titles.append(title)
        if len(titles) > GOAL_LINES_MAX:
            raise forms.ValidationError(
                _("Enter at most %(limit)d goals here; add more later from the coachee's page."),
                params={"limit": GOAL_LINES_MAX},
                code="too_many",
            )
        return titles


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("Goal")}
        help_texts = {
            "title": _("In the coachee's own words, e.g. “Say no without feeling guilty”."),
            "description": _("Optional: what success would look like."),
        }
        error_messages = {
            "title": {
                "required": _("Enter the goal in a few words."),
                "max_length": _("Shorten the goal to at most %(limit_value)d characters (it has %(show_value)d)."),
            },
            "description": {
                "max_length": _(
                    "Shorten the description to at most %(limit_value)d characters (it has %(show_value)d)."
                ),
            },
        }


class GoalEditForm(GoalForm):
    class Meta(GoalForm.Meta):
        fields = ["title", "description", "status"]
        widgets = {**GoalForm.Meta.widgets, "status": forms.RadioSelect}
        error_messages = {
            **GoalForm.Meta.error_messages,
            "status": {"invalid_choice": _("Choose active, achieved or dropped.")},
        }


class SessionForm(forms.ModelForm):
    """Schedule or reschedule a session. The start is entered in the coach's own time zone, which
    PersonalSettingsMiddleware has activated, and stored in UTC."""

    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT),
        error_messages={
            "required": _("Enter the date and time of the session."),
            "invalid": _("Enter the date and time as shown, for example 2026-12-01 10:00."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        initial=60,
        min_value=5,
        max_value=600,
        widget=forms.NumberInput(attrs={"step": 5}),
        error_messages={
            "required": _("Enter how many minutes the session lasts, for example 60."),
            "invalid": _("Enter the duration as a whole number of minutes, for example 60."),
            "min_value": _("A session lasts at least %(limit_value)s minutes; enter a longer duration."),
            "max_value": _("A session lasts at most %(limit_value)s minutes (10 hours); enter a shorter duration."),
        },
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=CoachingSession._meta.get_field("video_url").max_length,
        assume_scheme="https",
        help_text=_("Optional: the link to the video call."),
        error_messages={
            "invalid": _("Enter a complete web address, such as https://meet.example.com/room."),
            "max_length": _("Shorten the link to at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )

    class Meta:
        model = CoachingSession
        fields = ["starts_at", "duration_minutes", "location", "video_url"]
        help_texts = {"location": _("Optional: a room or address. Leave empty for a video session.")}
        error_messages = {
            "location": {
                "max_length": _("Shorten the place to at most %(limit_value)d characters (it has %(show_value)d)."),
            },
        }

    def __init__(self, *args, timezone_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In your time zone (%(timezone)s).") % {
            "timezone": timezone_name.replace("_", " ")
        }

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if abs(starts_at - timezone.now()) > SESSION_DATE_RANGE:
            raise forms.ValidationError(
                _("Enter a date within ten years of today; check the year."), code="out_of_range"
            )
        return starts_at


class SessionEditForm(SessionForm):
    """Reschedule, plus the coach's private notes and the summary shared with the coachee. A held
    session keeps its date: what was reviewed and carried over there is placed by it."""

    def __init__(self, *args, held: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if held:
            self.fields["starts_at"].disabled = True
            self.fields["starts_at"].help_text = _("This session was held, so its date and time stay as they were.")

    class Meta(SessionForm.Meta):
        fields = [*SessionForm.Meta.fields, "coach_notes", "shared_summary"]
        widgets = {
            "coach_notes": forms.Textarea(attrs={"rows": 5}),
            "shared_summary": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            **SessionForm.Meta.error_messages,
            "coach_notes": {
                "max_length": _("Shorten the notes to at most %(limit_value)d characters (they have %(show_value)d)."),
            },
            "shared_summary": {
                "max_length": _("Shorten the summary to at most %(limit_value)d characters (it has %(show_value)d)."),
            },
        }
