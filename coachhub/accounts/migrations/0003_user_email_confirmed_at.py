from django.db import migrations, models
from django.db.models import F


def confirm_existing(apps, schema_editor):
    # Everyone who could log in before confirmation existed keeps mailing as before.
    apps.get_model("accounts", "User").objects.update(email_confirmed_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_timezone_choices_callable"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="email confirmed"),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
