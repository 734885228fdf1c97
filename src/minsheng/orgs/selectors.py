"""Read regions and units: lookups by name, code or path, unit name resolution, group members."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from minsheng.orgs.choices import RegionLevel, UnitKind
from minsheng.orgs.models import Region, Unit, UnitAlias

# 各镇（街道）, 相关镇(街道), 各乡镇, 有关街道, 沿线各镇 …: words that stand for several towns and streets.
_GROUP_WORD = re.compile(r"^区?(各|相关|有关|沿线|涉及|所在|辖区)\S*?(镇|乡|街道)")
_REGION_PARTS = re.compile(
    r"^(?P<province>.+?(?:省|自治区|特别行政区))?(?P<city>.+?(?:市|自治州|地区|盟))?"
    r"(?P<district>.+?(?:区|县|市|旗))?(?P<town>.+?(?:镇|乡|街道))?$"
)
_TOWN_SUFFIX = ("镇", "乡", "街道")
_COMPANY_WORDS = (
    "公司",
    "集团",
    "银行",
    "建设",
    "控股",
    "投资",
    "水务",
    "燃气",
    "电力",
    "供电",
    "移动",
    "联通",
    "电信",
)
_DEPARTMENT_SUFFIX = (
    "局",
    "联",
    "社",
    "工会",
    "委",
    "办",
    "院",
    "中心",
    "部",
    "室",
    "所",
    "站",
    "队",
    "会",
    "厅",
    "处",
    "署",
    "馆",
    "委员会",
    "分局",
    "支队",
    "大队",
    "法院",
    "检察院",
)


def normalize_name(name: str) -> str:
    """The form names are compared in: no white space, half-width brackets."""
    name = re.sub(r"\s+", "", name)
    return name.replace("（", "(").replace("）", ")")


def is_group_word(name: str) -> bool:
    """True for words that stand for several towns/streets (各镇（街道）, 相关镇(街道), 各乡镇)."""
    return bool(_GROUP_WORD.match(normalize_name(name)))


def guess_unit_kind(name: str) -> UnitKind:
    """Kind of a unit not seen before, from how its name ends."""
    norm = normalize_name(name)
    if is_group_word(norm):
        return UnitKind.GROUP
    if norm.endswith(_TOWN_SUFFIX):
        return UnitKind.TOWN
    if any(word in norm for word in _COMPANY_WORDS):
        return UnitKind.COMPANY
    if norm.endswith(_DEPARTMENT_SUFFIX):
        return UnitKind.DEPARTMENT
    return UnitKind.OTHER


def region_ancestors(region: Region) -> list[Region]:
    """The region and its ancestors, nearest first."""
    chain = [region]
    seen = {region.pk}
    current = region
    while current.parent_id is not None and current.parent_id not in seen:
        current = Region.objects.get(pk=current.parent_id)
        chain.append(current)
        seen.add(current.pk)
    return chain


def region_path(region: Region) -> str:
    """The region's names from the top, joined with '/' (江苏省/常州市/金坛区)."""
    return "/".join(r.name for r in reversed(region_ancestors(region)))


def region_display_name(region: Region) -> str:
    """The name a list's title uses: city and district run together (常州市金坛区)."""
    chain = list(reversed(region_ancestors(region)))
    below_province = [r for r in chain if r.level != RegionLevel.PROVINCE]
    return "".join(r.name for r in below_province) or region.name


def region_is_within(region: Region, scope: Region) -> bool:
    """True when `region` is `scope` or lies under it."""
    return any(r.pk == scope.pk for r in region_ancestors(region))


def _below(start: str, select: str) -> str:
    """The recursive query of the region `start` (a parameter or a column) and every region under it."""
    table = connection.ops.quote_name(Region._meta.db_table)
    return (
        f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE id = {start} "
        f"UNION SELECT r.id FROM {table} r JOIN below ON r.parent_id = below.id) SELECT {select} FROM below"
    )


