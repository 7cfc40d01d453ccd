from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingSessionsConfig(AppConfig):
    name = "sessions"
    # django.contrib.sessions owns the label "sessions".
    label = "coaching_sessions"
    verbose_name = _("Coachees and sessions")
