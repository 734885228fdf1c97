"""Target (目标指标) extraction: every quantity an item commits to, as value, unit and qualifier.

The rules are those of shared/spec/plan-json.md ("What a target is") and the corpus labelling
conventions; docs/parsing.md explains each with examples. In short: a number with a measure
word is a target unless the measure word or the context marks it as a date, age, phase, grade,
storey, ordinal, name, category descriptor or introduction count; a number without a measure word
takes the unit of the list it belongs to (`17000、1300吨`) or `个` after `等` (`彭公桥等3市集`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from minsheng.parsing.model import Target
from minsheng.parsing.numerals import (
    ARABIC_PATTERN,
    CHINESE_PATTERN,
    MULTIPLIER_PATTERN,
    NumeralError,
    multiplier_value,
    normalise_width,
    parse_chinese,
)

__all__ = ["Extraction", "extract_targets"]


@dataclass
class Extraction:
    """What `extract_targets` found: the targets, and quotes of numbers it could not classify."""

    targets: list[Target] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return text.split()


# --- measure words --------------------------------------------------------------------------------
# Target units; longer units are tried first (`人次` before `人`, `平方米` before `米`).
_TARGET_UNITS = _words(
    "个百分点 個百分點 百分点 百分點 人(次) 人（次） 人次 人口 户次 戶次 车次 車次 架次 "
    "班次 批次 台次 臺次 辆次 輛次 场次 場次 课时 課時 学时 學時 小时 小時 分钟 分鐘 "
    "台套 臺套 台(套) 臺(套) 台（套） 臺（套） 平方公里 平方千米 平方米 平米 立方米 立方 公顷 公頃 公里 千米 延米 微克 毫克 毫米 "
    "厘米 千瓦时 千瓦時 千瓦 兆瓦 千伏安 千伏 公斤 千克 吨 噸 km KM kW kV "
    "KV kw MW kg m² m2 m³ ㎡ 斤 个 個 套 人 亩 畝 册 冊 辆 輛 幢 "
    "栋 棟 盏 盞 棵 株 头 頭 艘 趟 倍 篇 宗 % ‰ 隻 釐米 "
)
# Single-character units that are not units when the lookahead follows: 3方面, 所有, 部门, 一次性.
_GUARDED_UNITS = {
    "米": "[粮糧]",
    "所": "[有属屬在谓謂]",
    "家": "[庭属屬长長]",  # not 乡: 4家乡镇卫生院 counts 家
    "名": "[称稱单單额額录錄]",
    "户": "[籍型口外]",
    "戶": "[籍型口外]",
    "元": "[旦素化]",
    "方": "[面案式法向针針位舱艙便]",
    "条": "[例件款]",
    "條": "[例件款]",
    "座": "[谈談]",
    "处": "[理置]",
    "處": "[理置]",
    "场": "所",
    "場": "所",
    "本": "[地科级級]",
    "台": "[账賬阶階]",
    "臺": "[账賬阶階]",
    "部": "[门門分署]",
    "间": "[隔]",
    "間": "[隔]",
    "张": "[家]",
    "張": "[家]",
    "床": "[位]",
    "例": "[如]",
    "项": "[目]",
    "項": "[目]",
    "批": "[准復复]",
    "次": "[性]",
    "件": "[事]",
    "块": "[钱錢]",
    "塊": "[钱錢]",
    "片": "[区區]",
    "口": "[径徑岸罩号號]",
    "眼": "[科]",
    "根": "[据據本]",
    "只": "[有要是]",
    "支": "[持付出撑撐]",
    "架": "[构構]",
    "班": "[级級子车車组組]",
    "节": "[点點日能约約]",
    "節": "[点點日能约約]",
    "份": "[额額]",
    "位": "[置于於]",
    "组": "[织織建成]",
    "組": "[织織建成]",
    "对": "[象接外于於]",
    "對": "[象接外于於]",
    "队": "[伍员員]",
    "隊": "[伍員]",
    "期": "[间間限]",
    "分": "[钟鐘别別类類布配享之]",
    "笔": "[记記]",
    "筆": "[记記]",
}
# Units that mark a number as not a target: dates, durations, ages, grades, phases, storeys,
# building numbers, categories.
_NON_UNITS = _words(
    "个工作日 個工作日 工作日 个月 個月 年级 年級 周岁 週歲 周歲 年度 月份 星级 星級 "
    "年 月 日 天 周 週 岁 歲 号 號 届 屆 级 級 层 層 楼 樓 种 種 类 類 时 時 "
    "个季度 個季度 季度 学年 學年 # "
)
# Characters that may follow a Chinese numeral that is a quantity: a unit, a multiplier, a range
# separator, 余/多 or a space.
_AFTER_NUMBER_FIRST = frozenset(
    "".join(_TARGET_UNITS) + "".join(_GUARDED_UNITS) + "".join(_NON_UNITS) + "余餘多-—–~至到千 \t"
)
# Units a Chinese numeral may not take: too often part of a word (十分, 三位一体, 一片, 一方面).
_CN_EXCLUDED_UNITS = frozenset("分方位口只对對片本节節点點次")


def _unit_table() -> dict[str, list[tuple[str, re.Pattern[str] | None, str]]]:
    """Units by first character, longest first: (unit, lookahead that cancels it, kind)."""
    entries: list[tuple[str, str, str]] = [(u, "", "t") for u in _TARGET_UNITS]
    entries += [(u, ahead, "t") for u, ahead in _GUARDED_UNITS.items()]
    entries += [(u, "", "n") for u in _NON_UNITS]
    table: dict[str, list[tuple[str, re.Pattern[str] | None, str]]] = {}
    for text, ahead, kind in sorted(entries, key=lambda e: -len(e[0])):
        table.setdefault(text[0], []).append((text, re.compile(ahead) if ahead else None, kind))
    return table


_UNITS_BY_FIRST = _unit_table()
_DENOMINATOR = r"/(?:[千万萬百])?(?:平方米|立方米|公里|小时|小時|人次|人|日|天|月|年|户|戶|次|床|辆|輛|台|臺|周|亩|畝|吨|噸|个|個|件|例|名|班|间|間|套|所|校|村|家|批次|批)"
_DENOM_RE = re.compile(f"(?:{_DENOMINATOR})+(?:[·・]{_DENOMINATOR[1:]})*")

# The lookahead lets the regex engine skip quickly to characters that can start a number.
_NUMBER_RE = re.compile(
    rf"(?=[0-9〇零一二三四五六七八九两兩十])(?:(?P<ar>{ARABIC_PATTERN})|(?P<cn>{CHINESE_PATTERN}))"
)
_MULT_RE = re.compile(MULTIPLIER_PATTERN)
_RANGE_SEP_RE = re.compile(r"\s*(?:-{1,2}|—{1,2}|–|~|至|到)\s*")
_SPACE_RE = re.compile(r"[ \t]*")
_APPROX_RE = re.compile(r"[余餘]|多(?![种種样樣元])")  # 多元 is "diverse"
_SUFFIX_RE = re.compile(r"(?:及)?(以上|以下|以内|以內|左右|上下)")

_PREFIX_OPS = {
    ">=": _words(
        "≥ ＞ > 不少于 不少於 不低于 不低於 不小于 不小於 至少 最少 超过 超過 超 逾 多于 多於 高于 高於 大于 大於"
    ),
    "<=": _words(
        "≤ ＜ < 不超过 不超過 不高于 不高於 不大于 不大於 不多于 不多於 不足 最多 低于 低於 少于 少於 小于 小於 控制在"
    ),
    "~": _words("大约 大約 约占 約佔 约有 約有 约为 約為 约 約 将近 將近 接近 近"),
}
_PREFIX_RE = re.compile(
    "(?:" + "|".join(sorted((w for ws in _PREFIX_OPS.values() for w in ws), key=len, reverse=True)) + ")$"
)
# 至少建设5个: a lower bound a few characters before the number
_GAP_PREFIX_RE = re.compile(
    r"(至少|最少|不少于|不少於|不低于|不低於|不超过|不超過|不高于|不高於|约占|約佔)[^\W\d_]{1,8}$"
)
_NOT_NEAR = frozenset("附最靠临臨邻鄰")
_PREFIX_OP = {w: op for op, ws in _PREFIX_OPS.items() for w in ws}
_SUFFIX_OP = {"以上": ">=", "以下": "<=", "以内": "<=", "以內": "<=", "左右": "~", "上下": "~"}

# Dates and clock times: 2023.01-2023.12, 2024-03-01, 2024/3, 8:30.
_DATE_RE = re.compile(
    r"(?=[0-9])(?:(?:19|20)\d{2}\s*[./-]\s*\d{1,2}(?:\s*[./-]\s*\d{1,2})?(?!\d)"
    r"(?:\s*(?:-|—|–|~|至|到)\s*(?:(?:19|20)\d{2}\s*[./-]\s*)?\d{1,2}(?:\s*[./-]\s*\d{1,2})?(?!\d))?"
    r"|\d{1,2}:\d{2}(?!\d))"
)
# Roads and numbered names after a number: 104国道, 816南路, 1号线, 5G.
_NAME_AFTER_RE = re.compile(
    r"(?:国道|國道|省道|县道|縣道|乡道|鄉道|[东南西北中東]{0,2}[路街巷]|大道|线|線|[A-Za-z])"
)
_QUANTITY_NEXT = frozenset("万萬亿億千余餘多")
_MONTH_RE = re.compile(r"(?<=[./-])\s*(\d{1,2})(?!\d)")
_HOTLINE_AFTER_RE = re.compile(
    r"[^，。；;,、]{0,6}?(?:热线|熱線|急救|报警|報警|求助|专线|專線|服务平台|服務平台)"
)
_HOTLINE_BEFORE_RE = re.compile(r"(?:拨打|撥打|热线|熱線|电话|電話)$")
# Fixed phrases a measure word is part of: 15分钟生活圈, 三公里充分就业社区.
_FIXED_AFTER_RE = re.compile(
    r"[^，。；;,、：:\s\d]{0,5}?(?:圈|充分就业|充分就業)|覆盖率|覆蓋率|服务半径|服務半徑|半径|半徑|范围|範圍"
)
# 一 used as "a" or inside an idiom: 一个, 一批, 一次性, 一站式, 一件事, 一张网, 一体化.
_YI_IDIOM_RE = re.compile(
    r"(?:个|個|座|批|次性|次办|次辦|站式|门式|門式|条龙|條龍|张网|張網|张图|張圖|张蓝图|張藍圖|件事|本通|卡通|码通|碼通|网通|網通|体化|體化|揽子|攬子)"
)
# 一X一Y: 一场所一方案, 一村一品, 一户一档 (a category descriptor, not a count).
_PAIRED_RE = re.compile(r"[^\W\d_]{1,3}?[一每]")
# Words a Chinese numeral is part of: 统一, 唯一, 之一, 进一步, 第一.
_CN_WORD_BEFORE = frozenset("统統单單唯之同逐每某任其第万萬初")
_INTRO_AFTER_RE = re.compile(
    r"(?:民生)?(?:(?:实事|實事)(?:项目|項目)?|项目|項目)(?=[：:，,。；;”」\"]|如下|分别|分別|包括|是|为|為|$)"
)
_BASELINE_AFTER_RE = re.compile(
    r"(?:的)?(?:基础上|基礎上)|提高|提升|增加|增长|增長|上调|上調|调整|調整|提至|增至|调至|調至|到|至"
)
_OPEN_QUOTES = frozenset('“"「‘')
_CLOSE_QUOTES = frozenset('”"」’')
_OPEN_BRACKETS = frozenset("(（")
_CLOSE_BRACKETS = frozenset(")）")
_ALT_UNIT_RE = re.compile(r"[（(]([^（()）]{1,3})[)）]")
_TIME_UNITS = frozenset(("分钟", "分鐘", "小时", "小時"))
_CLASS_UNITS = frozenset(("千伏", "kV", "KV", "kv"))
_MARKER_AFTER = frozenset("、.．)）")
_NUMBER_SIGNS = frozenset("#№")
# 在437元/月的基础上, 由每人每年610元提高到…: the word that opens a baseline, close before it
_BASELINE_LEAD_RE = re.compile(r"[在由从從][^，。；;,、：:\d]{0,6}$")
_STOP = frozenset("，。；;,、：:！？!?\n\r\t 　")
_CJK_OR_WORD = re.compile(r"[^\W\d_]")
_COVERAGE_RE = re.compile(r"全覆[盖蓋]")
_PERCENT_WORDS_RE = re.compile(
    r"百分之(百|[〇零一二三四五六七八九十][〇零一二三四五六七八九十百]*)(?:[点點]([〇零一二三四五六七八九]+))?"
)

_LEAD_WORD_RE = re.compile(
    r"其中|新增|新建|建设|建設|改造|完成|开展|開展|实施|實施|提供|发放|發放|惠及|为|為|对|對"
)
_CONTEXT = 10  # characters of context a quote keeps before the qualifier and number


@dataclass
class _Token:
    start: int  # first character of the number
    qstart: int  # first character of the prefix qualifier (or the number)
    end: int  # after the unit and suffix qualifier
    value: Decimal
    unit: str | None
    kind: str  # "target", "non" (known non-target), "bare" (no unit yet), "baseline"
    chinese: bool = False
    op: str = "="
    range_max: Decimal | None = None
    baseline: Decimal | None = None


def _read_number(norm: str, m: re.Match[str]) -> tuple[Decimal, int, bool] | None:
    """Value, end and script of a number match (with its 万/亿 multiplier), or None when unreadable."""
    if m.group("ar"):
        value = Decimal(m.group("ar").replace(",", ""))
        end = m.end()
        mm = _MULT_RE.match(norm, end)
        if mm:
            value = value * multiplier_value(mm.group())
            end = mm.end()
        return value, end, False
    try:
        return parse_chinese(m.group("cn")), m.end(), True
    except NumeralError:
        return None


def _clean(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _match_unit(norm: str, pos: int, chinese: bool) -> tuple[str, str, int] | None:
    """(kind, unit, end) of the measure word at `pos`: kind "t" target unit or "n" non-target unit."""
    for unit, guard, kind in _UNITS_BY_FIRST.get(norm[pos : pos + 1], ()):
        if norm.startswith(unit, pos):
            end = pos + len(unit)
            if guard is not None and guard.match(norm, end):
                continue
            if chinese and unit in _CN_EXCLUDED_UNITS:
                return None
            return kind, unit, end
    return None


def _is_date(norm: str, m: re.Match[str]) -> bool:
    """A date or time match that is not part of a longer number and not a quantity (2023.12平方米)."""
    if m.start() and norm[m.start() - 1].isdigit():
        return False
    if any(int(month) > 12 for month in _MONTH_RE.findall(m.group())):
        return False
    after = _SPACE_RE.match(norm, m.end()).end()  # type: ignore[union-attr]
    if norm[after : after + 1] in _QUANTITY_NEXT:
        return False  # 2076.01万个, 2023.5余吨
    hit = _match_unit(norm, after, chinese=False)
    return hit is None or hit[0] == "n"


def _scan(norm: str) -> list[_Token]:
    """Every number in the text with what follows it: unit, qualifiers, range, classification."""
    tokens: list[_Token] = []
    blocked = [m.span() for m in _DATE_RE.finditer(norm) if _is_date(norm, m)]
    b_index = 0
    pos = 0
    n = len(norm)
    while pos < n:
        m = _NUMBER_RE.search(norm, pos)
        if m is None:
            break
        s = m.start()
        while b_index < len(blocked) and blocked[b_index][1] <= s:
            b_index += 1
        if b_index < len(blocked) and blocked[b_index][0] <= s:
            pos = blocked[b_index][1]
            continue
        read = _read_number(norm, m)
        if read is None:
            pos = m.end()
            continue
        value, end, chinese = read
        pos = max(end, m.end())
        prev = norm[s - 1] if s else ""
        if chinese and (prev in _CN_WORD_BEFORE or norm[end : end + 1] not in _AFTER_NUMBER_FIRST):
            continue  # 统一, 一体化: a Chinese numeral inside a word (no warning for those)
        if not chinese and ((prev.isascii() and prev.isalpha()) or prev in _NUMBER_SIGNS):
            continue  # G104, No.3
        # A range: 4-8个, 4至8个, 0—6 岁, 1万-2万人.
        range_max: Decimal | None = None
        rm = _RANGE_SEP_RE.match(norm, end)
        if rm:
            m2 = _NUMBER_RE.match(norm, rm.end())
            if m2 and bool(m2.group("cn")) == chinese:
                read2 = _read_number(norm, m2)
                if read2 is not None and read2[0] > value:
                    range_max, end = read2[0], read2[1]
                    if m.group("ar") and not _MULT_RE.match(norm, m.end()) and _MULT_RE.match(norm, m2.end()):
                        value = value * multiplier_value(_MULT_RE.match(norm, m2.end()).group())  # type: ignore[union-attr]
        op = "="
        am = _APPROX_RE.match(norm, end)
        if am:
            op, end = ">=", am.end()
            mm = _MULT_RE.match(norm, end) if not chinese and range_max is None else None
            if mm:  # 10余万人: the multiplier after 余
                value, end = value * multiplier_value(mm.group()), mm.end()
        p = _SPACE_RE.match(norm, end).end()  # type: ignore[union-attr]
        unit_hit = _match_unit(norm, p, chinese)
        if unit_hit is None and norm.startswith("千", p) and not chinese:
            thousand = _match_unit(norm, p + 1, chinese)
            if thousand and thousand[0] == "t":
                value, unit_hit = value * 1000, thousand
        if unit_hit is None and op == "=":
            am = _APPROX_RE.match(norm, p)
            if am and (hit := _match_unit(norm, am.end(), chinese)):
                op, unit_hit = ">=", hit
        pos = max(pos, end)
        if unit_hit is None:
            slash = _DENOM_RE.match(norm, p)
            if slash and not chinese:
                tokens.append(_Token(s, s, slash.end(), _clean(value), slash.group(), "target", op=op))
                pos = slash.end()
                continue
            kind = _classify_bare(norm, s, p, chinese)
            if kind == "bare" or kind == "non":
                tokens.append(
                    _Token(s, s, p, _clean(value), None, kind, chinese=chinese, op=op, range_max=range_max)
                )
            continue
        ukind, unit, uend = unit_hit
        pos = uend
        if ukind == "t":
            dm = _DENOM_RE.match(norm, uend)
            if dm:
                unit, uend = unit + dm.group(), dm.end()
            bm = _ALT_UNIT_RE.match(norm, uend)
            if (
                bm
                and (alt := _match_unit(norm, bm.start(1), chinese))
                and alt[0] == "t"
                and alt[2] == bm.end(1)
            ):
                unit, uend = unit + bm.group(), bm.end()  # 10家（个）: an alternative unit in brackets
        if ukind == "t" and range_max is None:
            upper = _upper_bound_after_unit(norm, uend, value, unit, chinese)
            if upper:
                range_max, uend = upper
        sm = _SUFFIX_RE.match(norm, uend)
        if sm:
            op = _SUFFIX_OP[sm.group(1)]
            qend = sm.end()
        elif unit in _TIME_UNITS and norm.startswith(("内", "內"), uend):
            op, qend = "<=", uend + 1  # 10分钟内到达
        else:
            qend = uend
        pos = max(pos, qend)
        qstart, prefix_op = _prefix_qualifier(norm, s)
        if op == "=":
            op = prefix_op
        if range_max is not None:
            op = ">="
        kind = "target" if ukind == "t" else "non"
        if kind == "target" and _is_non_target(norm, s, p, uend, qend, unit, chinese, value):
            kind = "non"
        tokens.append(
            _Token(
                s,
                qstart,
                qend,
                _clean(value),
                unit,
                kind,
                chinese=chinese,
                op=op,
                range_max=_clean(range_max) if range_max is not None else None,
            )
        )
    return tokens


def _upper_bound_after_unit(
    norm: str, uend: int, value: Decimal, unit: str, chinese: bool
) -> tuple[Decimal, int] | None:
    """A range written with the unit on both ends (85%-90%, 3万-5万元): (upper bound, its end)."""
    rm = _RANGE_SEP_RE.match(norm, uend)
    m2 = _NUMBER_RE.match(norm, rm.end()) if rm else None
    if m2 is None or bool(m2.group("cn")) != chinese:
        return None
    read2 = _read_number(norm, m2)
    if read2 is None or read2[0] <= value:
        return None
    hit2 = _match_unit(norm, _SPACE_RE.match(norm, read2[1]).end(), chinese)  # type: ignore[union-attr]
    if hit2 is None or hit2[1] != unit:
        return None
    return read2[0], hit2[2]


def _prefix_qualifier(norm: str, s: int) -> tuple[int, str]:
    """Where the qualifier before the number at `s` starts, and its op ("=" when there is none)."""
    pm = _PREFIX_RE.search(norm, max(0, s - 4), s) or _GAP_PREFIX_RE.search(norm, max(0, s - 11), s)
    if pm is None or (pm.group() == "近" and pm.start() and norm[pm.start() - 1] in _NOT_NEAR):
        return s, "="  # 附近3个小区 is not "nearly"
    return pm.start(), _PREFIX_OP[pm.group(1) if pm.re is _GAP_PREFIX_RE else pm.group()]


def _classify_bare(norm: str, s: int, p: int, chinese: bool) -> str:
    """A number with no measure word: "non" for names (104国道, 12345热线, 5G), else "bare"."""
    if chinese:
        return "bare"
    if _NAME_AFTER_RE.match(norm, p):
        return "non"
    if _HOTLINE_AFTER_RE.match(norm, p) or _HOTLINE_BEFORE_RE.search(norm, max(0, s - 2), s):
        return "non"
    prev = norm[s - 1] if s else ""
    after = norm[p] if p < len(norm) else ""
    if after in _CLOSE_QUOTES and prev in _OPEN_QUOTES:
        return "non"
    if prev == "+" or after in ("+", "版") or norm.startswith(".0", p):
        return "non"  # a model or version name: 1+N, 2.0版
    if prev in _OPEN_BRACKETS and after in _CLOSE_BRACKETS:
        return "non"  # a list marker: (1), （2）
    if (not prev or prev in _STOP or prev in _CLOSE_BRACKETS) and after in _MARKER_AFTER:
        return "non"  # a list marker: 1. 2、
    return "bare"


def _is_non_target(
    norm: str, s: int, p: int, uend: int, qend: int, unit: str, chinese: bool, value: Decimal
) -> bool:
    """Context that makes a number with a target unit a non-target."""
    prev = norm[s - 1] if s else ""
    after = norm[qend] if qend < len(norm) else ""
    if prev == "第":
        return True  # ordinals: 第三次, 第十八届
    if chinese and prev in _OPEN_QUOTES:
        return True  # a quoted slogan: “两个确保”, “四好农村路”
    if unit in _CLASS_UNITS and _CJK_OR_WORD.match(norm, qend):
        return True  # a voltage class describing what follows: 110千伏变电站
    if chinese and unit in ("项", "項") and _CJK_OR_WORD.match(norm, qend):
        return True  # a named set: 残疾人两项补贴, 三项制度
    if norm.startswith(("级", "級"), qend):
        return True  # a size class: 5000吨级码头
    if prev in _OPEN_QUOTES and after in _CLOSE_QUOTES:
        return True  # a quoted name: 计生“两户”
    if unit in ("期",) and (
        chinese
        or prev in _OPEN_BRACKETS
        or after in _CLOSE_BRACKETS
        or norm.startswith(("工程", "项目", "項目", "安置", "改造", "建设", "建設", "小区", "小區"), uend)
    ):
        return True  # phases: 二期, (2期)
    if _FIXED_AFTER_RE.match(norm, uend):
        return True  # 15分钟生活圈, 三公里充分就业社区
    if unit in ("小时", "小時") and value == 24 and _CJK_OR_WORD.match(norm, uend):
        return True  # 24小时自助图书馆
    if chinese and norm[s] == "一" and (_YI_IDIOM_RE.match(norm, p) or _PAIRED_RE.match(norm, p)):
        return True  # 一个 "a", 一次性; 一场所一方案, 一户一档
    if norm.startswith("规模", uend) or norm.startswith("規模", uend):
        return True  # 五百人口规模以上村: a size class
    if unit in ("个", "個", "件", "项", "項") and prev != "等" and _INTRO_AFTER_RE.match(norm, uend):
        return True  # 10个项目, 十件实事 (introduction counts); `A、B等4个项目` counts works
    # ,共3项 closing a heading is an introduction count
    return unit in ("项", "項") and prev == "共" and (qend >= len(norm) or norm[qend] in _STOP)


def _context_start(norm: str, qstart: int, floor: int = 0) -> int:
    """Move a quote's start back over up to _CONTEXT characters of the phrase before it, never
    starting inside brackets and, when the phrase is longer, at a word that opens a phrase."""
    i = qstart
    limit = max(floor, qstart - _CONTEXT)
    while i > limit and norm[i - 1] not in _STOP and not norm[i - 1].isdigit():
        i -= 1
    window = norm[i:qstart]
    close = max(window.rfind("）"), window.rfind(")"))
    if close >= 0 and max(window.rfind("（"), window.rfind("(")) < 0:
        return i + close + 1  # 社区（村）居家…: start after the bracket rather than inside it
    if i == limit and i > 0 and norm[i - 1] not in _STOP:
        # cut mid-phrase: start at a word that opens a phrase, looking up to 3 characters further back
        wider = max(floor, i - 3)
        while wider < i and (norm[wider] in _STOP or norm[wider].isdigit()):
            wider += 1
        lead = _LEAD_WORD_RE.search(norm, wider, qstart)
        if lead:
            return lead.start()
    return i


def _context_end(norm: str, end: int) -> int:
    """Extend an unclassified number's quote over up to four characters of what follows it."""
    i = end
    limit = min(len(norm), end + 4)
    while i < limit and norm[i] not in _STOP:
        i += 1
    return i


