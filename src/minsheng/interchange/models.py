"""Import batches: each uploaded list, its parse and its preview."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.interchange.choices import BatchStatus


class ImportBatch(models.Model):
    """导入批次: one upload of a list file, parsed and previewed, then committed (or not)."""

    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="import_batches"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    source_file = models.FileField(_("source file"), upload_to="imports/%Y/%m/", blank=True)
    source_name = models.CharField(_("source file name"), max_length=255)
    parsed = models.JSONField(_("parsed plan"), default=dict)
    preview = models.JSONField(_("preview"), default=dict)
    # The office's corrections in the preview: the edited Plan JSON, every step, and a version number
    # that makes a second concurrent save a conflict instead of a silent overwrite.
    edited = models.JSONField(_("corrected plan"), default=dict, blank=True)
    edit_log = models.JSONField(_("corrections"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    # Choices the office made: unit name → existing unit id or "new"; re-import conflict → "file"/"hand".
    unit_choices = models.JSONField(_("unit choices"), default=dict, blank=True)
    resolutions = models.JSONField(_("re-import choices"), default=dict, blank=True)
    # How many parsed values the office corrected before committing (projects, items, units, targets).
    corrections = models.JSONField(_("corrected values"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED
    )
    error = models.TextField(_("error"), blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "year"], name="interchange_batch_region_idx")]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    @property
    def working(self) -> dict:
        """The Plan JSON to preview and commit: the office's corrected version, else the parse."""
        return self.edited or self.parsed
