"""Role × URL rows for public ratings (collected by tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from minsheng.participation.feedback.services import rating_submit
from minsheng.participation.feedback.verification import address_identity
from test_permission_matrix import Case, expect, same


def extend(scenario: Any) -> None:
    if not hasattr(scenario, "public_rating"):
        scenario.public_rating = rating_submit(
            acting_user=None,
            item=scenario.world.item,
            identity=address_identity("10.20.30.40"),
            score=3,
            comment="路灯不亮",
        )


def _rating(s: Any) -> dict[str, Any]:
    return {"pk": s.public_rating.pk}


OFFICE_ONLY_POST = expect(302, 302, 403, 403, 403, 403, 403)

MATRIX: list[Case] = [
    Case("feedback:rate", "GET", same(200, 200), kwargs=lambda s: {"pk": s.world.item.pk}),
    # Anyone rates (no verifier configured); each role's request is rolled back before the next.
    Case(
        "feedback:rate",
        "POST",
        same(200, 200),
        kwargs=lambda s: {"pk": s.world.item.pk},
        body=lambda s, user: {"action": "rate", "score": "4"},
    ),
    Case("feedback:moderation", "GET", expect(302, 200, 403, 403, 403, 403, 403)),
    Case("feedback:anonymise_phone", "POST", OFFICE_ONLY_POST, body=lambda s, u: {"phone": "13800001234"}),
    Case(
        "feedback:moderate",
        "POST",
        OFFICE_ONLY_POST,
        kwargs=_rating,
        body=lambda s, u: {"decision": "approve"},
    ),
]
