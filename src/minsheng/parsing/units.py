"""Responsible units (责任单位 lead, 配合单位 partner): splitting a cell or line into unit names, and
spotting names that look misspelt.

Units are kept as written (`各镇（街道）`, `縣教育局`); only the separators are removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from minsheng.parsing.normalize import fold

_OPEN = "（(【[〔"
_CLOSE = "）)】]〕"
# Separators between units: line breaks, runs of white space, 、 ， , ； ; and the slash.
_SEPARATORS = set("\n\r\t 　、，,；;/／")
_STRIP = " 　\t\r\n。.,，、;；:：“”\"'"
_EMPTY = {"", "-", "—", "无", "無", "/", "／", "空"}


def split_units(text: str | None) -> list[str]:
    """Split a unit cell or line into unit names, in order.

    Separators inside brackets do not split (`各镇（街道、园区）` stays one unit); empty placeholders
    (`无`, `-`, `/`) give no unit.
    """
    if not text:
        return []
    units: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in _SEPARATORS and depth == 0:
            _flush(current, units)
            current = []
        else:
            current.append(ch)
    _flush(current, units)
    return units


def _flush(chars: list[str], units: list[str]) -> None:
    name = "".join(chars).strip(_STRIP)
    if name in _EMPTY:
        return
    units.append(name)


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _transposed(a: str, b: str) -> bool:
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


# Prefixes that legitimately tell two real units apart (区住建局 / 住建局 / 县住建局).
_LEVEL_PREFIXES = set("省市区县縣區镇鎮乡鄉街村")


def _looks_like_typo(rare: str, common: str) -> bool:
    """`rare` is a plausible misspelling of `common` (both already known to be different names)."""
    if fold(rare) == fold(common):  # traditional vs simplified writing of the same name
        return False
    if _transposed(rare, common):
        return True
    if not edit_distance_at_most_one(rare, common):
        return False
    if len(rare) != len(common):
        longer, shorter = (rare, common) if len(rare) > len(common) else (common, rare)
        # A level prefix (县住建局 / 住建局) names a different body; a doubled character is a typo.
        extra_at_start = longer[1:] == shorter
        if extra_at_start and longer[0] in _LEVEL_PREFIXES:
            return False
        return min(len(rare), len(common)) >= 3
    # One character replaced: short names (区民政局 / 区财政局) differ that way legitimately, so
    # only longer names count, and never when the difference is in the level prefix.
    if rare[0] != common[0] and (rare[0] in _LEVEL_PREFIXES or common[0] in _LEVEL_PREFIXES):
        return False
    return len(common) >= 6


def suspicious_units(unit_lists: Iterable[list[str]]) -> list[tuple[str, str]]:
    """Pairs (unit, likely intended unit) where a name used once is one slip away from a name used
    more often in the same list. Each rare name is compared with the frequent names of about its
    length only."""
    counts = Counter(u for units in unit_lists for u in units)
    by_len: dict[int, list[str]] = {}
    for name, n in counts.items():
        if n >= 2:
            by_len.setdefault(len(name), []).append(name)
    found: list[tuple[str, str]] = []
    for name, n in counts.items():
        if n != 1:
            continue
        for length in (len(name) - 1, len(name), len(name) + 1):
            for other in by_len.get(length, []):
                if _looks_like_typo(name, other):
                    found.append((name, other))
                    break
            else:
                continue
            break
    return found


_UNIT_ENDINGS = re.compile(
    r"(局|委|办|辦|院|厅|廳|部|处|處|所|站|中心|公司|集团|集團|镇|鎮|乡|鄉|街道|社区|社區|政府|"
    r"管委会|管委會|大队|大隊|队|隊|会|會|联|聯|室|馆|館|台|臺|行|组|組|署|社|团|團|科|段|校|总社|總社|区|區|县|縣|市|旗)$"
)


# Pinyin readings printed after characters (`區(qū)`), as some web pages carry them: not part of a name.
_PINYIN = re.compile(r"\([a-zA-Z\u00e0-\u01dc\u0300-\u036f]{1,7}\)")


def looks_like_unit(text: str) -> bool:
    """A short name ending like an office or body (区教育局, 县城投集团, 各镇（街道）)."""
    t = re.sub(r"[（(][^）)]*[）)]$", "", _PINYIN.sub("", text.strip()))
    return (2 <= len(t) <= 20 and bool(_UNIT_ENDINGS.search(t))) or t.startswith("各")
