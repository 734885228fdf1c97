"""Plan metadata from the lines before the list: title, region (地区) and year.

- title: the last title-like line before the list (a short line without sentence punctuation that
  names a plan, list, notice or announcement); the table's own title wins over the notice title
  because it comes later. None when there is no such line.
- region: the place written before 人民政府 / 人民代表大会 / 县委 / 民生 … (`江山市人民政府` → 江山市,
  `2024年常州市金坛区民生实事` → 常州市金坛区), taken from the title first, then from the other lines.
- year: a four-digit year written with 年 (not 年底 / 年初 …), from the title first.
"""

from __future__ import annotations

import re

from minsheng.parsing.normalize import fold, marker_number
from minsheng.parsing.numerals import parse_chinese

_TITLE_WORDS = re.compile(r"(实事|项目|清单|计划|公告|通知|方案|任务|工程|安排|目录|一览表|计划表)")
_SENTENCE_PUNCT = re.compile(r"[。，,;；:：！？!?]")
_REGION_SUFFIX = "省市区县州旗盟镇乡"
# Characters that never occur inside a place name here: they end the search to the left.
# 于 is not among them (于都县); after 关 it is cut as a lead-in word.
_NOT_IN_NAME = set("年月日的关经在由对为据是共委政府会议届次第和与及了、 0123456789各该本全省市区县")
# Words written just before a place name in news text (folded: 從 → 从, 記者 → 记者): time words,
# reporting words and prepositions.
_LEAD_IN = re.compile(
    r"(?:日前|近日|目前|此前|下阶段|下一步|阶段|记者|获悉|前|从|自|向|于|据|到|经|将|对|在)+"
)
_ANCHOR = re.compile(
    r"((?:19|20)\d{2}年|人民政府|人民代表大会|人大|政府|委员会|[县市区]?委|民生|为民|第[一二三四五六七八九十百0-9]+届|[:：])"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?![底末初前内以月\d])")
# `2019年1-7月…完成情况`: a year with a span of months names the year reported on.
_YEAR_MONTHS = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月")


# A short lead before the title proper (`快看!`, `鹿城区山福镇:`) does not make the line a sentence.
_TITLE_LEAD = re.compile(r"^[^。，,;；:：!！?？]{1,8}[:：!！]")


def is_title_line(text: str) -> bool:
    t = fold(text).strip()
    lead = _TITLE_LEAD.match(t)
    t = t[lead.end() :] if lead else t
    if len(t) < 6 or len(t) > 60 or _SENTENCE_PUNCT.search(t):
        return False
    if re.match(r"^(附件|附表)\s*\d*$", t):
        return False
    return bool(_TITLE_WORDS.search(t))


_LIST_WORDS = re.compile(r"实事|清单|为民")
_NOTICE_HEADING = re.compile(r"关于.*(?:通知|公告|决定|意见|报告)$|(?:通知|公告)$")
_SENTENCE_START = re.compile(r"^(这|这些|现将|根据|经|按照|为了|今年共|其中)")


def find_title(lines: list[str]) -> str | None:
    """The list's title among the lines before it: the title-like line that best names a list of
    livelihood projects (its words, a year, a place), the later one on a tie. A title broken over two
    lines (`2022年区政府要完成的与人民生活` / `密切相关的实事`) is joined."""
    best: tuple[float, str] | None = None
    for index, line in enumerate(lines):
        if not is_title_line(line):
            continue
        title = line.strip()
        previous = lines[index - 1].strip() if index > 0 else ""
        if (
            previous
            and not is_title_line(previous)
            and not _SENTENCE_PUNCT.search(fold(previous))
            and len(previous) + len(title) <= 60
            and _YEAR.search(fold(previous))
            and not _YEAR.search(fold(title))
        ):
            title = previous + title
        folded = fold(title)
        score = (
            3.0 * bool(_LIST_WORDS.search(folded))
            + 2.0 * bool(_YEAR.search(folded))
            + 1.0 * bool(find_region(title))
            - 3.0 * bool(_SENTENCE_START.match(folded))
            - 4.0 * bool(_NOTICE_HEADING.search(folded))  # the notice's heading, not the list's title
            + 0.01 * index
        )
        if best is None or score >= best[0]:
            best = (score, title)
    return best[1] if best else None


