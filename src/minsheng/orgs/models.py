"""Regions (行政区划) and units (单位)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.choices import RegionLevel, UnitKind


class Region(models.Model):
    """行政区划: a province, city, district/county or town/street, in a tree."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=255,
        unique=True,
        help_text=_("The official division code when known, otherwise a path of names."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    # The public portal's footer for this region's pages (set by the office on the regions page).
    portal_organiser = models.CharField(
        _("issuing organisation"),
        max_length=100,
        blank=True,
        help_text=_(
            "主办单位 shown at the foot of the public pages; empty: the region's people's government."
        ),
    )
    portal_note = models.CharField(
        _("footer note"),
        max_length=200,
        blank=True,
        help_text=_("A second footer line, e.g. the site's registration number or a contact telephone."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="orgs_region_unique_name_in_parent",
                violation_error_message=_("A region with this name already exists under this parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def portal_organiser_text(self) -> str:
        """主办单位: the office's text, else "<region>人民政府" (in the active language)."""
        return self.portal_organiser or _("People's Government of %(region)s") % {"region": self.name}


class Unit(models.Model):
    """单位: a body named in a list as 责任单位 (lead) or 配合单位 (partner).

    A group word such as 各镇（街道） is kept as a unit of kind "group" and stands for the town and
    street units of its region.
    """

    name = models.CharField(_("name"), max_length=255)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="orgs_unit_unique_name_in_region",
                violation_error_message=_("A unit with this name already exists in this region."),
            ),
        ]
        indexes = [models.Index(fields=["region", "kind"], name="orgs_unit_region_kind_idx")]

    def __str__(self) -> str:
        return self.name


class UnitAlias(models.Model):
    """单位简称: another name a list uses for a unit (区卫健局 for 区卫生健康局)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="orgs_unitalias_unique",
                violation_error_message=_("This unit already has this alias."),
            ),
        ]
        indexes = [models.Index(Lower("name"), name="orgs_unitalias_name_idx")]

    def __str__(self) -> str:
        return self.name
