"""Forms for homework: the coach's own templates, assigning homework and reviewing it at a session."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Criterion, HomeworkTemplate, Kind, Review
from .services import CONTENT_FIELDS

MAX_QUESTIONS = 20
MAX_QUESTION_LENGTH = 500
# A due date further out than this is almost always a typo; it also keeps dates far from the
# limits of what the database can store.
MAX_DUE_DAYS = 366
# A date picked by the coach means the end of that day in the coach's own time zone.
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
}


class QuestionsField(forms.CharField):
    """Reflection questions typed one per line, kept as a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Reflection questions"))
        kwargs.setdefault("help_text", _("One question per line. Needed for reflection homework."))
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.REFLECTION and not cleaned.get("questions") and "questions" not in self.errors:
            self.add_error(
                "questions", _("Reflection homework needs at least one question. Write each question on its own line.")
            )
        return cleaned


class TemplateForm(HomeworkContentForm):
    class Meta:
        model = HomeworkTemplate
        fields = CONTENT_FIELDS
        widgets = CONTENT_WIDGETS
        help_texts = CONTENT_HELP_TEXTS


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, goal):
        if goal.status == goal.Status.ACTIVE:
            return goal.title
        return f"{goal.title} ({goal.get_status_display()})"


class AssignForm(HomeworkContentForm):
    """Assign homework to one coachee.

    Due date: by default the coachee's next session (stored as no date, so it follows a reschedule);
    otherwise a date the coach picks, meaning the end of that day (23:59) in the coach's time zone.
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
        help_text=_("Due at the end of that day in your time zone."),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, or pick it from the calendar.")},
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

    def __init__(self, *args, coachee, next_session_at=None, tzinfo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.coachee = coachee
        self.next_session_at = next_session_at
        self.tzinfo = tzinfo or timezone.get_current_timezone()
        self.fields["goal"].queryset = coachee.goals.all()
        if next_session_at:
            when = formats.date_format(timezone.localtime(next_session_at, self.tzinfo), "D j M Y, H:i")
            self.fields["due"].choices = [
                (self.DUE_NEXT_SESSION, _("At the next session (%(when)s)") % {"when": when}),
                (self.DUE_DATE, _("On a date I pick")),
            ]
            self.fields["due"].initial = self.DUE_NEXT_SESSION
        else:
            self.fields["due"].choices = [(self.DUE_DATE, _("On a date I pick"))]
            self.fields["due"].initial = self.DUE_DATE
            self.fields["due"].widget = forms.HiddenInput()
            self.fields["due_date"].help_text = _(
                "No session is scheduled yet, so pick the date it is due (the end of that day in your time zone)."
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
        today = timezone.localdate(timezone=self.tzinfo)
        if day < today:
            self.add_error("due_date", _("Pick today or a later date."))
            return None
        if day > today + timedelta(days=MAX_DUE_DAYS):
            self.add_error("due_date", _("Pick a date within the next year."))
            return None
        return datetime.combine(day, DUE_TIME_OF_DAY, tzinfo=self.tzinfo)


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
