"""Reading numbers as Decimal: Arabic, full-width, Chinese numerals and 万/亿/千 multipliers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.parsing.numerals import (
    NumeralError,
    normalise_width,
    parse_arabic,
    parse_chinese,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3500", "3500"),
        ("601.16", "601.16"),
        ("13,000", "13000"),
        ("1,234,567.5", "1234567.5"),
        ("１２３", "123"),
        ("４．４", "4.4"),
        ("0.5", "0.5"),
        ("007", "7"),
    ],
)
def test_arabic(text: str, value: str) -> None:
    assert parse_arabic(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("两", 2),
        ("兩", 2),
        ("三", 3),
        ("〇", 0),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("一百", 100),
        ("一百二十", 120),
        ("一百零五", 105),
        ("三千零五十", 3050),
        ("两千", 2000),
        ("一万", 10000),
        ("两万五千", 25000),
        ("十万", 100000),
        ("兩萬", 20000),
        ("三億", 300000000),
        ("一亿二千万", 120000000),
        ("二〇二四", 2024),
        ("九", 9),
    ],
)
def test_chinese(text: str, value: int) -> None:
    assert parse_chinese(text) == Decimal(value)


@pytest.mark.parametrize("text", ["十四五", "十十", "两两", "百", "", "五五", "三点"])
def test_chinese_runs_that_are_not_one_number_are_refused(text: str) -> None:
    with pytest.raises(NumeralError):
        parse_chinese(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.25万", "12500"),
        ("4.4万", "44000"),
        ("28.23亿", "2823000000"),
        ("5千", "5000"),
        ("10万", "100000"),
        ("600萬", "6000000"),
        ("2億", "200000000"),
        ("3千万", "30000000"),
        ("１．２万", "12000"),
        ("19.17万", "191700"),
        ("0.5亿", "50000000"),
        ("十二", "12"),
        ("一百二十", "120"),
    ],
)
def test_number_with_multiplier(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


def test_values_are_plain_decimals_without_exponent() -> None:
    assert str(parse_number("1.25万")) == "12500"
    assert str(parse_number("601.10")) == "601.1"


@pytest.mark.parametrize("text", ["万", "abc", "1.2.3", "", "12个"])
def test_parse_number_refuses_non_numbers(text: str) -> None:
    with pytest.raises(NumeralError):
        parse_number(text)


def test_normalise_width_keeps_length_and_maps_full_width_forms() -> None:
    text = "新增１２．５％，Ｋｍ／日"
    out = normalise_width(text)
    assert len(out) == len(text)
    assert out == "新增12.5%，Km/日"


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n: int) -> None:
    assert parse_number(str(n)) == Decimal(n)
    assert parse_number(f"{n:,}") == Decimal(n)


_CN_DIGITS = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """A reference writer for numbers below 10⁸ (the usual way: 一万零五, 十二 not 一十二)."""

    def below_10k(m: int) -> str:
        out = ""
        zero = False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // unit % 10
            if d:
                if zero and out:
                    out += "零"
                out += _CN_DIGITS[d] + name
                zero = False
            else:
                zero = True
        return out

    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = (below_10k(high) + "万" if high else "") + (
        ("零" if high and low < 1000 else "") + below_10k(low) if low else ""
    )
    if text.startswith("一十"):
        text = text[1:]
    return text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_round_trip(n: int) -> None:
    assert parse_chinese(_to_chinese(n)) == Decimal(n)