def find_region(text: str) -> str | None:
    """The place name (a chain of 省/市/区/县 names) written just before an anchor word, or just after
    the year (`2024年南溪县重点民生实事`)."""
    folded = fold(text)
    for m in _ANCHOR.finditer(folded):
        if m.group().endswith("委") and len(m.group()) == 2:
            # `兰州市委`: the 市 belongs to the name when the name stands at a boundary
            whole = _region_before(folded, text, m.start() + 1)
            begin = m.start() + 1 - len(whole) if whole else 0
            if whole and (begin == 0 or not _is_han(folded[begin - 1]) or folded[begin - 1] in "共年"):
                return whole
        region = _region_before(folded, text, m.start())
        if region:
            return region
    for m in _YEAR_PREFIX.finditer(folded):
        region = _region_after(folded, text, m.end())
        if region:
            return region
    return None


_YEAR_PREFIX = re.compile(r"(?:19|20)\d{2}\s*年度?")


def _region_after(folded: str, original: str, start: int) -> str | None:
    """The longest chain of names (2-4 name characters and a suffix) starting at `start`."""
    pos = start
    while True:
        k = pos
        while k < len(folded) and k - pos < 4 and _name_char(folded[k]):
            k += 1
        # the shortest name that ends in a suffix
        end = next(
            (j for j in range(pos + 2, k + 1) if j < len(folded) and folded[j] in _REGION_SUFFIX), None
        )
        if end is None:
            break
        pos = end + 1
    return original[start:pos] if pos > start else None


def _region_before(folded: str, original: str, end: int) -> str | None:
    """The longest run ending at `end` made of names of 2-5 characters, each ending in a suffix."""
    start = end
    pos = end
    while pos > 0 and folded[pos - 1] in _REGION_SUFFIX:
        # one name: the suffix plus 1-4 name characters
        k = pos - 2
        while k >= 0 and pos - 1 - k <= 4 and _name_char(folded[k]):
            k -= 1
        name_start = k + 1
        if pos - 1 - name_start < 1:
            break
        cut = _lead_in_end(folded, name_start, pos - 1)
        if cut is not None:
            start = cut if cut < pos - 1 else start
            break
        start = name_start
        pos = name_start
    if start == end:
        return None
    return original[start:end]


def _lead_in_end(folded: str, start: int, suffix: int) -> int | None:
    """Where the name really starts when news words run into it (`记者日前从思明区` → 思明区).

    A name keeps two or more characters before its suffix (从化区, 于都县 stay whole). At a clear
    boundary (start of text, punctuation, another place name) only a lead-in of two or more
    characters is cut (`前从`); a single preposition is cut when more words stand to its left
    (`近日从广州市`)."""
    runs_on = start > 0 and _is_han(folded[start - 1]) and folded[start - 1] not in _REGION_SUFFIX
    if runs_on:
        ends = [m.end() for m in _LEAD_IN.finditer(folded, start, suffix) if suffix - m.end() >= 2]
        return ends[-1] if ends else None
    m = _LEAD_IN.match(folded, start, suffix)
    if m and m.end() - start >= 2:
        # a lead-in that leaves less than a name (`下阶段市政府`) means there is no place here
        return m.end() if suffix - m.end() >= 2 else suffix
    return None


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _name_char(ch: str) -> bool:
    return _is_han(ch) and ch not in _NOT_IN_NAME


_CN_YEAR = re.compile(r"([〇零一二][〇零一二三四五六七八九]{3})\s*年(?![底末初前内以月])")


def find_year(text: str) -> int | None:
    """The plan year: `2024年`, `2024年度` or `二〇二四年`; not `2021年底` and the like."""
    folded = fold(text)
    m = _YEAR.search(folded) or _YEAR_MONTHS.search(folded)
    if m:
        return int(m.group(1))
    c = _CN_YEAR.search(folded)
    if c:
        year = int(parse_chinese(c.group(1)))
        return year if 1900 <= year <= 2100 else None
    return None


_COUNT = re.compile(r"([0-9]+|[一二两三四五六七八九十百]+)\s*[个件项大]\s*(?:民生)?(?:实事|项目|为民)")


def announced_count(text: str) -> int | None:
    """The number of projects an introduction announces (`以下10个项目`, `為民興辦10件實事`)."""
    found = None
    for m in _COUNT.finditer(fold(text)):
        found = marker_number(m.group(1))
    return found