def region_descendant_ids(region: Region) -> set[int]:
    """Primary keys of the region and every region under it, in one query whatever the depth (a recursive
    common table expression, understood by SQLite and PostgreSQL alike)."""
    with connection.cursor() as cursor:
        cursor.execute(_below("%s", "id"), [region.pk])
        return {row[0] for row in cursor.fetchall()}


def region_below_sql(vendor: str, region_id: str) -> str:
    """A scalar subquery: the ids of the region whose id column is `region_id` and of every region under it,
    joined by commas (for reading with another row: `accounts.backends` reads them with the signed-in
    user). NULL when the column is NULL."""
    joined = "STRING_AGG(CAST(id AS TEXT), ',')" if vendor == "postgresql" else "GROUP_CONCAT(id)"
    return _below(region_id, joined)


def user_region_ids(user: Any) -> set[int]:
    """The ids of `user`'s region and every region under it (empty without a region): as read with the
    user (`region_below`, see `region_below_sql`), else one query, kept on the user for the request."""
    if user.region_id is None:
        return set()
    cached = getattr(user, "_minsheng_region_ids", None)
    if cached is None:
        below = getattr(user, "region_below", None)
        cached = {int(i) for i in below.split(",")} if below else region_descendant_ids(user.region)
        user._minsheng_region_ids = cached
    return set(cached)


def split_region_name(text: str) -> list[str]:
    """Split a run-together name into its levels: 常州市金坛区 → [常州市, 金坛区]."""
    text = normalize_name(text)
    match = _REGION_PARTS.match(text)
    if match is None:
        return [text]
    return [part for part in match.groups() if part]


def region_find(text: str) -> Region | None:
    """A region by code, by name, by path (江苏省/常州市/金坛区) or by run-together name (常州市金坛区)."""
    text = text.strip()
    if not text:
        return None
    by_code = Region.objects.filter(code=text).first()
    if by_code is not None:
        return by_code
    if re.search(r"[/／>]", text):
        return _region_by_names([normalize_name(n) for n in re.split(r"[/／>]", text) if n.strip()])
    name = normalize_name(text)
    matches = list(Region.objects.filter(name=name))
    if len(matches) == 1:
        return matches[0]
    # A run-together name (常州市金坛区): a region whose chain of names ends with exactly this text.
    found = []
    for region in Region.objects.all():
        if region.name != name and name.endswith(region.name):
            chain = [r.name for r in reversed(region_ancestors(region))]
            if any("".join(chain[i:]) == name for i in range(len(chain))):
                found.append(region)
    return found[0] if len(found) == 1 else None


def _region_by_names(names: list[str]) -> Region | None:
    """The region whose chain of names ends with `names`."""
    if not names:
        return None
    candidates = list(Region.objects.filter(name=names[-1]))
    found = [c for c in candidates if _chain_ends_with(c, names)]
    return found[0] if len(found) == 1 else None


def _chain_ends_with(region: Region, names: list[str]) -> bool:
    chain = [r.name for r in reversed(region_ancestors(region))]
    return chain[-len(names) :] == names


def town_units(region: Region) -> QuerySet[Unit]:
    """The town and street units of `region`."""
    return Unit.objects.filter(region=region, kind=UnitKind.TOWN).order_by("name")


def group_members(unit: Unit) -> QuerySet[Unit]:
    """The units a group word stands for: the towns and streets of its region (empty for other kinds)."""
    if unit.kind != UnitKind.GROUP:
        return Unit.objects.none()
    return town_units(unit.region)


@dataclass(frozen=True)
class UnitMatch:
    """How a unit name written in a list maps to a unit."""

    written_as: str
    unit_id: int | None
    unit_name: str
    via: str  # "name", "alias", "group", "new"
    kind: str

    @property
    def is_new(self) -> bool:
        return self.unit_id is None

    def to_dict(self) -> dict[str, object]:
        return {
            "written_as": self.written_as,
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "via": self.via,
            "kind": self.kind,
        }


