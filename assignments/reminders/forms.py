"""Forms for reminder settings: the coach's practice, the coach's exceptions for one coachee, and the
coachee's own mail preferences."""

from django import forms
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from .models import MailPreferences, PracticeSettings
from .timing import QuietHours

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ON_OFF = [("true", _("On")), ("false", _("Off"))]


def _quiet_span(quiet: QuietHours) -> dict:
    return {"start": time_format(quiet.start, "TIME_FORMAT"), "end": time_format(quiet.end, "TIME_FORMAT")}


class PracticeSettingsForm(forms.ModelForm):
    class Meta:
        model = PracticeSettings
        fields = [
            "new_assignment",
            "nudge",
            "due_soon",
            "due_soon_hours",
            "feedback_given",
            "checkin",
            "coach_digest",
            "submissions",
            "digest_time",
            "quiet_start",
            "quiet_end",
        ]
        widgets = {
            "digest_time": TIME_WIDGET,
            "quiet_start": TIME_WIDGET,
            "quiet_end": TIME_WIDGET,
            "submissions": forms.RadioSelect,
        }
        help_texts = {
            "quiet_start": _("No mail goes out in quiet hours, by each person's own clock; it waits until they end."),
            "quiet_end": _("The same time in both fields means no quiet hours."),
            "digest_time": _("Your digests come at this time, by your clock. Pick one outside your quiet hours."),
        }

    def clean(self):
        cleaned = super().clean()
        start, end, digest = (cleaned.get(name) for name in ("quiet_start", "quiet_end", "digest_time"))
        if None not in (start, end, digest):
            quiet = QuietHours(start, end)
            if quiet.covers(digest):
                self.add_error(
                    "digest_time",
                    _("This time is in your quiet hours (%(start)s to %(end)s). Pick a time outside them.")
                    % _quiet_span(quiet),
                )
        return cleaned


class OverrideField(forms.TypedChoiceField):
    """On, off, or (empty) as in the practice settings, whose current value the empty choice shows."""

    def __init__(self, *, label, practice_value: bool, **kwargs):
        default = _("As in your practice settings (on)") if practice_value else _("As in your practice settings (off)")
        super().__init__(
            label=label,
            choices=[("", default), *ON_OFF],
            coerce=lambda value: value == "true",
            empty_value=None,
            required=False,
            **kwargs,
        )


class CoacheeSettingsForm(forms.Form):
    """The coach's exceptions for one coachee; every empty field follows the practice settings."""

    SWITCHES = [
        ("new_assignment", _("New homework")),
        ("nudge", _("Nudge to start")),
        ("due_soon", _("Due soon")),
        ("feedback_given", _("Feedback given")),
        ("checkin", _("Check-in reminders")),
        ("coach_digest", _("My digest before their sessions")),
    ]

    due_soon_hours = forms.IntegerField(
        label=_("Due soon: hours before it is due"),
        min_value=1,
        max_value=168,
        required=False,
    )
    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False, widget=TIME_WIDGET)
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False, widget=TIME_WIDGET)

    def __init__(self, *args, practice: PracticeSettings, **kwargs):
        super().__init__(*args, **kwargs)
        switches = {
            name: OverrideField(label=label, practice_value=getattr(practice, name)) for name, label in self.SWITCHES
        }
        self.fields = {**switches, **self.fields}
        self.fields["due_soon_hours"].help_text = _("Empty: as in your practice settings (%(hours)s).") % {
            "hours": practice.due_soon_hours
        }
        self.fields["quiet_end"].help_text = _(
            "By the coachee's clock. Both empty: as in your practice settings (%(start)s to %(end)s)."
        ) % _quiet_span(QuietHours(practice.quiet_start, practice.quiet_end))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if (start is None) != (end is None) and not self.has_error("quiet_start") and not self.has_error("quiet_end"):
            self.add_error("quiet_end", _("Fill in both ends of the quiet hours, or leave both empty."))
        return cleaned


class MailPreferencesForm(forms.ModelForm):
    """The coachee's own choice of mails. `quiet` are their quiet hours, which a check-in time must avoid."""

    class Meta:
        model = MailPreferences
        fields = ["new_assignment", "nudge", "due_soon", "feedback_given", "checkin", "checkin_time"]
        widgets = {"checkin_time": TIME_WIDGET}
        help_texts = {
            "checkin_time": _("By your own clock, on the days your practice waits for a check-in."),
        }

    def __init__(self, *args, quiet: QuietHours, **kwargs):
        super().__init__(*args, **kwargs)
        self.quiet = quiet

    def clean_checkin_time(self):
        wall = self.cleaned_data["checkin_time"]
        if self.quiet.covers(wall):
            raise forms.ValidationError(
                _("No mail goes out between %(start)s and %(end)s. Pick a time outside these hours.")
                % _quiet_span(self.quiet)
            )
        return wall
