"""Marks the built-in "Mood journal" template, and homework assigned from it, as a mood journal."""

from django.db import migrations

TITLE = "Mood journal"


def mark_mood_journals(apps, schema_editor):
    HomeworkTemplate = apps.get_model("assignments", "HomeworkTemplate")
    Assignment = apps.get_model("assignments", "Assignment")
    templates = HomeworkTemplate.objects.filter(coach=None, kind="creative", title=TITLE)
    templates.update(creative_format="mood_journal")
    Assignment.objects.filter(kind="creative", template__in=templates).update(creative_format="mood_journal")


def unmark_mood_journals(apps, schema_editor):
    HomeworkTemplate = apps.get_model("assignments", "HomeworkTemplate")
    HomeworkTemplate.objects.filter(coach=None, kind="creative", title=TITLE).update(creative_format="text_files")


class Migration(migrations.Migration):
    dependencies = [("assignments", "0003_coachee_work")]

    operations = [migrations.RunPython(mark_mood_journals, unmark_mood_journals)]
