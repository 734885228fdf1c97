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
from collections.abc import Callable
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


Same = Callable[[Json, Json], bool]
Score = Callable[[Json, Json], float]


def merge_lists(
    base: list[Json],
    hand: list[Json],
    file: list[Json],
    *,
    same: Same,
    score: Score,
    threshold: float,
    both: Callable[[int, Json, Json, Json], Json],
) -> list[Json]:
    """Merge three versions of a list: entries new in the file come in, entries the office removed stay
    removed, entries the office added stay; an entry in all three is merged by `both(pos, base, hand, file)`."""
    file_pairs, _removed = pair_up(file, base, same=same, score=score, threshold=threshold)
    hand_pairs, _gone = pair_up(hand, base, same=same, score=score, threshold=threshold)
    hand_of = {id(b): h for h, b in hand_pairs if b is not None}
    out: list[Json] = []
    for pos, (f, b) in enumerate(file_pairs, start=1):
        if b is None:
            out.append(f)
        elif id(b) in hand_of:
            out.append(both(pos, b, hand_of[id(b)], f))
    out.extend(h for h, b in hand_pairs if b is None)
    return out


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

    def fields(
        self, key: str, where: str, names: tuple[str, ...], base: Json, hand: Json, file: Json
    ) -> Json:
        merged = copy.deepcopy(file)
        for name in names:
            merged[name] = self.value(
                f"{key}-{name}", where, name, base.get(name), hand.get(name), file.get(name)
            )
        return merged

    def children(
        self, key: str, where: str, base: list[Json], hand: list[Json], file: list[Json]
    ) -> list[Json]:
        """Merge an item's targets or milestones entry by entry."""
        kind = key.rsplit("-", 1)[-1]
        return merge_lists(
            base,
            hand,
            file,
            same=lambda n, o: n == o,
            score=lambda n, o: _ratio(n.get("quote", ""), o.get("quote", "")),
            threshold=0.6,
            both=lambda pos, b, h, f: self.value(f"{key}-{pos}", where, f"{kind} {pos}", b, h, f),
        )

    def item(self, key: str, where: str, base: Json, hand: Json, file: Json) -> Json:
        merged = self.fields(key, where, _ITEM_FIELDS, base, hand, file)
        for field in ("targets", "milestones"):
            merged[field] = self.children(
                f"{key}-{field}", where, base.get(field, []), hand.get(field, []), file.get(field, [])
            )
        return merged

    def project(self, key: str, base: Json, hand: Json, file: Json) -> Json:
        where = str(file.get("name", ""))
        merged = self.fields(key, where, _PROJECT_FIELDS, base, hand, file)
        merged["items"] = merge_lists(
            base["items"],
            hand["items"],
            file["items"],
            same=lambda n, o: n["text"] == o["text"],
            score=lambda n, o: _ratio(n["text"], o["text"]),
            threshold=0.5,
            both=lambda pos, b, h, f: self.item(f"{key}-i{pos}", f"{where} · {pos}", b, h, f),
        )
        return merged


def merge_hand_edits(
    *, base: Json, hand: Json, file: Json, resolutions: dict[str, str] | None = None
) -> tuple[list[Json], list[MergeConflict]]:
    """The projects to import: the file's list with the office's hand edits kept, and the conflicts."""
    merger = _Merger(resolutions or {})
    projects = merge_lists(
        _content(base),
        _content(hand),
        _content(file),
        same=lambda n, o: n["no"] == o["no"] and n["name"] == o["name"],
        score=lambda n, o: 1.0 if n["name"] == o["name"] else (0.6 if n["no"] == o["no"] else 0.0),
        threshold=0.5,
        both=lambda pos, b, h, f: merger.project(f"p{pos}", b, h, f),
    )
    return projects, merger.conflicts
