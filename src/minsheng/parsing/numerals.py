"""Numbers as written in Chinese government text, read as `Decimal`.

Handles Arabic numerals (decimals, thousands separators, full-width digits), Chinese numerals
(两, 十二, 一百二十, 二〇二四, traditional 兩 萬 億) and the multipliers 万/萬 (10⁴), 亿/億 (10⁸) and 千
(10³) that follow a number: `1.25万` → 12500, `28.23亿` → 2823000000, `5千` → 5000.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "ARABIC_PATTERN",
    "CHINESE_PATTERN",
    "FULL_WIDTH",
    "MULTIPLIER_PATTERN",
    "NumeralError",
    "half_width_table",
    "multiplier_value",
    "normalise_width",
    "parse_arabic",
    "parse_chinese",
    "parse_number",
]


class NumeralError(ValueError):
    """The text is not a number this module can read."""


# Every full-width form: ！ … ～ (U+FF01-FF5E) and the ideographic space.
FULL_WIDTH = "".join(chr(cp) for cp in range(0xFF01, 0xFF5F)) + "\u3000"


def half_width_table(chars: str) -> dict[int, int]:
    """A `str.translate` table taking each full-width character of `chars` to its ASCII form, one
    character to one character so that positions in the result are positions in the original."""
    return {ord(ch): 0x20 if ch == "\u3000" else ord(ch) - 0xFEE0 for ch in chars}


# Only the forms that change how a number or unit reads: digits, letters and `．％／～－`.
_WIDTH = half_width_table("".join(ch for ch in FULL_WIDTH if ch.isalnum() or ch in "．％／～－\u3000"))


_FULL_WIDTH_RE = re.compile("[" + "".join(chr(c) for c in _WIDTH) + "]")


def normalise_width(text: str) -> str:
    """Full-width digits, letters, `％ ． ／ ～ －` and the ideographic space as ASCII, same length."""
    if _FULL_WIDTH_RE.search(text) is None:
        return text
    return text.translate(_WIDTH)


# An Arabic number: thousands groups only when every group has three digits (`13,000`), so a
# clause comma after a number (`30,对`) is never read as a separator.
ARABIC_PATTERN = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"

_DIGITS = {
    ch: value
    for value, chars in enumerate(("〇零", "一", "二两兩", "三", "四", "五", "六", "七", "八", "九"))
    for ch in chars
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

# A Chinese numeral starts with a digit or 十 (never with 百/千/万, which start words: 千家万户, 百姓).
CHINESE_PATTERN = r"[〇零一二三四五六七八九两兩十][〇零一二三四五六七八九两兩十百千万萬亿億]*"

# Multipliers written after an Arabic number: 万, 亿, 千万, 万亿 …
MULTIPLIER_PATTERN = r"(?:[百千](?=[万萬亿億]))?(?:[万萬][亿億]|[亿億][万萬]?|[万萬])"

_MULT = {"百": 100, "千": 1000, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}


def _clean(value: Decimal) -> Decimal:
    """Drop trailing zeros of a whole number (12500.00 → 12500) without exponent notation."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def multiplier_value(text: str) -> Decimal:
    """`万` → 10000, `千万` → 10⁷, `` → 1."""
    out = Decimal(1)
    for ch in text:
        if ch not in _MULT:
            raise NumeralError(f"not a multiplier: {text!r}")
        out *= _MULT[ch]
    return out


def parse_arabic(text: str) -> Decimal:
    """`13,000` → 13000, `１２３` → 123, `601.16` → 601.16."""
    raw = normalise_width(text).replace(",", "").strip()
    if not re.fullmatch(r"\d+(?:\.\d+)?", raw):
        raise NumeralError(f"not an Arabic number: {text!r}")
    try:
        return _clean(Decimal(raw))
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
        raise NumeralError(f"not an Arabic number: {text!r}") from exc


def parse_chinese(text: str) -> Decimal:
    """`十二` → 12, `一百二十` → 120, `两万五千` → 25000, `二〇二四` → 2024, `三` → 3.

    Raises NumeralError for runs that are not one number, such as `十四五` (the five-year plan).
    """
    if not text:
        raise NumeralError("empty numeral")
    if all(ch in _DIGITS for ch in text):
        # digit by digit (二〇二四) only for three or more digits: 五五, 两两 are words
        if len(text) == 2 or (len(text) > 2 and not all(ch in "〇零一二三四五六七八九" for ch in text)):
            raise NumeralError(f"not a number: {text!r}")
        return Decimal("".join(str(_DIGITS[ch]) for ch in text))
    if text[0] not in _DIGITS and text[0] != "十":
        raise NumeralError(f"not a number: {text!r}")
    total = 0  # everything above the current 万/亿 section
    section = 0  # the current section below 万
    digit: int | None = None
    last_small = 10**5  # the last 十/百/千 seen in this section: they must fall
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                raise NumeralError(f"not a number: {text!r}")
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_small:
                raise NumeralError(f"not a number: {text!r}")
            last_small = unit
            section += (digit if digit else (1 if unit == 10 and digit is None else 0)) * unit
            if digit == 0:
                raise NumeralError(f"not a number: {text!r}")
            digit = None
        elif ch in _BIG_UNITS:
            big = _BIG_UNITS[ch]
            section += digit or 0
            digit = None
            if big == 10**8:
                total = (total + section) * big
            else:
                if section == 0 and total == 0:
                    raise NumeralError(f"not a number: {text!r}")
                total += section * big
            section = 0
            last_small = 10**5
        else:
            raise NumeralError(f"not a Chinese numeral: {text!r}")
    return Decimal(total + section + (digit or 0))


_NUMBER_RE = re.compile(
    rf"(?P<ar>{ARABIC_PATTERN})(?P<mult>{MULTIPLIER_PATTERN}|千)?|(?P<cn>{CHINESE_PATTERN})"
)


def parse_number(text: str) -> Decimal:
    """Any one number with its multiplier: `1.25万` → 12500, `28.23亿` → 2823000000, `5千` → 5000,
    `４.４万` → 44000, `一百二十` → 120, `兩萬` → 20000."""
    norm = normalise_width(text).strip()
    m = _NUMBER_RE.fullmatch(norm)
    if m is None:
        raise NumeralError(f"not a number: {text!r}")
    if m.group("cn"):
        return parse_chinese(m.group("cn"))
    value = parse_arabic(m.group("ar"))
    if m.group("mult"):
        value = _clean(value * multiplier_value(m.group("mult")))
    return value
