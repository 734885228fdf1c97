from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The annual list: plan, projects, items, units, targets, milestones."""

    name = "minsheng.plans"
    label = "plans"
    verbose_name = _("Plans")