# A measure word written before the number (`服务人次达200万以上`): the noun is the unit.
_UNIT_BEFORE_RE = re.compile(
    r"(人次|户次|人数|户数|人|户|戶|名|家|所|个|個|台|辆|輛|套|座|条|條|处|處|场|場|次)"
    r"(?:数|量)?(?:达到|达|達到|達|为|為|到|超过|超過|突破|不少于|不少於|不低于|不低於)$"
)
_AT_LEAST_AFTER = ("以上", "余", "餘", "多")
_REFERENCE_BEFORE_RE = re.compile(r"(?:附件|附表|第|见|見|表|图|圖|号|號)$")


def _implied_unit(norm: str, tok: _Token) -> None:
    """The unit of an Arabic number written without one: the measure word before it, `个` for a
    count of 万 written straight before a noun (`提升40万农村居民`, spec: a number straight before a
    noun takes 个), or `个` for a number that ends a short cell (`完成棚改项目5`)."""
    before = _UNIT_BEFORE_RE.search(norm, max(0, tok.start - 8), tok.start)
    if before:
        unit = before.group(1).replace("数", "").replace("數", "")
        tok.unit, tok.kind = unit, "target"
        for word in _AT_LEAST_AFTER:
            if norm.startswith(word, tok.end):
                tok.op, tok.end = ">=", tok.end + len(word)
                break
        return
    if tok.value >= 10000 and tok.value % 10000 == 0 and _CJK_OR_WORD.match(norm, tok.end):
        tok.unit, tok.kind = "个", "target"
        return
    rest = re.sub(r"[\s。;；.]+", "", norm[tok.end :])
    lead = norm[: tok.start].strip()
    if (
        not rest
        and len(norm) <= 40
        and (not lead or (_CJK_OR_WORD.match(lead[-1]) and not _REFERENCE_BEFORE_RE.search(lead)))
    ):
        tok.unit, tok.kind = "个", "target"


