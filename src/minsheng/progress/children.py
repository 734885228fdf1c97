"""The item's parts a report write reads, in one statement (core.children): its units with their unit,
its targets and its milestones, ordered as their models order them within one item."""

from __future__ import annotations

from minsheng.core.children import Children, children_load
from minsheng.plans.models import Item

ITEM_PARTS = (
    Children("item_units", order=("role", "position"), with_related="unit"),
    Children("targets", order=("position",)),
    Children("milestones", order=("position",)),
)


def item_children_load(item: Item) -> None:
    """`item.item_units`, `item.targets` and `item.milestones` read and cached (no query when used)."""
    children_load(item, ITEM_PARTS)
