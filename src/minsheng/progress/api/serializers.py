"""Items with their lights, periods and progress reports as JSON."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.plans.choices import TargetOp, UnitRole
from minsheng.plans.models import Item, Milestone, Target
from minsheng.progress.api.extensions import item_api_fields, report_api_fields, report_api_inputs
from minsheng.progress.choices import MilestoneProgress
from minsheng.progress.models import REPORT_CONTENT_FIELDS, Period, ProgressReport
from minsheng.progress.providers import light_values

# The lights, as the provider (alerts) names them (LightEnum in the OpenAPI schema). URLconfs load after
# every app's ready(), so the provider is registered by the time this module is imported.
LIGHT_CHOICES = list(light_values())

# An item's or a part's light from progress.providers (alerts' ItemStatus / PartStatus).
ItemStatus = Any
PartStatus = Any


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class ItemTargetSerializer(serializers.Serializer):
    """A target of an item with the latest approved value (`reached`, null before any approval)."""

    id = serializers.IntegerField()
    quote = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False)
    unit = serializers.CharField()
    op = serializers.ChoiceField(choices=TargetOp.choices)
    due_date = serializers.DateField()
    reached = serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=LIGHT_CHOICES, allow_null=True)
    completion = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)


class ItemMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    state = serializers.CharField(help_text="The state the list asks for (启动建设, 建成投用 …).")
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=LIGHT_CHOICES, allow_null=True)


def _target_row(target: Target, part: PartStatus | None) -> dict[str, Any]:
    return {
        "id": target.pk,
        "quote": target.quote,
        "value": target.value,
        "unit": target.unit,
        "op": target.op,
        "due_date": target.due_date,
        "reached": part.reached if part else None,
        "status": str(part.status) if part else None,
        "completion": _share(part.completion) if part else None,
        "expected": _share(part.expected) if part else None,
    }


class ItemSerializer(serializers.ModelSerializer[Item]):
    """An item with its light on the day asked (`status`, `completion` 0–1, `expected` by schedule).

    Lights come from approved reports only; the view computes them for a whole page at once and passes
    them in the context as `statuses` ({item id: alerts ItemStatus}).
    """

    plan = serializers.IntegerField(source="project.plan_id", read_only=True)
    project_no = serializers.IntegerField(source="project.no", read_only=True)
    lead_units = serializers.SerializerMethodField()
    partner_units = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    colour = serializers.SerializerMethodField()
    completion = serializers.SerializerMethodField()
    expected = serializers.SerializerMethodField()
    report_overdue = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id",
            "plan",
            "project",
            "project_no",
            "position",
            "text",
            "lead_units",
            "partner_units",
            "status",
            "colour",
            "completion",
            "expected",
            "report_overdue",
            "targets",
            "milestones",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # Other apps' fields (funds' `funds`), read for the whole page by the view (progress.api.extensions).
        return {**super().get_fields(), **{f.name: f.field() for f in item_api_fields()}}

    def _light(self, item: Item) -> ItemStatus | None:
        return self.context.get("statuses", {}).get(item.pk)

    def _units(self, item: Item, role: str) -> list[str]:
        return [iu.unit.name for iu in item.item_units.all() if iu.role == role]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lead_units(self, item: Item) -> list[str]:
        return self._units(item, UnitRole.LEAD)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_partner_units(self, item: Item) -> list[str]:
        return self._units(item, UnitRole.PARTNER)

    @extend_schema_field(serializers.ChoiceField(choices=LIGHT_CHOICES, allow_null=True))
    def get_status(self, item: Item) -> str | None:
        light = self._light(item)
        return str(light.status) if light else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_colour(self, item: Item) -> str | None:
        light = self._light(item)
        return light.colour if light else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_completion(self, item: Item) -> float | None:
        light = self._light(item)
        # None for an item with nothing measurable (status `unmeasured`, 无量化指标), never 0.
        return _share(light.completion) if light and light.measurable else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_expected(self, item: Item) -> float | None:
        light = self._light(item)
        return _share(light.expected) if light and light.measurable else None

    @extend_schema_field(serializers.BooleanField())
    def get_report_overdue(self, item: Item) -> bool:
        light = self._light(item)
        return bool(light and light.report_overdue)

    @extend_schema_field(ItemTargetSerializer(many=True))
    def get_targets(self, item: Item) -> list[dict[str, Any]]:
        light = self._light(item)
        parts = {p.key: p for p in light.targets} if light else {}
        return [_target_row(t, parts.get(t.pk)) for t in item.targets.all()]

    @extend_schema_field(ItemMilestoneSerializer(many=True))
    def get_milestones(self, item: Item) -> list[dict[str, Any]]:
        light = self._light(item)
        parts = {p.key: p for p in light.milestones} if light else {}
        return [_milestone_row(m, parts.get(m.pk)) for m in item.milestones.all()]


def _milestone_row(milestone: Milestone, part: PartStatus | None) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "subject": milestone.subject,
        "state": milestone.state,
        "due_date": milestone.due_date,
        "status": str(part.status) if part else None,
    }


class PeriodSerializer(serializers.ModelSerializer[Period]):
    closed = serializers.BooleanField(source="is_closed", read_only=True)

    class Meta:
        model = Period
        fields = ["id", "plan", "number", "start", "end", "deadline", "closed"]
        read_only_fields = fields


def _value_field(help_text: str) -> serializers.DecimalField:
    """A target's cumulative value as posted (number or null), the same for an item and a site."""
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=False, allow_null=True, help_text=help_text
    )


