import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_email_confirmed_at"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sign_in_notices",
            field=models.BooleanField(blank=True, null=True, verbose_name="mail about sign-ins from new devices"),
        ),
        migrations.CreateModel(
            name="KnownDevice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(max_length=64)),
                ("first_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="known_devices",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "known device",
                "verbose_name_plural": "known devices",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "token_hash"), name="known_device_once_per_user")
                ],
            },
        ),
        migrations.CreateModel(
            name="SignInSession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user_agent", models.CharField(blank=True, max_length=500, verbose_name="browser")),
                ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="address")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="signed in")),
                ("last_seen_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="last seen")),
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="sessions.session",
                        verbose_name="session",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sign_in_sessions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "sign-in",
                "verbose_name_plural": "sign-ins",
                "indexes": [models.Index(fields=["user", "-created_at"], name="signin_user_created_idx")],
            },
        ),
    ]
