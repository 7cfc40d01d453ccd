"""Forms for programmes: the programme, its steps, enrolling a coachee, importing a file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.forms import CONTENT_ERROR_MESSAGES, CONTENT_HELP_TEXTS, CONTENT_WIDGETS, HomeworkContentForm
from assignments.services import CONTENT_FIELDS
from coachhub.languages import LanguageSelect
from sessions.models import Coachee

from .exchange import MAX_FILE_BYTES
from .models import MAX_DUE_DAYS, Programme, ProgrammeStep


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "description", "language"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "language": LanguageSelect}
        help_texts = {"title": _("For example “Six sessions of leadership”.")}
        error_messages = {
            "title": {"required": _("Give the programme a name.")},
            "language": {"invalid_choice": _("Choose a language from the list.")},
        }


class StepForm(HomeworkContentForm):
    """A step: its homework (the content of a template), notes for the coach, and when it is due."""

    class Meta:
        model = ProgrammeStep
        fields = [*CONTENT_FIELDS, "coach_notes", "due_rule", "due_days", "action"]
        widgets = {
            **CONTENT_WIDGETS,
            "coach_notes": forms.Textarea(attrs={"rows": 2}),
            "due_rule": forms.RadioSelect,
            "action": forms.RadioSelect,
        }
        help_texts = CONTENT_HELP_TEXTS
        error_messages = {
            **CONTENT_ERROR_MESSAGES,
            "due_days": {
                "invalid": _("Enter a whole number of days."),
                "min_value": _("Enter at least 1 day."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_days"].widget.attrs.update({"min": 1, "max": MAX_DUE_DAYS})

    def clean(self):
        cleaned = super().clean()
        days = cleaned.get("due_days")
        days_after = cleaned.get("due_rule") == ProgrammeStep.DueRule.DAYS_AFTER
        if days_after and "due_days" not in self.errors and (not days or days > MAX_DUE_DAYS):
            self.add_error("due_days", _("Enter a number of days from 1 to %(max)d.") % {"max": MAX_DUE_DAYS})
        return cleaned


class EnrolForm(forms.Form):
    """From a programme's page: which coachee follows it."""

    coachee = forms.ModelChoiceField(
        queryset=None,
        label=_("Coachee"),
        empty_label=_("Choose a coachee"),
        error_messages={
            "required": _("Choose the coachee to enrol."),
            "invalid_choice": _("Choose one of your coachees."),
        },
    )

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coachee"].queryset = Coachee.objects.for_coach(coach).active().only("pk", "name")


class EnrolInForm(forms.Form):
    """From a coachee's page: which programme they follow."""

    programme = forms.ModelChoiceField(
        queryset=None,
        label=_("Programme"),
        empty_label=_("Choose a programme"),
        error_messages={
            "required": _("Choose the programme."),
            "invalid_choice": _("Choose one of your programmes."),
        },
    )

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.editable_by(coach).active().only("pk", "title")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Programme file (.json)"),
        error_messages={"required": _("Choose a programme file to import."), "empty": _("The file is empty.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = upload.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d KB; a programme file is much smaller.")
                % {"size": MAX_FILE_BYTES // 1024}
            )
        return data
