"""Solicitation (征集) of candidate projects: the call, the proposals, the candidates the office keeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.crypto import EncryptedTextField
from minsheng.core.models import TimeStampedModel
from minsheng.participation.solicitation.choices import Category, ProposalSource, ProposalStatus

# Limits a proposal must keep (characters); the form and the service both check them.
TITLE_MAX = 100
CONTENT_MAX = 2000
SHORT_MAX = 100
NAME_MAX = 50
CONTACT_MAX = 50


class Solicitation(TimeStampedModel):
    """征集活动: a region's call for candidate projects for one plan year, open for a window."""

    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="solicitations"
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("solicitation")
        verbose_name_plural = _("solicitations")
        ordering = ["-year", "region", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "title"], name="solicitation_unique_title"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="solicitation_window_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """征集建议: one proposed project. The proposer's name and contact are private (masked for staff)."""

    solicitation = models.ForeignKey(
        Solicitation, verbose_name=_("solicitation"), on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    content = models.TextField(_("content"), max_length=CONTENT_MAX)
    place = models.CharField(_("place"), max_length=SHORT_MAX, blank=True)
    beneficiaries = models.CharField(_("who benefits"), max_length=SHORT_MAX, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # Encrypted at rest (DATA-01); limits NAME_MAX / CONTACT_MAX are checked by the service.
    proposer_name = EncryptedTextField(_("proposer's name"))
    proposer_contact = EncryptedTextField(_("proposer's phone or contact"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ProposalSource.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A keyed hash of the sender's address: enough for the rate limit, not the address itself.
    address_hash = models.CharField(_("address hash"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    candidate = models.ForeignKey(
        "Candidate",
        verbose_name=_("candidate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["solicitation", "pk"]
        indexes = [models.Index(fields=["solicitation", "status"], name="solicitation_prop_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class Candidate(TimeStampedModel):
    """候选项目: a shortlisted project in the government's wording, with the targets read from its text."""

    solicitation = models.ForeignKey(
        Solicitation, verbose_name=_("solicitation"), on_delete=models.CASCADE, related_name="candidates"
    )
    position = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    content = models.TextField(_("content"), max_length=CONTENT_MAX)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    place = models.CharField(_("place"), max_length=SHORT_MAX, blank=True)
    beneficiaries = models.CharField(_("who benefits"), max_length=SHORT_MAX, blank=True)
    lead_unit = models.CharField(_("lead unit (as written)"), max_length=255, blank=True)
    # Plan JSON targets (parsing.Target.to_dict), read from `content` by the parser's extractor.
    targets = models.JSONField(_("targets"), default=list, blank=True)

    class Meta:
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        ordering = ["solicitation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["solicitation", "position"], name="solicitation_cand_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
