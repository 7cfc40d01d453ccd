"""The built-in example programmes, in every language of the built-in library.

The English texts are below; each other language's are in builtin/<language>.json: the same list in
the same order, with the programme's title and description and each step's texts translated. Kind,
cadence, due rule and action are taken from the English entry at the same place, so a translation
cannot change them (as assignments/migrations/0006_library_languages.py does for the templates).
"""

import json
from pathlib import Path

from django.db import migrations

LANGUAGES = ["nl", "de", "fr", "es"]
STEP_TEXTS = ["title", "instructions", "purpose", "approach", "review_plan", "questions", "coach_notes"]
STEP_PLAN = ["kind", "cadence", "due_rule", "due_days"]

PROGRAMMES = [
    {
        "title": "Six sessions of leadership",
        "description": "A leadership track for a new or growing team lead: from where they stand now, "
        "through delegating and feedback, to a plan of their own.",
        "steps": [
            {
                "kind": "reflection",
                "cadence": "once",
                "due_rule": "next_session",
                "due_days": None,
                "title": "Where I stand as a leader",
                "instructions": "Take half an hour this week and answer the questions below in a few sentences each.",
                "purpose": "A clear picture of where you start makes your progress visible later.",
                "approach": "Pick a quiet moment; write honestly, not perfectly.",
                "review_plan": "We choose together the one theme to work on first.",
                "questions": [
                    "What do you do well as a leader, by your own account?",
                    "What do the people in your team need most from you?",
                    "Which situations at work cost you the most energy?",
                ],
                "coach_notes": "Listen for the theme they return to; it often sets the whole programme.",
            },
            {
                "kind": "observation",
                "cadence": "daily",
                "due_rule": "next_session",
                "due_days": None,
                "title": "Where my time goes",
                "instructions": "Each working day, note one moment you did something your team could have done.",
                "purpose": "Seeing what you hold on to is the first step towards delegating it.",
                "approach": "A short note at the end of each day is enough.",
                "review_plan": "We pick one task from your notes to hand over.",
                "questions": [],
                "coach_notes": "Expect reasons why only they can do it; explore the belief behind them.",
            },
            {
                "kind": "behavioural",
                "cadence": "once",
                "due_rule": "next_session",
                "due_days": None,
                "title": "Delegate one task completely",
                "instructions": "Hand one task over completely, with the result you expect and the freedom to do it their way.",
                "purpose": "Delegating frees your time and lets your team grow.",
                "approach": "Agree on the result and a moment to check in, then keep your hands off.",
                "review_plan": "We look at what it was like to let go and what came of it.",
                "questions": [],
                "coach_notes": "If they took the task back, ask what made that feel necessary.",
            },
            {
                "kind": "behavioural",
                "cadence": "once",
                "due_rule": "next_session",
                "due_days": None,
                "title": "Start one feedback conversation",
                "instructions": "Start one conversation in which you give specific feedback: what you saw, its effect, and what you ask.",
                "purpose": "Clear feedback, given in time, prevents bigger problems later.",
                "approach": "Prepare three sentences beforehand; choose a calm moment.",
                "review_plan": "We replay the conversation and look at how the other person responded.",
                "questions": [],
                "coach_notes": "A role play in the session helps if they postponed it.",
            },
            {
                "kind": "reflection",
                "cadence": "once",
                "due_rule": "days_after",
                "due_days": 7,
                "title": "What changed for my team",
                "instructions": "Look back on the past sessions and answer the questions below.",
                "purpose": "Naming what changed makes it last.",
                "approach": "Ask one team member for their view before you write.",
                "review_plan": "We compare your view with your team member's.",
                "questions": [
                    "What do you do differently now than at the start?",
                    "What did your team notice?",
                    "What is still hard?",
                ],
                "coach_notes": "",
            },
            {
                "kind": "preparation",
                "cadence": "once",
                "due_rule": "next_session",
                "due_days": None,
                "title": "My leadership plan",
                "instructions": "Write your plan for the next three months: one goal, three concrete steps, and how you will notice progress.",
                "purpose": "A plan of your own keeps the work going after the programme.",
                "approach": "Keep it to one page.",
                "review_plan": "We go through your plan together and sharpen it.",
                "questions": [],
                "coach_notes": "The last session: look back on the whole programme, too.",
            },
        ],
    },
    {
        "title": "Onboarding into a new role",
        "description": "For the first months in a new role: getting to know the people, the expectations "
        "and your own way of working in it.",
        "steps": [
            {
                "kind": "preparation",
                "cadence": "once",
                "due_rule": "next_session",
                "due_days": None,
                "title": "Map the people around my role",
                "instructions": "Make a list of the ten people who matter most for your role, and what each expects of you.",
                "purpose": "Knowing who matters and what they expect helps you choose where to start.",
                "approach": "Write down what you know now; mark what you are guessing.",
                "review_plan": "We choose whom to talk to first.",
                "questions": [],
                "coach_notes": "Look for the people they leave out.",
            },
            {
                "kind": "behavioural",
                "cadence": "weekly",
                "due_rule": "next_session",
                "due_days": None,
                "title": "One getting-to-know conversation a week",
                "instructions": "Have one conversation a week with someone from your list: ask what they need from your role.",
                "purpose": "Relationships built early carry you through the first difficult moments.",
                "approach": "Plan the conversations in your calendar now.",
                "review_plan": "We look at what you heard and what surprised you.",
                "questions": [],
                "coach_notes": "",
            },
            {
                "kind": "reflection",
                "cadence": "once",
                "due_rule": "days_after",
                "due_days": 10,
                "title": "What I have learned so far",
                "instructions": "Answer the questions below about your first weeks.",
                "purpose": "Looking back helps you see what you already bring to the role.",
                "approach": "Take a quiet half hour at the end of a week.",
                "review_plan": "We name your first successes and your next focus.",
                "questions": [
                    "What goes better than you expected?",
                    "What do you still find unclear?",
                    "What would you do differently if you started again?",
                ],
                "coach_notes": "Watch for the urge to prove themselves too quickly.",
            },
            {
                "kind": "preparation",
                "cadence": "once",
                "due_rule": "next_session",
                "due_days": None,
                "title": "My first 90 days",
                "instructions": "Write down three things you want to have achieved after 90 days in the role, and the first step for each.",
                "purpose": "Clear aims make the role your own.",
                "approach": "Check your aims with your manager before the session.",
                "review_plan": "We test whether your aims are concrete and achievable.",
                "questions": [],
                "coach_notes": "",
            },
        ],
    },
]


