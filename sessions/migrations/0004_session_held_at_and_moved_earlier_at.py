import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def fill_in(apps, schema_editor):
    """Sessions held before this migration count as held at their start, which is how the review
    loop treated them until now: homework given before the start was due there. Earlier moves were not
    recorded, so each counts as scheduled (and last brought forward) when it was created."""
    CoachingSession = apps.get_model("coaching_sessions", "CoachingSession")
    CoachingSession.objects.update(moved_earlier_at=F("created_at"))
    CoachingSession.objects.filter(status="held").update(held_at=F("starts_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("coaching_sessions", "0003_timezone_choices_callable"),
    ]

    operations = [
        migrations.AddField(
            model_name="coachingsession",
            name="held_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="marked held"),
        ),
        migrations.AddField(
            model_name="coachingsession",
            name="moved_earlier_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="scheduled or moved earlier"),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
