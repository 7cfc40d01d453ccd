"""Programme files: a programme exported as JSON, so coaches can share it, and imported again.

The format (version 1), one JSON object:

    {
      "format": "coachhub-programme",
      "version": 1,
      "title": "Six sessions of leadership",          # up to 200 characters
      "description": "...",                            # up to 2,000 characters
      "language": "en",                                # one of the site's languages
      "steps": [                                       # 1 to MAX_STEPS steps, in session order
        {
          "session": 1,                                # 1, 2, 3 ... in order, no gaps
          "kind": "reflection",                        # a kind of homework
          "title": "...", "instructions": "...",       # required texts
          "purpose": "...", "approach": "...", "review_plan": "...",
          "questions": ["..."],                        # reflection: 1 to 20 questions
          "cadence": "once", "creative_format": "text_files",
          "coach_notes": "...",
          "due_rule": "next_session",                  # or "days_after" with "due_days": 1..90
          "due_days": null,
          "action": "assign"                           # or "propose"
        }
      ]
    }

Every key is required in an export and allowed (all but "title", "kind", "instructions" and
"session" may be left out) in an import; any other key makes the file invalid, so no id of anybody's
template, coachee or programme is ever read: a step's homework travels as its content.
"""

import json

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.forms import MAX_QUESTION_LENGTH, MAX_QUESTIONS
from assignments.models import Cadence, CreativeFormat, Kind

from .models import MAX_DUE_DAYS, MAX_STEPS, Programme, ProgrammeStep

FORMAT = "coachhub-programme"
VERSION = 1
# Thirty long steps fit in a fraction of this; anything larger is not a programme file.
MAX_FILE_BYTES = 512 * 1024
# Texts of a step and their longest length (the model's).
STEP_TEXTS = {
    "title": 200,
    "instructions": 5000,
    "purpose": 2000,
    "approach": 2000,
    "review_plan": 2000,
    "coach_notes": 5000,
}
STEP_CHOICES = {
    "kind": Kind.values,
    "cadence": Cadence.values,
    "creative_format": CreativeFormat.values,
    "due_rule": ProgrammeStep.DueRule.values,
    "action": ProgrammeStep.Action.values,
}
STEP_KEYS = {"session", *STEP_TEXTS, *STEP_CHOICES, "questions", "due_days"}
STEP_REQUIRED = {"session", "kind", "title", "instructions"}
PROGRAMME_KEYS = {"format", "version", "title", "description", "language", "steps"}


class InvalidFile(Exception):
    """The file is not a programme this site can import; the message says what is wrong, for the coach."""


def export_programme(programme: Programme) -> dict:
    steps = programme.steps.order_by("number")
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": programme.title,
        "description": programme.description,
        "language": programme.language,
        "steps": [
            {
                "session": step.number,
                **{name: getattr(step, name) for name in [*STEP_TEXTS, *STEP_CHOICES]},
                "questions": list(step.questions),
                "due_days": step.due_days,
            }
            for step in steps
        ],
    }


