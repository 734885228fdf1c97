from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """Administrative level of a region."""

    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    DISTRICT = "district", _("district or county")
    TOWN = "town", _("town or street")


class UnitKind(models.TextChoices):
    """What kind of body a unit is."""

    DEPARTMENT = "department", _("department")
    TOWN = "town", _("town or street")
    COMPANY = "company", _("company")
    GROUP = "group", _("group of units")
    OTHER = "other", _("other")