class TargetValueInput(serializers.Serializer):
    target = serializers.IntegerField()
    value = _value_field("Cumulative value reached; null clears it.")


class SiteValueInput(serializers.Serializer):
    site = serializers.IntegerField()
    target = serializers.IntegerField()
    value = _value_field("Cumulative value reached at the site; null clears it.")


class MilestoneStateInput(serializers.Serializer):
    milestone = serializers.IntegerField()
    state = serializers.ChoiceField(choices=MilestoneProgress.choices)
    done_on = serializers.DateField(required=False, allow_null=True)


class ContributionOutput(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    text = serializers.CharField()


class ReportWriteSerializer(serializers.Serializer):
    """What a lead unit writes: values, milestone states and the three texts. Omitted fields stay as they are."""

    target_values = TargetValueInput(many=True, required=False)
    milestone_states = MilestoneStateInput(many=True, required=False)
    site_values = SiteValueInput(
        many=True,
        required=False,
        help_text="Items measured per site (点位): values per site and target; the item's target values "
        "become their sums. Refused for other items.",
    )
    progress = serializers.CharField(required=False, allow_blank=True, help_text="进展情况")
    problems = serializers.CharField(required=False, allow_blank=True, help_text="存在问题")
    next_steps = serializers.CharField(required=False, allow_blank=True, help_text="下步计划")
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also submit the report, in the same request (保存并提交): the checks of `submit`; when "
        "they refuse (400), nothing of the request is saved.",
    )
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With `submit`: submit values beyond the target or below an earlier approved cumulative "
        "value (see `submit`).",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # Other apps' inputs (funds' `funds_in_place`, `funds_paid`), saved by their addons.api_save.
        return {**super().get_fields(), **report_api_inputs()}

    def service_kwargs(self) -> dict[str, Any]:
        """The validated data in the shape `progress.services.report_save` takes."""
        data = self.validated_data
        kwargs: dict[str, Any] = {
            name: data[name] for name in ("progress", "problems", "next_steps") if name in data
        }
        if "target_values" in data:
            kwargs["target_values"] = {row["target"]: row["value"] for row in data["target_values"]}
        if "milestone_states" in data:
            kwargs["milestone_states"] = {
                row["milestone"]: {"state": row["state"], "done_on": row.get("done_on")}
                for row in data["milestone_states"]
            }
        return kwargs


class ReportCreateSerializer(ReportWriteSerializer):
    item = serializers.IntegerField()
    period = serializers.IntegerField()


class ReportUpdateSerializer(ReportWriteSerializer):
    version = serializers.IntegerField(help_text="The version you read; a stale one gets 409 Conflict.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="The version you read (optional; checked when given)."
    )


class SubmitSerializer(VersionSerializer):
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Submit values beyond the target or below an earlier approved cumulative value; without it such "
            "values are refused (400) with the list of them."
        ),
    )


class DecisionSerializer(VersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReportSerializer(serializers.ModelSerializer[ProgressReport]):
    """A report. Readers who may see only its status (leaders, for unapproved reports) get `content: false`
    and no values or texts."""

    plan = serializers.IntegerField(source="period.plan_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    content = serializers.SerializerMethodField()
    target_values = serializers.SerializerMethodField()
    milestone_states = serializers.SerializerMethodField()
    contributions = serializers.SerializerMethodField()

    CONTENT_FIELDS = REPORT_CONTENT_FIELDS

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "plan",
            "item",
            "period",
            "unit",
            "unit_name",
            "status",
            "version",
            "content",
            *REPORT_CONTENT_FIELDS,
            "submitted_at",
            "reviewed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # Other apps' parts of the report (funds' `funds`), joined by the view (progress.api.extensions).
        return {**super().get_fields(), **{f.name: f.field() for f in report_api_fields()}}

    def _content_visible(self, report: ProgressReport) -> bool:
        visible = self.context.get("content_visible")
        return True if visible is None else visible(report)

    @extend_schema_field(serializers.BooleanField())
    def get_content(self, report: ProgressReport) -> bool:
        return self._content_visible(report)

    @extend_schema_field(TargetValueInput(many=True))
    def get_target_values(self, report: ProgressReport) -> list[dict[str, Any]]:
        return [{"target": v.target_id, "value": v.value} for v in report.target_values.all()]

    @extend_schema_field(MilestoneStateInput(many=True))
    def get_milestone_states(self, report: ProgressReport) -> list[dict[str, Any]]:
        return [
            {"milestone": s.milestone_id, "state": s.state, "done_on": s.done_on}
            for s in report.milestone_states.all()
        ]

    @extend_schema_field(ContributionOutput(many=True))
    def get_contributions(self, report: ProgressReport) -> list[dict[str, Any]]:
        return [
            {"unit": c.unit_id, "unit_name": c.unit.name, "text": c.text} for c in report.contributions.all()
        ]

    def to_representation(self, instance: ProgressReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not data["content"]:
            # Status only: the content of an unapproved report stays with its unit and the reviewers.
            for name in (*self.CONTENT_FIELDS, *(f.name for f in report_api_fields())):
                data.pop(name, None)
        return data
