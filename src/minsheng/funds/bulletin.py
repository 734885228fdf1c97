"""The funds paragraph of the progress bulletin (进展通报): money planned, in place and paid as of the
bulletin's day, and the items whose payments lag the schedule. Called once from `bulletins.document`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from minsheng.alerts.status import Status
from minsheng.funds.lights import FundStatus, fund_statuses

LABELS = {Status.LAGGING: "滞后", Status.SEVERE: "严重滞后"}


def _wan(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def bulletin_funds(doc: Any, data: Any) -> None:
    """Write the funds paragraph (and the table of items paying behind schedule) into the 公文 `doc`;
    nothing when no item of the plan has planned money."""
    ids = [item.pk for item in data.items]
    found: dict[int, FundStatus] = {
        k: v for k, v in fund_statuses(data.plan, data.on, ids).items() if v.measurable
    }
    if not found:
        return
    planned = sum((f.planned for f in found.values()), Decimal(0))
    in_place = sum((f.in_place for f in found.values()), Decimal(0))
    paid = sum((f.paid for f in found.values()), Decimal(0))
    due = sum((f.planned * Decimal(str(round(f.expected, 6))) for f in found.values()), Decimal(0))
    doc.body(
        f"资金方面，{len(found)}个项目计划投资{_wan(planned)}万元，已到位{_wan(in_place)}万元"
        f"（占{_pct(float(in_place / planned))}），已支付{_wan(paid)}万元（占{_pct(float(paid / planned))}，"
        f"序时应支付{_pct(float(due / planned))}）。"
    )
    behind = [
        (item, found[item.pk]) for item in data.items if item.pk in found and found[item.pk].status in LABELS
    ]
    if behind:
        doc.table(
            ["项目内容", "计划投资（万元）", "到位（万元）", "已支付（万元）", "支付/序时", "资金状态"],
            [
                [
                    item.text,
                    _wan(f.planned),
                    _wan(f.in_place),
                    _wan(f.paid),
                    f"{_pct(f.paid_share)}/{_pct(f.expected)}",
                    LABELS[f.status],
                ]
                for item, f in behind
            ],
            [5.0, 2.2, 2.0, 2.0, 2.4, 2.0],
            colours=[(5, f.colour) for _item, f in behind],
        )