def import_programme(*, coach, data: bytes) -> Programme:
    """Read a programme file and create it as the coach's own, all at once or not at all.
    Raises InvalidFile with a message for the coach."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidFile(_("The file is too large to be a programme file."))
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidFile(_("The file is not a text file in UTF-8. Choose a programme file exported here.")) from error
    except RecursionError as error:
        raise InvalidFile(_("The file is nested too deeply to be a programme file.")) from error
    except ValueError as error:
        raise InvalidFile(
            _("The file is not valid JSON (line %(line)d).") % {"line": getattr(error, "lineno", 1)}
        ) from error
    programme, steps = _validated(document)
    with transaction.atomic():
        created = Programme.objects.create(coach=coach, **programme)
        ProgrammeStep.objects.bulk_create(ProgrammeStep(programme=created, **step) for step in steps)
    return created


def _validated(document) -> tuple[dict, list[dict]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidFile(_("This is not a CoachHub programme file."))
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        raise InvalidFile(
            _("This programme file has a version this site cannot read (it reads version %(v)d).") % {"v": VERSION}
        )
    _no_unknown_keys(document, PROGRAMME_KEYS, _("the programme"))
    languages = [code for code, _name in settings.LANGUAGES]
    language = document.get("language", settings.LANGUAGE_CODE)
    if language not in languages:
        raise InvalidFile(_("The language must be one of: %(choices)s.") % {"choices": ", ".join(languages)})
    programme = {
        "title": _text(document, "title", 200, _("the programme"), required=True),
        "description": _text(document, "description", 2000, _("the programme")),
        "language": language,
    }
    steps = document.get("steps")
    if not isinstance(steps, list) or not steps:
        raise InvalidFile(_("The programme has no steps: it needs at least one."))
    if len(steps) > MAX_STEPS:
        raise InvalidFile(
            _("The programme has %(n)d steps; at most %(max)d are possible.") % {"n": len(steps), "max": MAX_STEPS}
        )
    return programme, [_step(step, number) for number, step in enumerate(steps, start=1)]


def _step(step, number: int) -> dict:
    where = _("step %(n)d") % {"n": number}
    if not isinstance(step, dict):
        raise InvalidFile(_("%(where)s is not an object with the step's texts.") % {"where": where})
    _no_unknown_keys(step, STEP_KEYS, where)
    missing = sorted(STEP_REQUIRED - step.keys())
    if missing:
        raise InvalidFile(_("%(where)s lacks %(keys)s.") % {"where": where, "keys": ", ".join(missing)})
    session = step["session"]
    if not isinstance(session, int) or isinstance(session, bool) or session != number:
        raise InvalidFile(
            _("%(where)s must be for session %(n)d: steps are numbered 1, 2, 3 … in order.")
            % {"where": where, "n": number}
        )
    cleaned = {"number": number}
    for name, limit in STEP_TEXTS.items():
        cleaned[name] = _text(step, name, limit, where, required=name in STEP_REQUIRED)
    defaults = {"cadence": Cadence.ONCE, "creative_format": CreativeFormat.TEXT_AND_FILES}
    defaults |= {"due_rule": ProgrammeStep.DueRule.NEXT_SESSION, "action": ProgrammeStep.Action.ASSIGN}
    for name, choices in STEP_CHOICES.items():
        value = step.get(name, defaults.get(name))
        if value not in choices:
            raise InvalidFile(
                _("In %(where)s, “%(key)s” must be one of: %(choices)s.")
                % {"where": where, "key": name, "choices": ", ".join(choices)}
            )
        cleaned[name] = value
    cleaned["questions"] = _questions(step.get("questions", []), where, cleaned["kind"])
    cleaned["due_days"] = _due_days(step.get("due_days"), where, cleaned["due_rule"])
    return cleaned


def _no_unknown_keys(mapping: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(str(key)[:40] for key in mapping.keys() - allowed)
    if unknown:
        raise InvalidFile(
            _("%(where)s has keys this format does not know: %(keys)s.")
            % {"where": where.capitalize(), "keys": ", ".join(unknown[:5])}
        )


def _text(mapping: dict, name: str, limit: int, where: str, *, required: bool = False) -> str:
    value = mapping.get(name, "")
    if not isinstance(value, str):
        raise InvalidFile(_("In %(where)s, “%(key)s” must be text.") % {"where": where, "key": name})
    _storable(value, name, where)
    value = value.strip()
    if required and not value:
        raise InvalidFile(_("In %(where)s, “%(key)s” is empty.") % {"where": where, "key": name})
    if len(value) > limit:
        raise InvalidFile(
            _("In %(where)s, “%(key)s” is longer than %(limit)d characters.")
            % {"where": where, "key": name, "limit": limit}
        )
    return value


def _storable(value: str, name: str, where: str) -> None:
    """Text the database can keep: no NUL character, no half of a surrogate pair."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidFile(
            _("In %(where)s, “%(key)s” holds characters that are not text.") % {"where": where, "key": name}
        ) from error
    if "\x00" in value:
        raise InvalidFile(
            _("In %(where)s, “%(key)s” holds characters that are not text.") % {"where": where, "key": name}
        )


def _questions(questions, where: str, kind: str) -> list[str]:
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise InvalidFile(_("In %(where)s, “questions” must be a list of texts.") % {"where": where})
    for question in questions:
        _storable(question, "questions", where)
    questions = [q.strip() for q in questions if q.strip()]
    if len(questions) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        raise InvalidFile(
            _("In %(where)s, ask at most %(n)d questions of at most %(limit)d characters each.")
            % {"where": where, "n": MAX_QUESTIONS, "limit": MAX_QUESTION_LENGTH}
        )
    if kind == Kind.REFLECTION and not questions:
        raise InvalidFile(_("In %(where)s, reflection homework needs at least one question.") % {"where": where})
    return questions if kind == Kind.REFLECTION else []


def _due_days(days, where: str, rule: str) -> int | None:
    if rule != ProgrammeStep.DueRule.DAYS_AFTER:
        return None
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DUE_DAYS:
        raise InvalidFile(
            _("In %(where)s, “due_days” must be a whole number from 1 to %(max)d.")
            % {"where": where, "max": MAX_DUE_DAYS}
        )
    return days
