"""Public ratings (公众评价) of an item, one per person, item and reporting period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.participation.feedback.choices import Channel, CommentStatus, Score


class PublicRating(TimeStampedModel):
    """公众评价: a person's score (1–5) of an item in a period, with an optional comment.

    `rater_key` is a keyed hash (HMAC with the site's secret) of the phone number, account or address:
    the raw phone or address is never stored; `rater_label` is the masked phone (138****5678) for staff.
    """

    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="public_ratings"
    )
    period = models.ForeignKey(
        "progress.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="public_ratings"
    )
    rater_key = models.CharField(_("rater key"), max_length=64)
    channel = models.CharField(_("verified by"), max_length=10, choices=Channel.choices)
    rater_label = models.CharField(_("rater (masked)"), max_length=40, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    comment_status = models.CharField(
        _("comment status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.NONE
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public rating")
        verbose_name_plural = _("public ratings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "period", "rater_key"],
                name="feedback_one_rating_per_person_period",
                violation_error_message=_("This person has already rated this item in this period."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="feedback_score_1_to_5",
                violation_error_message=_("A score is from 1 to 5."),
            ),
        ]
        indexes = [models.Index(fields=["comment_status", "created_at"], name="feedback_moderation_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.score}"
