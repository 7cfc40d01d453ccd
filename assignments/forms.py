"""Forms for homework: the coach's own templates, assigning homework, reviewing it at a session and
answering the coachee's work; and the coachee's own forms for doing it."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from coachhub.languages import LanguageSelect
from sessions.models import Goal

from .models import (
    Assignment,
    CreativeFormat,
    Criterion,
    HomeworkTemplate,
    Kind,
    LogEntry,
    Review,
    Submission,
)
from .services import CONTENT_FIELDS, MAX_UPLOADS_PER_ASSIGNMENT
from .uploads import HEAD_BYTES, sniff_content_type

MAX_QUESTIONS = 20
MAX_QUESTION_LENGTH = 500
# A due date further out than this is almost always a typo; it also keeps dates far from the
# limits of what the database can store.
MAX_DUE_DAYS = 366
# A date picked by the coach means the end of that day in the coachee's time zone: they do the work.
DUE_TIME_OF_DAY = time(23, 59)

CONTENT_WIDGETS = {
    "instructions": forms.Textarea(attrs={"rows": 4}),
    "purpose": forms.Textarea(attrs={"rows": 2}),
    "approach": forms.Textarea(attrs={"rows": 2}),
    "review_plan": forms.Textarea(attrs={"rows": 2}),
}
CONTENT_HELP_TEXTS = {
    "title": _("A short name the coachee will recognise."),
    "instructions": _("What the coachee does, in one or two concrete sentences."),
    "purpose": _("Why this homework matters for the coachee's goal."),
    "approach": _("How the coachee will go about it: when, where, how often."),
    "review_plan": _("How you will look at it together in the next session."),
    "cadence": _("For practice and observation tasks: how often the coachee does it."),
    "creative_format": _("For creative homework: what the coachee makes and hands in."),
}

TOO_LONG = _("Shorten this to at most %(limit_value)d characters (it has %(show_value)d).")
CONTENT_ERROR_MESSAGES = {
    "kind": {
        "required": _("Choose the kind of homework: it decides what the coachee fills in."),
        "invalid_choice": _("Choose one of the kinds in the list."),
    },
    "title": {"required": _("Give the homework a short title the coachee will recognise."), "max_length": TOO_LONG},
    "instructions": {
        "required": _("Write what the coachee does, in one or two concrete sentences."),
        "max_length": TOO_LONG,
    },
    "purpose": {"max_length": TOO_LONG},
    "approach": {"max_length": TOO_LONG},
    "review_plan": {"max_length": TOO_LONG},
}


class QuestionsField(forms.CharField):
    """Reflection questions typed one per line, kept as a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Reflection questions"))
        kwargs.setdefault("help_text", _("For reflection homework: one question per line."))
        super().__init__(
            max_length=MAX_QUESTIONS * (MAX_QUESTION_LENGTH + 2), widget=forms.Textarea(attrs={"rows": 4}), **kwargs
        )

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(question) for question in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        questions = [line.strip() for line in text.splitlines() if line.strip()]
        if len(questions) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Ask at most %(limit)d questions; fewer questions get deeper answers."),
                params={"limit": MAX_QUESTIONS},
            )
        if any(len(question) > MAX_QUESTION_LENGTH for question in questions):
            raise forms.ValidationError(
                _("Keep each question under %(limit)d characters; split long ones into two lines."),
                params={"limit": MAX_QUESTION_LENGTH},
            )
        return questions


class HomeworkContentForm(forms.ModelForm):
    """The content shared by templates and assignments: kind, what, why, how, review plan, questions."""

    questions = QuestionsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only creative homework asks for it; left out, it is free text and files.
        self.fields["creative_format"].required = False
        self.fields["kind"].choices = [("", _("Choose the kind of homework")), *Kind.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.REFLECTION and not cleaned.get("questions") and "questions" not in self.errors:
            self.add_error(
                "questions", _("Reflection homework needs at least one question. Write each question on its own line.")
            )
        if cleaned.get("kind") != Kind.CREATIVE or not cleaned.get("creative_format"):
            cleaned["creative_format"] = CreativeFormat.TEXT_AND_FILES
        if cleaned.get("kind") != Kind.REFLECTION:
            # Left over from another kind (the field is hidden for this one): only reflection asks questions.
            cleaned["questions"] = []
        return cleaned


class TemplateForm(HomeworkContentForm):
    class Meta:
        model = HomeworkTemplate
        fields = [*CONTENT_FIELDS, "language"]
        widgets = {**CONTENT_WIDGETS, "language": LanguageSelect}
        help_texts = {
            **CONTENT_HELP_TEXTS,
            "language": _("The language you write this template in; coachees who read it get it as written."),
        }
        error_messages = {
            **CONTENT_ERROR_MESSAGES,
            "language": {"invalid_choice": _("Choose a language from the list.")},
        }


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, goal):
        if goal.status == goal.Status.ACTIVE:
            return goal.title
        return f"{goal.title} ({goal.get_status_display()})"