def _resolve(norm: str, tokens: list[_Token]) -> None:
    """Second pass: shared list units, implied 个, baselines, counts after a 类 count."""
    for i, tok in enumerate(tokens):
        if tok.kind != "bare":
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        between = norm[tok.end : nxt.start] if nxt else ""
        if (
            nxt
            and nxt.unit
            and re.fullmatch(r"\s*[、和及与與或跟]\s*[^\W\d_]{0,8}", between)
            and (nxt.kind in ("target", "non"))
        ):
            tok.unit, tok.kind = nxt.unit, nxt.kind
            if tok.kind == "target" and tok.chinese != nxt.chinese:
                tok.kind = "non"
            continue
        if (
            tok.start
            and norm[tok.start - 1] == "等"
            and _CJK_OR_WORD.match(norm, tok.end)
            and not tok.chinese
        ):
            tok.unit, tok.kind = "个", "target"
            continue
        if (
            tok.start
            and norm[tok.start - 1] == "等"
            and tok.chinese
            and norm[tok.start] != "一"
            and _CJK_OR_WORD.match(norm, tok.end)
        ):
            tok.unit, tok.kind = "个", "target"
            continue
        if not tok.chinese:
            _implied_unit(norm, tok)
    for i, tok in enumerate(tokens):
        if (
            tok.kind == "target"
            and i
            and tokens[i - 1].unit in ("类", "類")
            and tokens[i - 1].end == tok.start
        ):
            tok.kind = "non"  # 八类11个
        if tok.kind == "target" and tok.unit and _BASELINE_AFTER_RE.match(norm, tok.end):
            lead = _BASELINE_LEAD_RE.search(norm, max(0, tok.qstart - 8), tok.qstart)
            if lead is None:
                continue
            for later in tokens[i + 1 :]:
                if later.kind == "target":
                    if later.unit == tok.unit and later.baseline is None:
                        later.baseline = tok.value
                        later.qstart = lead.start()
                    break
            tok.kind = "baseline"


