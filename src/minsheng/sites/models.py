"""Sites (点位) of an item, values reported per site, the district's boundary, photo checks (照片核验)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel


class SiteSet(models.Model):
    """点位设置: how an item's sites are used; `per_site` means the reporter gives values per site and the
    item's values are their sum."""

    item = models.OneToOneField(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="site_set"
    )
    per_site = models.BooleanField(
        _("measured per site"),
        default=False,
        help_text=_("Reporters enter values per site; the item's values are the sum."),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return f"{self.item_id}: {'per site' if self.per_site else 'whole item'}"


class Site(TimeStampedModel):
    """点位: a place where an item's work happens (a school, a road, a village), with its town."""

    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=200)
    town = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("town or street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sites",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["item", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "name"],
                name="sites_site_unique_name",
                violation_error_message=_("This item already has a site with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="sites_site_both_coordinates",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class SiteValue(models.Model):
    """点位完成值: the cumulative value a target has reached at one site, in one period."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(
        "progress.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="site_values"
    )
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="site_values"
    )
    value = models.DecimalField(_("value reached"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("site value")
        verbose_name_plural = _("site values")
        ordering = ["period", "site__position", "target__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "period", "target"],
                name="sites_sitevalue_unique",
                violation_error_message=_("A site gives one value per target and period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.target_id}: {self.value}"


class Boundary(TimeStampedModel):
    """区划边界: a region's outline (GeoJSON polygons, longitude/latitude) uploaded by the office."""

    region = models.OneToOneField(
        "orgs.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="boundary"
    )
    polygons = models.JSONField(
        _("polygons"), help_text=_("MultiPolygon coordinates: polygons of rings of [longitude, latitude].")
    )
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")

    def __str__(self) -> str:
        return f"{self.region}: {self.source_name}"


class PhotoCheck(models.Model):
    """照片核验: what a photo's EXIF said before it was stripped (time, GPS), its perceptual hash, and the
    flags a reviewer should see. Never shown on public pages."""

    evidence = models.OneToOneField(
        "progress.Evidence", verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="photo_check"
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    dhash = models.BigIntegerField(_("difference hash"), null=True, blank=True, db_index=True)
    distance_km = models.DecimalField(
        _("distance to the nearest site (km)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    duplicate_of = models.ForeignKey(
        "progress.Evidence",
        verbose_name=_("near-duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    flags = models.JSONField(_("flags"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo check")
        verbose_name_plural = _("photo checks")

    def __str__(self) -> str:
        return f"{self.evidence_id}: {', '.join(self.flags) or 'ok'}"
