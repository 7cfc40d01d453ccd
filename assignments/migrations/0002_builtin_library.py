"""The built-in homework library: ready templates for each of the five kinds."""

from django.db import migrations

LIBRARY = [
    {
        "kind": "reflection",
        "title": "Weekly reflection",
        "instructions": "Once this week, take fifteen quiet minutes and answer the questions below in a few sentences each.",
        "purpose": "Noticing your own patterns is the first step to changing them.",
        "approach": "Pick a calm moment near the end of the week; write honestly, not perfectly.",
        "review_plan": "We start the next session with what surprised you most.",
        "questions": [
            "What did you notice this week in your behaviour or thoughts?",
            "What worked well?",
            "What did not work, and what got in the way?",
        ],
        "cadence": "once",
    },
    {
        "kind": "reflection",
        "title": "Looking back on a difficult conversation",
        "instructions": "Choose one conversation this week that felt difficult and reflect on it with the questions below.",
        "purpose": "Understanding what happens in hard moments gives you choices next time.",
        "approach": "Write soon after the conversation while your memory is fresh.",
        "review_plan": "We look at the conversation together and explore one alternative response.",
        "questions": [
            "What was the situation, and what was at stake for you?",
            "What did you feel and think in the moment?",
            "What would you like to do differently next time?",
        ],
        "cadence": "once",
    },
    {
        "kind": "behavioural",
        "title": "Say no once a day",
        "instructions": "Consciously say no to one request a day that you would normally accept.",
        "purpose": "Practising small boundaries makes bigger ones possible.",
        "approach": "Start with low-stakes requests. Check in each day: did you do it, and how did it feel?",
        "review_plan": "We look at your check-ins: what made it easier or harder?",
        "questions": [],
        "cadence": "daily",
    },
    {
        "kind": "behavioural",
        "title": "Start a feedback conversation",
        "instructions": "Start one conversation this week in which you ask a colleague for feedback.",
        "purpose": "Asking for feedback builds trust and shows you where to grow.",
        "approach": "Choose the person and the moment in advance; ask one open question and listen.",
        "review_plan": "We discuss what you heard and how you responded.",
        "questions": [],
        "cadence": "weekly",
    },
    {
        "kind": "behavioural",
        "title": "Meditate five minutes",
        "instructions": "Meditate for five minutes every day, at a time that suits you.",
        "purpose": "A short daily pause strengthens attention and calm.",
        "approach": "Same time and place each day; a timer helps. Log a check-in afterwards.",
        "review_plan": "We look at your streak and what you noticed on the days it worked.",
        "questions": [],
        "cadence": "daily",
    },
    {
        "kind": "observation",
        "title": "Tension in your body",
        "instructions": "Whenever you feel tension, observe what happens in your body and note it down.",
        "purpose": "Body signals often come before thoughts; noticing them early gives you room to act.",
        "approach": "Keep short dated notes: the situation, where you felt it, how strong it was.",
        "review_plan": "We look for patterns across your observations.",
        "questions": [],
        "cadence": "daily",
    },
    {
        "kind": "observation",
        "title": "How you respond to criticism",
        "instructions": "Observe how you respond when someone criticises you or your work.",
        "purpose": "Seeing your first reaction clearly lets you choose your second one.",
        "approach": "Log each occasion: what was said, what you felt, what you did.",
        "review_plan": "We pick one observation and explore it together.",
        "questions": [],
        "cadence": "weekly",
    },
    {
        "kind": "creative",
        "title": "Letter to your future self",
        "instructions": "Write a letter to yourself one year from now.",
        "purpose": "Imagining your future self clarifies what matters to you today.",
        "approach": "Write freely: what do you hope has changed, and what do you want to remember?",
        "review_plan": "You choose which part of the letter to share in our next session.",
        "questions": [],
        "cadence": "once",
    },
    {
        "kind": "creative",
        "title": "Values collage",
        "instructions": "Make a collage of images and words that express your most important values, and upload a photo of it.",
        "purpose": "Making values visible helps you use them in decisions.",
        "approach": "Use magazines, drawings or printouts; take a photo when you are done.",
        "review_plan": "You walk me through your collage at the next session.",
        "questions": [],
        "cadence": "once",
    },
    {
        "kind": "creative",
        "title": "Mood journal",
        "instructions": "Each day, rate your mood from 1 to 5 and add a short note about what shaped it.",
        "purpose": "A mood journal shows what lifts you and what drains you.",
        "approach": "Take one minute at the end of each day.",
        "review_plan": "We look at the ups and downs and what was happening around them.",
        "questions": [],
        "cadence": "daily",
    },
    {
        "kind": "preparation",
        "title": "A question for our next session",
        "instructions": "Reflect on the question you most want to explore in our next session and write it down.",
        "purpose": "Arriving with your own question makes the session yours.",
        "approach": "Note it a day or two before the session, with a line on why it matters now.",
        "review_plan": "Your question opens the next session.",
        "questions": [],
        "cadence": "once",
    },
    {
        "kind": "preparation",
        "title": "Bring a case example",
        "instructions": "Prepare a concrete case from your work or life that you would like to discuss.",
        "purpose": "A real example keeps our work concrete.",
        "approach": "Describe the situation, the people involved and what you want to get out of discussing it.",
        "review_plan": "We work through the case together at the next session.",
        "questions": [],
        "cadence": "once",
    },
]


def load_library(apps, schema_editor):
    HomeworkTemplate = apps.get_model("assignments", "HomeworkTemplate")
    for entry in LIBRARY:
        HomeworkTemplate.objects.update_or_create(coach=None, title=entry["title"], defaults=entry)


def unload_library(apps, schema_editor):
    HomeworkTemplate = apps.get_model("assignments", "HomeworkTemplate")
    HomeworkTemplate.objects.filter(coach=None, title__in=[e["title"] for e in LIBRARY]).delete()


class Migration(migrations.Migration):
    dependencies = [("assignments", "0001_initial")]

    operations = [migrations.RunPython(load_library, unload_library)]
