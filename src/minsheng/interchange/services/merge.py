"""Re-import keeps hand edits: a three-way merge of the last imported list (base), the plan as the office
corrected it (hand) and the newly uploaded list (file).

Where only the file changed a value, the file wins; where only the office changed it, the hand edit
stays; where both changed it differently, the merge keeps the hand edit and reports a `MergeConflict`
so the preview shows both and the office chooses (`resolutions[key] = "file"` takes the file's value).
Units, targets, milestones and items the office added by hand are kept.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from typing import Any

from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.services.diff import pair_up
from minsheng.parsing import Plan as ParsedPlan
from minsheng.plans.models import Plan

Json = dict[str, Any]
_PROJECT_FIELDS = ("no", "name", "alias", "category", "starred")
_ITEM_FIELDS = ("text", "lead_units", "partner_units")


@dataclass
class MergeConflict:
    """A value both the new file and the office changed: where, the field, the base, hand and file values."""

    key: str
    where: str
    field: str
    base: Any
    hand: Any
    file: Any
    choice: str = "hand"

    def to_dict(self) -> Json:
        return dict(self.__dict__)


def _ratio(a: str, b: str) -> float:
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _content(plan: Json) -> list[Json]:
    return ParsedPlan.from_dict(plan).content_projects()


def base_of(plan: Plan) -> Json | None:
    """The list as last imported into `plan` (after the preview's corrections), or None."""
    batch = (
        plan.import_batches.filter(status=BatchStatus.COMMITTED)
        .order_by("-committed_at", "-pk")
        .only("parsed", "edited")
        .first()
    )
    if batch is None:
        return None
    return batch.edited or batch.parsed or None


class _Merger:
    def __init__(self, resolutions: dict[str, str]) -> None:
        self.resolutions = resolutions
        self.conflicts: list[MergeConflict] = []

    def value(self, key: str, where: str, field: str, base: Any, hand: Any, file: Any) -> Any:
        if file == base or hand == file:
            return hand
        if hand == base:
            return file
        choice = self.resolutions.get(key, "hand")
        self.conflicts.append(MergeConflict(key, where, field, base, hand, file, choice))
        return file if choice == "file" else hand

    def children(
        self, key: str, where: str, base: list[Json], hand: list[Json], file: list[Json]
    ) -> list[Json]:
        """Merge an item's targets or milestones entry by entry."""
        score = lambda n, o: _ratio(n.get("quote", ""), o.get("quote", ""))  # noqa: E731
        file_pairs, _removed = pair_up(file, base, same=lambda n, o: n == o, score=score, threshold=0.6)
        hand_pairs, _gone = pair_up(hand, base, same=lambda n, o: n == o, score=score, threshold=0.6)
        hand_of = {id(b): h for h, b in hand_pairs if b is not None}
        out: list[Json] = []
        for pos, (f, b) in enumerate(file_pairs, start=1):
            if b is None:
                out.append(f)  # new in the file
            elif id(b) in hand_of:
                out.append(
                    self.value(f"{key}-{pos}", where, f"{key.rsplit('-', 1)[-1]} {pos}", b, hand_of[id(b)], f)
                )
            # else: the office removed it by hand; it stays removed
        out.extend(h for h, b in hand_pairs if b is None)  # added by hand
        return out

    def item(self, key: str, where: str, base: Json, hand: Json, file: Json) -> Json:
        merged = copy.deepcopy(file)
        for field in _ITEM_FIELDS:
            merged[field] = self.value(
                f"{key}-{field}", where, field, base.get(field), hand.get(field), file.get(field)
            )
        for field in ("targets", "milestones"):
            merged[field] = self.children(
                f"{key}-{field}", where, base.get(field, []), hand.get(field, []), file.get(field, [])
            )
        return merged

    def project(self, key: str, base: Json, hand: Json, file: Json) -> Json:
        where = str(file.get("name", ""))
        merged = copy.deepcopy(file)
        for field in _PROJECT_FIELDS:
            merged[field] = self.value(
                f"{key}-{field}", where, field, base.get(field), hand.get(field), file.get(field)
            )
        score = lambda n, o: _ratio(n["text"], o["text"])  # noqa: E731
        same = lambda n, o: n["text"] == o["text"]  # noqa: E731
        file_pairs, _removed = pair_up(file["items"], base["items"], same=same, score=score, threshold=0.5)
        hand_pairs, _gone = pair_up(hand["items"], base["items"], same=same, score=score, threshold=0.5)
        hand_of = {id(b): h for h, b in hand_pairs if b is not None}
        items: list[Json] = []
        for pos, (f, b) in enumerate(file_pairs, start=1):
            if b is None:
                items.append(f)
            elif id(b) in hand_of:
                items.append(self.item(f"{key}-i{pos}", f"{where} · {pos}", b, hand_of[id(b)], f))
        items.extend(h for h, b in hand_pairs if b is None)
        merged["items"] = items
        return merged


def _pair_projects(new: list[Json], old: list[Json]) -> tuple[list[tuple[Json, Json | None]], list[Json]]:
    return pair_up(
        new,
        old,
        same=lambda n, o: n["no"] == o["no"] and n["name"] == o["name"],
        score=lambda n, o: 1.0 if n["name"] == o["name"] else (0.6 if n["no"] == o["no"] else 0.0),
        threshold=0.5,
    )


def merge_hand_edits(
    *, base: Json, hand: Json, file: Json, resolutions: dict[str, str] | None = None
) -> tuple[list[Json], list[MergeConflict]]:
    """The projects to import: the file's list with the office's hand edits kept, and the conflicts."""
    merger = _Merger(resolutions or {})
    base_p, hand_p, file_p = _content(base), _content(hand), _content(file)
    file_pairs, _removed = _pair_projects(file_p, base_p)
    hand_pairs, _gone = _pair_projects(hand_p, base_p)
    hand_of = {id(b): h for h, b in hand_pairs if b is not None}
    projects: list[Json] = []
    for pos, (f, b) in enumerate(file_pairs, start=1):
        if b is None:
            projects.append(f)
        elif id(b) in hand_of:
            projects.append(merger.project(f"p{pos}", b, hand_of[id(b)], f))
    projects.extend(h for h, b in hand_pairs if b is None)
    return projects, merger.conflicts
