"""Forms the office uses to correct what the parser read: targets, milestones, an item's units."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.plans.choices import TargetOp, UnitRole
from minsheng.plans.models import Item, Milestone, Target

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Units are written one per line, or separated the way lists do (、，,；;).
_UNIT_SEPARATORS = re.compile(r"[\n\r、，,；;]+")


def _plain(value: Any) -> Any:
    """3500.0000 → 3500 and 1.2500 → 1.25, so the form shows numbers as the list writes them."""
    if not isinstance(value, Decimal):
        return value
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class TargetForm(forms.Form):
    """Value, unit of measure, comparison, quote and due date of one target."""

    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The words of the list this target was read from."),
    )
    op = forms.ChoiceField(label=_("Comparison"), choices=TargetOp.choices)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
    range_max = forms.DecimalField(
        label=_("Range maximum"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("Only for a range such as 10–15."),
    )
    unit = forms.CharField(label=_("Unit of measure"), max_length=100, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=20, decimal_places=4, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=_DATE)

    @classmethod
    def for_target(cls, target: Target, data: Any = None) -> TargetForm:
        initial = {name: _plain(getattr(target, name)) for name in cls.base_fields}
        return cls(data, initial=initial, prefix=f"target-{target.pk}")


class MilestoneForm(forms.Form):
    """Subject, state, quote and due date of one milestone."""

    subject = forms.CharField(label=_("Subject"), max_length=500)
    state = forms.CharField(label=_("State to reach"), max_length=200)
    quote = forms.CharField(label=_("Quote"), widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Due date"), widget=_DATE)

    @classmethod
    def for_milestone(cls, milestone: Milestone, data: Any = None) -> MilestoneForm:
        initial = {name: getattr(milestone, name) for name in cls.base_fields}
        return cls(data, initial=initial, prefix=f"milestone-{milestone.pk}")


def split_unit_names(text: str) -> list[str]:
    """'区教育局、区财政局' or one name per line → ['区教育局', '区财政局']."""
    return [name.strip() for name in _UNIT_SEPARATORS.split(text or "") if name.strip()]


class ItemUnitsForm(forms.Form):
    """The lead and partner units of an item, as the list writes them."""

    lead_units = forms.CharField(
        label=UnitRole.LEAD.label,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One unit per line, or separated by 、"),
    )
    partner_units = forms.CharField(
        label=UnitRole.PARTNER.label,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One unit per line, or separated by 、"),
    )

    @classmethod
    def for_item(cls, item: Item, data: Any = None) -> ItemUnitsForm:
        units = list(item.item_units.all())
        initial = {
            "lead_units": "\n".join(iu.written_as for iu in units if iu.role == UnitRole.LEAD),
            "partner_units": "\n".join(iu.written_as for iu in units if iu.role == UnitRole.PARTNER),
        }
        return cls(data, initial=initial, prefix=f"item-{item.pk}")

    def clean(self) -> dict[str, Any]:
        # Both fields may be empty, so a post without them (e.g. without the field prefix) would read
        # as "no units" and empty the item: refuse it instead.
        if not any(self.add_prefix(name) in self.data for name in self.fields):
            raise forms.ValidationError(
                _(
                    "The form arrived without its unit fields; nothing was changed. Reload the page and try again."
                )
            )
        return self.cleaned_data

    def names(self, role: str) -> list[str]:
        return split_unit_names(self.cleaned_data[f"{role}_units"])
