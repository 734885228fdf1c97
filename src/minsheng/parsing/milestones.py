"""Milestone (节点) extraction: a specifically named work and the state it must reach this year.

A milestone is a clause that names a work (a school, road, park, reservoir, project …) and says what
must happen to it: the state comes after the subject (`长荡湖水厂（二期）工程竣工投用`) or before it
(`开工建设学海路、丹桂路（二期）工程等5条道路`). The state is kept as written. Clauses led by 实施 or
开展, works named only by a count (`完成投用8座综合供能服务站`) and generic works (`改造沿河景观环境`)
are not milestones. docs/parsing.md explains the rules with examples.
"""

from __future__ import annotations

import re

from minsheng.parsing.model import Milestone
from minsheng.parsing.targets import extract_targets

__all__ = ["extract_milestones"]

# States written after the subject (the order does not matter: the regex tries longest first).
_POST_STATES = (
    "完成改造提升 完成整改 完成改造 启动建设 啟動建設 开工建设 開工建設 加快推进 加快推進 加快建设 加快建設 "
    "投入使用 投入运营 投入運營 建成投用 竣工投用 建成使用 建成开放 建成開放 全面完成 基本建成 全面建成 "
    "建成投运 建成投運 投入运行 投入運行 建成运营 建成運營 开工 開工 竣工 完工 建成 投用 投运 投運 启用 啟用 完成"
)
# States written before the subject (the verb leads the clause).
_PRE_STATES = (
    "动工建设 動工建設 启动建设 啟動建設 开工建设 開工建設 加快推进 加快推進 加快建设 加快建設 建成投用 竣工投用 改造提升 "
    "提升改造 整治提升 美化亮化 全力整治 全面整治 完成 建成 动建 動建 建设 建設 建立 设立 設立 筹建 籌建 "
    "打通 改造 整治 修复 修復 治理 竣工 启动 啟動 新建 续建 續建 迁建 遷建 改扩建 改擴建 扩建 擴建 加固"
)
# A trailing verb after 完成 that belongs to the state: 完成X整改 → state 完成整改.
_DONE_TAILS = ("改造提升", "提升改造", "整治提升", "提质改造", "提質改造", "整改", "改造", "验收", "驗收")


def _alternation(words: str) -> str:
    """A regex alternation of space-separated words, longest first."""
    return "|".join(sorted(words.split(), key=len, reverse=True))


_POST_RE = re.compile(f"(?:{_alternation(_POST_STATES)})$")
_PRE_RE = re.compile(_alternation(_PRE_STATES))
# Time and manner words between a subject and its state: 规划馆年内开工, 新馆9月底前投入使用.
_TRAILING_TIME_RE = re.compile(
    r"(?:(?:年内|年內|年底前|年底|上半年|下半年|全年|今年|年中|\d{1,2}月(?:底|份|中旬|下旬|上旬)?前?|"
    r"[一二三四五六七八九十]{1,2}月(?:底|份)?前?|将|將|正式|按期|如期|顺利|順利|力争|力爭|确保|確保))+$"
)
_CLAUSE_MARK_RE = re.compile(r"[（()），。；;,：:！？!?\n]")
_LEADING_NOISE_RE = re.compile(
    r"^(?:并|並|同时|同時|全年|年内|年內|力争|力爭|确保|確保|推动|推動|今年|年底前|年底)"
)
_EXCLUDED_LEAD_RE = re.compile(r"实施|實施|开展|開展|进行|進行")
# Named works end in a place or facility word with at least two characters before it.
_NAMED_RE = re.compile(
    r"[^\W\d_]{2,}(?:路|街|巷|大道|河|湖|江|溪|渠|山|村|镇|鎮|乡|鄉|桥|橋|园|園|学|學|学校|學校|学堂|學堂|医院|醫院|院|库|庫|水库|水庫|厂|廠|场|場|馆|館|站|点|點|中心|市场|市場|小区|小區|片区|片區|社区|社區|广场|廣場|隧道|工程|项目|項目|水系|楼|樓|段|路口|管网|管網|路网|路網|集|堤|塘|闸|閘|泵站)"
    r"|\d+[^\W\d_]*(?:路|街|道|点|點)"
)
_TIME_OR_PLACE_RE = re.compile(
    r"^(?:由|在|于|於|从|從|对|對)|\d+[年月]|[前后後底内內]$|[春夏秋冬]季|开学|開學|年底|年内|年內|半年"
)
_THEN_RE = re.compile(f"[并並](?:{_alternation(_POST_STATES)})$")
_ADVERB_RE = re.compile(r"^(?:全面|全力|加快|加速|基本|率先)$")
_TARGET_OF_RE = re.compile(r"^[对對]([^，。；;,]{2,30}?)(?:开展|開展)(.+)$")
_SETTING_RE = re.compile(r"^(?:全力|全面|加快|加速|基本|率先|力争|力爭)$|^(?:在|于|於|利用|依托|结合|結合)")
_GENERIC_START_RE = re.compile(
    r"^(?:全区|全區|全市|全县|全縣|各|所有|农村|農村|城乡|城鄉|部分|一批|沿线|沿線)"
)