def extract_targets(text: str) -> Extraction:
    """Every target in an item's text, in order, plus quotes of numbers left unclassified."""
    norm = normalise_width(text)
    tokens = _scan(norm)
    _resolve(norm, tokens)
    found: list[tuple[int, Target]] = []
    unclassified: list[str] = []
    floor = 0  # a quote never reaches back into the number before it
    for tok in tokens:
        if tok.kind == "target" and tok.unit:
            qs = tok.qstart if tok.baseline is not None else _context_start(norm, tok.qstart, floor)
            found.append(
                (
                    tok.start,
                    Target(
                        quote=text[qs : tok.end],
                        value=tok.value,
                        unit=tok.unit,
                        op=tok.op,
                        baseline=tok.baseline,
                        range_max=tok.range_max,
                    ),
                )
            )
        elif tok.kind == "bare" and not tok.chinese:
            unclassified.append(text[_context_start(norm, tok.start, floor) : _context_end(norm, tok.end)])
        floor = max(floor, tok.end)
    for m in _COVERAGE_RE.finditer(norm):
        found.append(
            (m.start(), Target(quote=text[m.start() : m.end()], value=Decimal(100), unit="%", op="="))
        )
    for m in _PERCENT_WORDS_RE.finditer(norm):
        try:
            value = Decimal(100) if m.group(1) == "百" else parse_chinese(m.group(1))
            if m.group(2):
                value = Decimal(f"{value}.{parse_chinese(m.group(2))}")
        except NumeralError:
            continue
        qs = _context_start(norm, m.start())
        found.append((m.start(), Target(quote=text[qs : m.end()], value=_clean(value), unit="%", op="=")))
    found.sort(key=lambda pair: pair[0])
    return Extraction(targets=[t for _, t in found], unclassified=unclassified)
