"""Project names: markers (★ → starred), bracketed aliases, entry-name rule, category headings."""

from __future__ import annotations

import re

from minsheng.parsing.normalize import compact, fold

_STAR_MARKS = "★☆*＊▲△●◆"
_ALIAS = re.compile(r"^(?P<name>.+?)[（(](?P<alias>[^（）()]+)[）)]$")
# A trailing bracket that only qualifies the name (phase, section) is not an alias.
_NOT_ALIAS = re.compile(
    r"^([一二三四五六七八九十\d]+期|.*[段期号號]|(?:项目|項目|共|含)?\s*[0-9一二两三四五六七八九十]+\s*[个個项項件][^（）()]*)$"
)


def clean_name(raw: str, *, allow_alias: bool = True) -> tuple[str, str | None, bool]:
    """(name, alias, starred) from a name as written: white space removed, ★ markers removed."""
    name = squash(raw).rstrip("。；;")  # a name never ends a sentence
    starred = "★" in name or "☆" in name
    name = name.strip(_STAR_MARKS)
    alias = None
    if allow_alias:
        m = _ALIAS.match(name)
        if m and not _NOT_ALIAS.match(m.group("alias")):
            name, alias = m.group("name").rstrip(_STAR_MARKS).strip(), m.group("alias").strip()
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
        bare = _BRACKETED.sub("", first)  # `,` inside brackets does not make a sentence
        if len(bare) <= 40 and not re.search(r"[,，;；:：]", bare) and rest.strip(_TERMINAL):
            return first, rest
    return None, text


_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
# A bracket after a name that counts its sub-projects (`(項目6個,其中基建工程類5個…)`, `（共3项）`): a
# note, not an alias.
_COUNT_BRACKET = re.compile(
    r"^(?P<name>.+?)[（(](?P<note>(?:项目|項目|共|含)?\s*[0-9一二两三四五六七八九十]+\s*[个個项項件类類][^（）()]*)[）)]$"
)


def split_count_note(name: str) -> tuple[str, str | None]:
    """(name, note) for a name ending in a sub-project count bracket; (name, None) otherwise."""
    m = _COUNT_BRACKET.match(name)
    if m:
        return m.group("name"), m.group("note")
    return name, None


def entry_name(text: str) -> str:
    """The whole entry as a name: without the final 。 (or other end punctuation)."""
    return squash(text).rstrip(_TERMINAL + "，,")


def squash(text: str) -> str:
    """Lines joined without white space between them; white space inside a line kept as written
    (`5万千瓦, 家庭屋顶光伏`), except next to brackets."""
    joined = "".join(line.strip() for line in text.splitlines())
    return re.sub(r"\s+(?=[（(])|(?<=[）)])\s+", "", joined).strip()


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