def _translations(language: str) -> list[dict]:
    return json.loads((Path(__file__).parent / "builtin" / f"{language}.json").read_text(encoding="utf-8"))


def _create(Programme, ProgrammeStep, language: str, source: dict, texts: dict) -> None:
    programme, _created = Programme.objects.update_or_create(
        coach=None, language=language, title=texts["title"], defaults={"description": texts["description"]}
    )
    if len(texts["steps"]) != len(source["steps"]):
        raise ValueError(f"builtin/{language}.json: “{texts['title']}” has another number of steps than in English")
    programme.steps.all().delete()
    for number, (plan, step) in enumerate(zip(source["steps"], texts["steps"], strict=True), start=1):
        ProgrammeStep.objects.create(
            programme=programme,
            number=number,
            **{name: plan[name] for name in STEP_PLAN},
            **{name: step[name] for name in STEP_TEXTS},
        )


def load_programmes(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    ProgrammeStep = apps.get_model("programmes", "ProgrammeStep")
    for source in PROGRAMMES:
        _create(Programme, ProgrammeStep, "en", source, source)
    for language in LANGUAGES:
        translated = _translations(language)
        if len(translated) != len(PROGRAMMES):
            raise ValueError(f"builtin/{language}.json has {len(translated)} programmes, English {len(PROGRAMMES)}")
        for source, texts in zip(PROGRAMMES, translated, strict=True):
            _create(Programme, ProgrammeStep, language, source, texts)


def unload_programmes(apps, schema_editor):
    apps.get_model("programmes", "Programme").objects.filter(coach=None).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(load_programmes, unload_programmes)]
