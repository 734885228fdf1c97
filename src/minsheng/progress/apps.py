from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """Reporting periods, progress reports, review, evidence, extensions, item outcomes, snapshots."""

    name = "minsheng.progress"
    label = "progress"
    verbose_name = _("Progress reporting")
