"""Table column labels → column keys.

A header label (folded: simplified, half-width, without white space or a bracketed note such as
`(万元)`) is matched against the patterns below, first match wins. The structural keys are `no`,
`name`, `text`, `lead`, `partner`, `category`; every other recognised column is kept on the item
under its snake_case English key (`Item.extra`).
"""

from __future__ import annotations

import re

from minsheng.parsing.normalize import fold

STRUCTURAL = ("no", "name", "text", "lead", "partner", "category")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (key, re.compile(pattern))
    for key, pattern in (
        ("no", r"^(序号?|编号|序列号|项目序号|项目编号|号)$"),
        ("lead_leader", r"领导"),
        ("project_owner", r"责任人|负责人"),
        ("partner", r"(配合|协办|协作|参与|协同|协助|共同责任)(单位|部门)"),
        ("lead", r"(责任|牵头|主办|主责|承办|实施|主管|负责|责任主体)(单位|部门|主体)|^(责任|牵头)$"),
        ("category", r"^(类别|分类|类型|领域|项目类别|事项分类|项目分类|实事分类|所属类别)$"),
        ("policy_unit", r"政策处理"),
        ("cumulative_investment", r"累计.*投资"),
        ("done_investment", r"完成投资"),
        ("annual_investment", r"(当年|年度|本年)投资|\d{4}年投资"),
        ("build_period", r"(起止年限|建设年限|实施期限|建设期限|起止时间|建设周期|实施年限|建设起止)"),
        ("deadline", r"(完成时限|完成时间|时间节点|时限|完成期限|完成日期)"),
        (
            "text",
            r"(内容|目标任务|工作任务|主要任务|建设规模|主要目标|工作目标|具体任务|^目标$|^任务$|^实施计划$)",
        ),
        ("name", r"(项目名称|实事项目|实事名称|工程名称|项目名|事项名称|^名称$|^项目$|^民生实事$|^事项$)"),
        ("location", r"(建设地点|实施地点|^地点$|^地址$|^位置$)"),
        ("funding_source", r"(资金来源|资金渠道|资金筹措)"),
        (
            "total_investment",
            r"(总投资|投资金额|计划投资|投资额|估算投资|投资总额|^投资$|^资金$|^金额$|预算)",
        ),
        ("annual_plan", r"(\d{4}年度?(工作)?计划|年度计划|工作计划|年度目标)"),
        ("progress", r"(进度|进展|完成情况|建设阶段|实施情况|推进情况|落实情况|是否达序)"),
        ("done_pct", r"^%$|百分比|完成比例|完成率"),
        ("remarks", r"备注"),
        ("contact", r"联系"),
    )
]

_NOTE = re.compile(r"\(([^()]*)\)")


def label_form(label: str) -> str:
    """The folded label without white space and without bracketed notes."""
    t = re.sub(r"\s+", "", fold(label))
    return _NOTE.sub("", t)


def column_key(label: str) -> str | None:
    """The key of a header label (`責任單位` → `lead`), or None when it is not a known label."""
    if len(label) > 40:
        return None
    t = label_form(label)
    if not t or len(t) > 16 or any(ch in t for ch in "。,;:!?"):
        return None  # a sentence, not a label
    for key, pattern in _PATTERNS:
        if pattern.search(t):
            return key
    return None


def is_header_label(label: str) -> bool:
    return column_key(label) is not None


def extra_key(label: str) -> str | None:
    """The `Item.extra` key for a non-structural column; money columns say their unit
    (`total_investment_wanyuan`, 万元 being the default for 投资 columns)."""
    key = column_key(label)
    if key is None or key in STRUCTURAL:
        return None
    if key.endswith("investment"):
        # Money columns in these lists are in 万元 unless the label says otherwise.
        folded = fold(label)
        if "亿元" in folded:
            return f"{key}_yiyuan"
        if re.search(r"\(元\)|^元$", folded):
            return key
        return f"{key}_wanyuan"
    return key


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def extra_value(text: str, *, numeric: bool = True) -> str | int | float:
    """A cell value for `Item.extra`: numbers in a numeric column as numbers, other text as written
    (lines joined)."""
    t = re.sub(r"\s+", "", text)
    folded = fold(t).replace(",", "")
    if numeric and _NUMBER.match(folded):
        return float(folded) if "." in folded else int(folded)
    return t