class UnitResolver:
    """Resolve names as written in a list to units of a region (and of its ancestors).

    Loads the units and aliases once, so resolving a whole list is a fixed number of queries.
    """

    def __init__(self, region: Region) -> None:
        self.region = region
        region_ids = [r.pk for r in region_ancestors(region)]
        # Nearer regions win when two regions have a unit of the same name.
        order = {pk: i for i, pk in enumerate(region_ids)}
        units = sorted(
            Unit.objects.filter(region_id__in=region_ids), key=lambda u: (order[u.region_id], u.pk)
        )
        self.units: dict[int, Unit] = {unit.pk: unit for unit in units}
        self.by_name: dict[str, Unit] = {}
        for unit in units:
            self.by_name.setdefault(normalize_name(unit.name), unit)
        self.by_alias: dict[str, Unit] = {}
        aliases = UnitAlias.objects.filter(unit__region_id__in=region_ids).select_related("unit")
        for alias in sorted(aliases, key=lambda a: (order[a.unit.region_id], a.pk)):
            self.by_alias.setdefault(normalize_name(alias.name), alias.unit)
            self.units.setdefault(alias.unit.pk, alias.unit)

    def remember(self, unit: Unit) -> None:
        """Make a unit created after loading resolvable too."""
        self.units[unit.pk] = unit
        self.by_name.setdefault(normalize_name(unit.name), unit)

    def resolve(self, written_as: str) -> UnitMatch:
        """Match a name: exact name, then alias; otherwise a new unit (a group for group words)."""
        key = normalize_name(written_as)
        unit = self.by_name.get(key)
        if unit is not None:
            via = "group" if unit.kind == UnitKind.GROUP else "name"
            return UnitMatch(written_as, unit.pk, unit.name, via, unit.kind)
        unit = self.by_alias.get(key)
        if unit is not None:
            return UnitMatch(written_as, unit.pk, unit.name, "alias", unit.kind)
        kind = guess_unit_kind(written_as)
        via = "group" if kind == UnitKind.GROUP else "new"
        return UnitMatch(written_as, None, written_as.strip(), via, kind)


def _unit_core(name: str, region_words: list[str]) -> str:
    """A unit name without the region's own words (金坛, 区 …), so 区公安局 and 金坛公安分局 compare by 公安."""
    core = normalize_name(name)
    for word in region_words:
        core = core.replace(word, "")
    return core or normalize_name(name)


def units_closest(region: Region, name: str, *, limit: int = 3) -> list[tuple[Unit, float]]:
    """The existing units of `region` (and the regions above it) closest to `name`, by name and alias.

    For an unknown unit name in a list: the office chooses one of these, or creates a new unit on purpose.
    """
    return units_closest_many(region, [name], limit=limit)[name]


def units_closest_many(
    region: Region, names: list[str], *, limit: int = 3
) -> dict[str, list[tuple[Unit, float]]]:
    """`units_closest` for several names, reading the region's units and aliases once (two queries)."""
    regions = region_ancestors(region)
    words: list[str] = []
    for r in regions:
        words.append(r.name)
        stem = r.name.rstrip("省市区县镇街道")
        if len(stem) >= 2:
            words.append(stem)
    words.extend(["区", "市", "县"])
    aliases = UnitAlias.objects.filter(unit__region__in=regions).select_related("unit")
    candidates = [(u, u.name) for u in Unit.objects.filter(region__in=regions).exclude(kind=UnitKind.GROUP)]
    candidates += [(a.unit, a.name) for a in aliases if a.unit.kind != UnitKind.GROUP]
    cores = [(unit, _unit_core(written, words)) for unit, written in candidates]
    found: dict[str, list[tuple[Unit, float]]] = {}
    for name in names:
        wanted = _unit_core(name, words)
        best: dict[int, tuple[Unit, float]] = {}
        for unit, core in cores:
            score = difflib.SequenceMatcher(None, wanted, core, autojunk=False).ratio()
            if score >= 0.4 and score > best.get(unit.pk, (unit, 0.0))[1]:
                best[unit.pk] = (unit, score)
        found[name] = sorted(best.values(), key=lambda pair: (-pair[1], pair[0].name))[:limit]
    return found
