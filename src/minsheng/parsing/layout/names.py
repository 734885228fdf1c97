"""Project names: markers (★ → starred), bracketed aliases, entry-name rule, category headings."""

from __future__ import annotations

import re

from minsheng.parsing.normalize import compact, fold

_STAR_MARKS = "★☆*＊▲△●◆"
_ALIAS = re.compile(r"^(?P<name>.+?)[（(](?P<alias>[^（）()]+)[）)]$")
# A trailing bracket that only qualifies the name (phase, section) is not an alias.
_NOT_ALIAS = re.compile(r"^([一二三四五六七八九十\d]+期|.*[段期号號])$")


def clean_name(raw: str, *, allow_alias: bool = True) -> tuple[str, str | None, bool]:
    """(name, alias, starred) from a name as written: white space removed, ★ markers removed."""
    name = compact(raw).rstrip("。；;")  # a name never ends a sentence
    starred = "★" in name or "☆" in name
    name = name.strip(_STAR_MARKS)
    alias = None
    if allow_alias:
        m = _ALIAS.match(name)
        if m and not _NOT_ALIAS.match(m.group("alias")):
            name, alias = m.group("name").rstrip(_STAR_MARKS), m.group("alias")
    return name, alias, starred


_TERMINAL = "。．.！!？?；;"


def split_title(entry: str) -> tuple[str | None, str]:
    """The entry-name rule for an entry without a separate title line.

    A short first sentence ending in 。 with no internal `,` `;` `:` and content after it is the title;
    otherwise there is no title. Returns (title or None, text)."""
    text = compact(entry)
    cut = text.find("。")
    if 0 < cut < len(text) - 1:
        first, rest = text[:cut], text[cut + 1 :]
        if len(first) <= 40 and not re.search(r"[,，;；:：]", first) and rest.strip(_TERMINAL):
            return first, rest
    return None, text


def entry_name(text: str) -> str:
    """The whole entry as a name: without the final 。 (or other end punctuation)."""
    return compact(text).rstrip(_TERMINAL + "，,")


_COUNT_NOTE = re.compile(
    r"[,，、]?\s*[（(]?\s*共?\s*[0-9一二两三四五六七八九十百]+\s*[项件个条類类]\s*(?:项目|实事)?\s*[）)]?\s*$"
)


def category_name(heading: str) -> str:
    """A category heading without its count (`教育类（3件）` → 教育类, `“…”类,共1项` → “…”类)."""
    t = compact(heading)
    m = _COUNT_NOTE.search(fold(t))
    if m and m.start() > 0:
        t = t[: m.start()]
    return t.rstrip("：:，,。")
