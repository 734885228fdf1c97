"""Amounts of money as lists write them (`投资1200万元`, `1.2亿元`, `800`), in 万元.

The parser keeps a list's 投资 column as an `Item.extra` key whose name says the unit
(`total_investment_wanyuan`, `annual_investment_yiyuan`, `total_investment` for 元; see
`parsing.layout.columns.extra_key`); a number in the cell is read in that unit, a unit written in the cell wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from minsheng.funds.choices import FundSource

# 万元 per unit.
_UNITS = {
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
}
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?")
# The year's own money first (a 当年投资 column), then the total.
_KEYS = ("annual_investment", "total_investment")
_SOURCES = (
    (FundSource.SOCIAL, ("社会", "企业", "自筹", "民间")),
    (FundSource.HIGHER, ("上级", "中央", "省级", "省补", "市级", "市补", "专项")),
    (FundSource.LOCAL, ("本级", "区级", "区财政", "县级", "县财政", "财政")),
)


def parse_amount(value: Any, default_unit: str = "万元") -> Decimal | None:
    """The amount in 万元, or None when there is no number (`待定`, empty)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number, unit = Decimal(str(value)), default_unit
    else:
        text = str(value).replace(",", "").replace("，", "").replace(" ", "")
        match = _AMOUNT.search(text)
        if match is None:
            return None
        try:
            number = Decimal(match.group(1))
        except InvalidOperation:
            return None
        unit = match.group(2) or default_unit
    return (number * _UNITS[unit]).quantize(Decimal("0.0001"))


def source_of(text: Any) -> str:
    """The source a 资金来源 cell names, when it names exactly one; else 其他."""
    words = str(text or "")
    found = {source for source, marks in _SOURCES if any(mark in words for mark in marks)}
    return found.pop() if len(found) == 1 else FundSource.OTHER


def planned_from_extra(extra: Mapping[str, Any]) -> tuple[str, Decimal] | None:
    """(source, amount in 万元) from an item's extra columns, or None when the list has no amount."""
    for base in _KEYS:
        for suffix, unit in (("_wanyuan", "万元"), ("_yiyuan", "亿元"), ("", "元")):
            if base + suffix in extra:
                amount = parse_amount(extra[base + suffix], unit)
                if amount is not None and amount > 0:
                    return source_of(extra.get("funding_source")), amount
    return None
