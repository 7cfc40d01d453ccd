from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """Progress made visible: dashboard figures, progress pages and charts, calendar feeds, exports."""

    name = "assignments.progress"
    label = "progress"
    verbose_name = _("Progress, calendar feeds and data requests")
