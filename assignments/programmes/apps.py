from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programmes: homework planned once across a series of sessions and offered session by session."""

    name = "assignments.programmes"
    label = "programmes"
    verbose_name = _("Programmes")