class AssignStartForm(forms.Form):
    """The first step of assigning: find a template by words, kind and the coachee's goal."""

    q = forms.CharField(label=_("Search the library"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Every kind")), *Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    goal = GoalChoiceField(
        queryset=None,
        required=False,
        label=_("For the goal"),
        empty_label=_("Any goal"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    language = forms.ChoiceField(
        label=_("Language"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, coachee, coach_language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = coachee.goals.filter(status=Goal.Status.ACTIVE)
        # The built-in library in the coach's language and the coachee's, when they differ.
        self.languages = sorted({coach_language, coachee.language}, key=[code for code, _ in settings.LANGUAGES].index)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            ("", _("Both: %(languages)s") % {"languages": " · ".join(names[code] for code in self.languages)}),
            *[(code, names[code]) for code in self.languages],
        ]

    def chosen_languages(self) -> list[str]:
        """The languages of built-in templates to show (after is_valid())."""
        chosen = self.cleaned_data.get("language")
        return [chosen] if chosen else self.languages


class AssignForm(HomeworkContentForm):
    """Assign homework to one coachee.

    Due date: by default the coachee's next session (stored as no date, so it follows a reschedule);
    otherwise a date the coach picks, meaning the end of that day (23:59) in the coachee's time zone.
    Times on the form are shown in the coach's own time zone (the active one).
    """

    DUE_NEXT_SESSION = "next_session"
    DUE_DATE = "date"

    goal = GoalChoiceField(
        queryset=None,
        required=False,
        empty_label=_("No particular goal"),
        label=_("Goal"),
        help_text=_("Which of the coachee's goals this homework serves."),
        error_messages={"invalid_choice": _("Choose one of this coachee's goals, or leave the goal empty.")},
    )
    due = forms.ChoiceField(
        label=_("Due"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose when the homework is due from the options shown.")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, or pick it from the calendar.")},
    )
    propose = forms.BooleanField(
        label=_("Propose it: the coachee agrees or suggests changes"),
        required=False,
        help_text=_("Your default is in your account settings."),
    )
    checklist = forms.MultipleChoiceField(
        label=_("What makes good homework"),
        choices=Criterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what this homework fulfils. It is kept with the assignment."),
        error_messages={"invalid_choice": _("Tick only items from the list.")},
    )

    class Meta:
        model = Assignment
        fields = [*CONTENT_FIELDS, "goal"]
        widgets = CONTENT_WIDGETS
        help_texts = CONTENT_HELP_TEXTS
        error_messages = CONTENT_ERROR_MESSAGES

    def __init__(self, *args, coachee, next_session_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.coachee = coachee
        self.next_session_at = next_session_at
        self.due_tzinfo = coachee.tzinfo
        self.fields["goal"].queryset = coachee.goals.all()
        zone = {"zone": coachee.timezone.replace("_", " ")}
        self.fields["due_date"].help_text = (
            _("Due at the end of that day (23:59) in the coachee's time zone, %(zone)s.") % zone
        )
        if next_session_at:
            when = formats.date_format(timezone.localtime(next_session_at), "WEEKDAY_DATETIME_FORMAT")
            self.fields["due"].choices = [
                (self.DUE_NEXT_SESSION, _("At the next session (%(when)s)") % {"when": when}),
                (self.DUE_DATE, _("On a date I pick")),
            ]
            self.fields["due"].initial = self.DUE_NEXT_SESSION
        else:
            self.fields["due"].choices = [(self.DUE_DATE, _("On a date I pick"))]
            self.fields["due"].initial = self.DUE_DATE
            self.fields["due"].widget = forms.HiddenInput()
            self.fields["due_date"].help_text = (
                _(
                    "No session is scheduled yet, so pick the date it is due: the end of that day (23:59) "
                    "in the coachee's time zone, %(zone)s."
                )
                % zone
            )

    def clean(self):
        cleaned = super().clean()
        due = cleaned.get("due") or (self.DUE_NEXT_SESSION if self.next_session_at else self.DUE_DATE)
        if due == self.DUE_NEXT_SESSION and not self.next_session_at:
            due = self.DUE_DATE
        cleaned["due_at"] = None
        if due == self.DUE_DATE and "due_date" not in self.errors:
            cleaned["due_at"] = self._due_at(cleaned.get("due_date"))
        elif due == self.DUE_NEXT_SESSION and cleaned.get("due_date"):
            self.add_error(
                "due_date", _("To use this date, choose “On a date I pick” above; otherwise clear the date.")
            )
        return cleaned

    def _due_at(self, day):
        if day is None:
            self.add_error("due_date", _("Pick the date the homework is due."))
            return None
        today = timezone.localdate(timezone=self.due_tzinfo)
        if day < today:
            self.add_error("due_date", _("Pick today or a later date."))
            return None
        if day > today + timedelta(days=MAX_DUE_DAYS):
            self.add_error("due_date", _("Pick a date within the next year."))
            return None
        return datetime.combine(day, DUE_TIME_OF_DAY, tzinfo=self.due_tzinfo)


class AgreementTermsForm(forms.Form):
    """Other terms for proposed homework: its scope (what to do), approach and timing, with a note.
    The coachee suggests them (a note is asked for); the coach adjusts to them (a note is optional).
    An empty date means due at the next session."""

    instructions = forms.CharField(
        label=_("What to do"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what the homework asks, or keep what was proposed.")},
    )
    approach = forms.CharField(
        label=_("How (approach)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("Empty: at the next session."),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, or pick it from the calendar.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say in a few words what you would change, and why.")},
    )

    def __init__(self, *args, assignment, note_required: bool, **kwargs):
        self.zone = assignment.coachee.tzinfo
        self.current_due_at = assignment.due_at
        initial = {
            "instructions": assignment.instructions,
            "approach": assignment.approach,
            "due_date": timezone.localtime(assignment.due_at, self.zone).date() if assignment.due_at else None,
            **kwargs.pop("initial", {}),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["note"].required = note_required

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if day is None:
            return None
        today = timezone.localdate(timezone=self.zone)
        if day < today:
            raise forms.ValidationError(_("Pick today or a later date."))
        if day > today + timedelta(days=MAX_DUE_DAYS):
            raise forms.ValidationError(_("Pick a date within the next year."))
        return day

    def terms(self) -> dict:
        """The terms for the agreement services (after is_valid())."""
        data = self.cleaned_data
        day, due_at = data["due_date"], None
        if day and self.current_due_at and timezone.localtime(self.current_due_at, self.zone).date() == day:
            due_at = self.current_due_at  # the same day: not a change of timing
        elif day:
            due_at = datetime.combine(day, DUE_TIME_OF_DAY, tzinfo=self.zone)
        return {"instructions": data["instructions"], "approach": data["approach"], "due_at": due_at}


class PreferredKindsForm(forms.Form):
    """The kinds of homework a coachee says suit them; their coach sees them when assigning."""

    kinds = forms.MultipleChoiceField(
        label=_("Kinds of homework I prefer"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Tick only items from the list.")},
    )


class SessionHoldForm(forms.Form):
    """What happens to each open assignment on the agenda of a session being marked held, when it
    was not reviewed there: carried over to the next session (the default) or dropped."""

    CARRY_OVER = "carry_over"
    DROP = "drop"

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignments = assignments
        for assignment in assignments:
            self.fields[self.field_name(assignment)] = forms.ChoiceField(
                label=assignment.title,
                choices=[
                    (self.CARRY_OVER, _("Carry it over to the next session")),
                    (self.DROP, _("Drop it: cancel this homework")),
                ],
                initial=self.CARRY_OVER,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose whether to carry this homework over or drop it.")},
            )

    @staticmethod
    def field_name(assignment) -> str:
        return f"assignment_{assignment.pk}"

    def rows(self):
        """Each assignment beside its bound field, for the template."""
        return [(assignment, self[self.field_name(assignment)]) for assignment in self.assignments]

    def dropped(self) -> list[int]:
        return [a.pk for a in self.assignments if self.cleaned_data[self.field_name(a)] == self.DROP]


class ReviewForm(forms.ModelForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Review.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how far the homework got done.")},
    )
    next_step = forms.ChoiceField(
        label=_("Next step"),
        choices=Review.NextStep.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens next with this homework.")},
    )

    class Meta:
        model = Review
        fields = ["outcome", "coach_notes", "insights", "next_step"]
        widgets = {
            "coach_notes": forms.Textarea(attrs={"rows": 3}),
            "insights": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "coach_notes": _("How it went, in your own words."),
            "insights": _("What the coachee learned or noticed."),
        }


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["feedback"]
        labels = {"feedback": _("Your feedback")}
        widgets = {"feedback": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "feedback": _("The coachee reads this on their homework page. Leave it empty to take feedback back.")
        }
        error_messages = {
            "feedback": {
                "max_length": _("Shorten the feedback to at most %(limit_value)d characters (it has %(show_value)d).")
            }
        }


# --- The coachee's forms --------------------------------------------------------------------------

ANSWER_MAX = 10000
TEXT_MAX = Submission._meta.get_field("text").max_length
REMARK_MAX = Submission._meta.get_field("remark").max_length
NOTE_MAX = LogEntry._meta.get_field("note").max_length
TOO_LONG = _("Shorten this to at most %(limit_value)d characters (it has %(show_value)d).")
DATE_INVALID = _("Enter the date as YYYY-MM-DD, or pick it from the calendar.")


def _text_field(*, label, max_length, rows, help_text="", required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG},
    )


# Scales shown as a row of numbered buttons, each with a word under its number.
FIT_CHOICES = [
    (1, _("not at all")),
    (2, _("a little")),
    (3, _("somewhat")),
    (4, _("well")),
    (5, _("very well")),
]
MOOD_CHOICES = [
    (1, _("very low")),
    (2, _("low")),
    (3, _("okay")),
    (4, _("good")),
    (5, _("very good")),
]

# The text field of each kind of homework: its label and help (reflection has answers instead).
TEXT_LABELS = {
    Kind.CREATIVE: (_("Your text"), _("Write here, add files, or both.")),
    Kind.PREPARATION: (_("Your preparation"), _("Your coach reads this on the agenda of the next session.")),
    Kind.BEHAVIOURAL: (_("Looking back (optional)"), _("What made it easier or harder? What did you learn?")),
    Kind.OBSERVATION: (_("Patterns you notice (optional)"), _("Looking over your observations, what stands out?")),
}
MOOD_JOURNAL_TEXT = (_("Looking back on your journal (optional)"), _("What lifted you, and what drained you?"))


class WorkForm(forms.Form):
    """The coachee's words on an assignment: an answer per question or a text, plus how well it fitted
    and a last remark. Saving a draft takes anything; submitting needs the work to be there."""

    DRAFT = "draft"
    SUBMIT = "submit"

    action = forms.ChoiceField(choices=[(DRAFT, DRAFT), (SUBMIT, SUBMIT)], required=False)
    fit_rating = forms.TypedChoiceField(
        label=_("How well did this homework fit you?"),
        choices=FIT_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Optional: 1 is not at all, 5 is very well. It helps your coach choose homework that works for you."
        ),
        error_messages={"invalid_choice": _("Choose a number from 1 to 5, or leave it empty.")},
    )
    remark = _text_field(
        label=_("A last remark for your coach (optional)"), max_length=REMARK_MAX, rows=2, help_text=""
    )

    def __init__(self, *args, assignment: Assignment, upload_count: int = 0, entry_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.upload_count = upload_count
        self.entry_count = entry_count
        self.answer_names = []
        if assignment.kind == Kind.REFLECTION:
            for index, question in enumerate(assignment.questions):
                name = f"answer_{index}"
                self.fields[name] = _text_field(label=question, max_length=ANSWER_MAX, rows=4)
                self.answer_names.append(name)
        else:
            label, help_text = MOOD_JOURNAL_TEXT if assignment.is_mood_journal else TEXT_LABELS[assignment.kind]
            self.fields["text"] = _text_field(label=label, help_text=help_text, max_length=TEXT_MAX, rows=8)
        # Keep the optional parts last, under the work itself.
        self.order_fields([*self.answer_names, "text", "fit_rating", "remark"])

    @classmethod
    def initial_from(cls, submission: Submission | None, assignment: Assignment) -> dict:
        if submission is None:
            return {}
        initial = {"text": submission.text, "fit_rating": submission.fit_rating, "remark": submission.remark}
        for index, (_question, answer) in enumerate(submission.answer_list(assignment.questions)):
            initial[f"answer_{index}"] = answer
        return initial

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == self.SUBMIT

    @property
    def answer_fields(self):
        return [self[name] for name in self.answer_names]

    def clean(self):
        cleaned = super().clean()
        cleaned["answers"] = [cleaned.get(name) or "" for name in self.answer_names]
        cleaned["text"] = cleaned.get("text") or ""
        cleaned["remark"] = cleaned.get("remark") or ""
        # What a draft would keep, should submitting find something missing.
        self.draft_data = None if self.errors else dict(cleaned)
        if self.submitting and not self.errors:
            self._check_complete(cleaned)
        return cleaned

    def _check_complete(self, cleaned) -> None:
        """What submitting needs, by kind: the work itself, not every optional part."""
        assignment = self.assignment
        has_text = bool(cleaned["text"].strip())
        if assignment.kind == Kind.REFLECTION and not any(answer.strip() for answer in cleaned["answers"]):
            self.add_error(
                self.answer_names[0] if self.answer_names else None,
                _("Answer at least one question before you submit. You can save a draft at any time."),
            )
        elif assignment.kind == Kind.PREPARATION and not has_text:
            self.add_error(
                "text", _("Write your preparation before you submit; your coach reads it before the session.")
            )
        elif assignment.takes_uploads and not has_text and not self.upload_count:
            self.add_error("text", _("Write something here or add a file before you submit."))
        elif assignment.entry_type and not self.entry_count:
            messages = {
                LogEntry.Type.DAY: _("Log at least one check-in before you submit."),
                LogEntry.Type.OCCURRENCE: _("Log at least one check-in before you submit."),
                LogEntry.Type.OBSERVATION: _("Note at least one observation before you submit."),
                LogEntry.Type.MOOD: _("Log at least one mood before you submit."),
            }
            self.add_error(None, messages[assignment.entry_type])


class EntryForm(forms.Form):
    """One line of the coachee's log; the fields follow the kind of log (check-in, observation, mood)."""

    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"required": _("Pick the day this is about."), "invalid": DATE_INVALID},
    )
    did_it = forms.TypedChoiceField(
        label=_("Did you do it?"),
        choices=[("yes", _("Yes, I did it")), ("no", _("Not this time"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you did it."),
            "invalid_choice": _("Choose “Yes, I did it” or “Not this time”."),
        },
    )
    mood = forms.TypedChoiceField(
        label=_("Your mood"),
        choices=MOOD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your mood from 1 (very low) to 5 (very good)."),
            "invalid_choice": _("Choose your mood from 1 (very low) to 5 (very good)."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )

    NOTE_LABELS = {
        LogEntry.Type.DAY: _("A short note (optional)"),
        LogEntry.Type.OCCURRENCE: _("What happened? (optional)"),
        LogEntry.Type.OBSERVATION: _("What did you observe?"),
        LogEntry.Type.MOOD: _("What shaped your mood? (optional)"),
    }

    def __init__(self, *args, entry_type: str, first_day: date, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_type = entry_type
        self.first_day = min(first_day, today)
        self.today = today
        self.fields["day"].initial = today
        self.fields["day"].widget.attrs.update({"min": self.first_day.isoformat(), "max": today.isoformat()})
        if entry_type not in LogEntry.CHECK_INS:
            del self.fields["did_it"]
        if entry_type != LogEntry.Type.MOOD:
            del self.fields["mood"]
        note = self.fields["note"]
        note.label = self.NOTE_LABELS[entry_type]
        if entry_type == LogEntry.Type.OBSERVATION:
            note.required = True
            note.widget.attrs["rows"] = 3
            note.error_messages["required"] = _("Write down what you observed.")

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(_("Pick today or an earlier day."))
        if day < self.first_day:
            raise forms.ValidationError(
                _("Pick a day since the homework was given (%(first)s) or later."),
                params={"first": formats.date_format(self.first_day, "SHORT_DATE_FORMAT")},
            )
        return day


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        # Not marked required: a file is optional for the homework; this form only adds one.
        required=False,
        help_text=_("A photo (JPEG, PNG, WebP, GIF) or a PDF."),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("This file is empty. Choose another one."),
            "invalid": _("No file arrived. Choose the file again."),
            "missing": _("No file arrived. Choose the file again."),
        },
    )

    def __init__(self, *args, upload_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_count = upload_count
        limit = filesizeformat(settings.COACHHUB_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text = _("A photo (JPEG, PNG, WebP, GIF) or a PDF, up to %(limit)s.") % {
            "limit": limit
        }
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif,application/pdf"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload:
            raise forms.ValidationError(_("Choose a file to upload."), code="required")
        limit = settings.COACHHUB_UPLOAD_MAX_BYTES
        if self.upload_count >= MAX_UPLOADS_PER_ASSIGNMENT:
            raise forms.ValidationError(
                _("This homework holds %(count)d files, the most it can. Remove one to add another."),
                params={"count": MAX_UPLOADS_PER_ASSIGNMENT},
            )
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; a file can be at most %(limit)s. Take a smaller photo or shorten the PDF."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        content_type = sniff_content_type(head)
        if content_type is None:
            raise forms.ValidationError(
                _(
                    "This file is not a JPEG, PNG, WebP or GIF image or a PDF, whatever its name says. "
                    "Only those can be uploaded; save it as one of them and try again."
                )
            )
        self.cleaned_data["content_type"] = content_type
        return upload