def _split_clauses(text: str) -> list[tuple[int, str]]:
    """Clauses with their offsets; punctuation inside brackets does not split."""
    out: list[tuple[int, str]] = []
    depth = 0
    start = 0
    for m in _CLAUSE_MARK_RE.finditer(text):
        ch, i = m.group(), m.start()
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            if i > start:
                out.append((start, text[start:i]))
            start = i + 1
    if start < len(text):
        out.append((start, text[start:]))
    return out


def _is_named(subject: str) -> bool:
    """A specifically named work: a proper name or a list of them, not a bare count or generic noun."""
    if len(subject) < 3 or _GENERIC_START_RE.match(subject):
        return False
    if "以上" in subject:
        return False  # an open-ended set (等10个以上…) is not fully named
    if "的" in subject or _TIME_OR_PLACE_RE.search(subject):
        return False  # a description (联通城乡的紧密型医共体) or a time/agent phrase, not a name
    if "等" not in subject and extract_targets(subject).targets:
        return False  # counted generic works: 完成投用8座综合供能服务站
    return bool(_NAMED_RE.search(subject))


def _strip_subject(subject: str) -> str:
    subject = _TRAILING_TIME_RE.sub("", subject.strip())
    if subject.endswith("等"):
        subject = subject[:-1]
    return subject


def extract_milestones(text: str) -> list[Milestone]:
    """Every named work with its state, in text order."""
    found: list[Milestone] = []
    for _, clause in _split_clauses(text):
        body = _LEADING_NOISE_RE.sub("", clause)
        post = _POST_RE.search(body)
        if post and post.start() > 0:
            subject = _strip_subject(body[: post.start()])
            if not _EXCLUDED_LEAD_RE.search(subject) and not _PRE_RE.match(subject) and _is_named(subject):
                found.append(Milestone(quote=body[: post.end()], subject=subject, state=post.group()))
                continue
        target_of = _TARGET_OF_RE.match(body)
        if target_of and _is_named(target_of.group(1)):
            # 对816南北路开展人行道改造提升…: the work is the object of 对, the state what is done to it
            found.append(Milestone(quote=body, subject=target_of.group(1), state=target_of.group(2)))
            continue
        m = _PRE_RE.search(body)
        if m is None or _EXCLUDED_LEAD_RE.search(body[: m.start()]):
            continue
        if m.start() and not _SETTING_RE.match(body[: m.start()]):
            continue  # a state verb in mid-clause only after a setting: 在…内设立, 利用…场地筹建
        if (m.start() and body[m.start() - 1] in "、和及与與") or body[m.end() : m.end() + 1] in (
            "、",
            "和",
            "及",
        ):
            continue  # 新建、改造…: a list of verbs, not one state of one work
        verb_start = m.start()
        adverb = _ADVERB_RE.match(body[: m.start()])
        if adverb:
            verb_start = 0  # 全面完成, 全力整治: the adverb is part of the state as written
        state = body[verb_start : m.end()]
        rest = body[m.end() :]
        done_tail = False
        if m.group() == "完成":
            for tail in _DONE_TAILS:
                if rest.endswith(tail) and len(rest) > len(tail):
                    state, rest, done_tail = state + tail, rest[: -len(tail)], True
                    break
        then = _THEN_RE.search(rest) if not done_tail else None
        if then:  # 建成县殡仪馆并投入使用: one work, two steps
            state, rest, done_tail = state + rest[then.start() :], rest[: then.start()], True
        subject = _strip_subject(rest)
        if _is_named(subject):
            quote = (
                body[verb_start:]
                if done_tail
                else body[verb_start : body.index(subject, m.end()) + len(subject)]
            )
            found.append(Milestone(quote=quote, subject=subject, state=state))
    return found
