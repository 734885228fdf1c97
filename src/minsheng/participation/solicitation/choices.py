from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    """A proposal waits for screening, then is merged into another, rejected, or shortlisted (入围)."""

    SUBMITTED = "submitted", _("awaiting screening")
    MERGED = "merged", _("merged")
    REJECTED = "rejected", _("rejected")
    SHORTLISTED = "shortlisted", _("shortlisted")


class ProposalSource(models.TextChoices):
    """Who proposed: a member of the public (no account) or a unit (signed in)."""

    PUBLIC = "public", _("the public")
    UNIT = "unit", _("a unit")


class Category(models.TextChoices):
    """The fields a livelihood project belongs to, for grouping and the public counts."""

    EDUCATION = "education", _("education")
    HEALTH = "health", _("health care")
    ELDERLY = "elderly", _("elderly and child care")
    HOUSING = "housing", _("housing and communities")
    TRANSPORT = "transport", _("roads and transport")
    ENVIRONMENT = "environment", _("environment and water")
    EMPLOYMENT = "employment", _("jobs and social security")
    CULTURE = "culture", _("culture and sport")
    SAFETY = "safety", _("public safety")
    OTHER = "other", _("other")
