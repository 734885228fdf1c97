"""Write regions and units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.orgs.choices import RegionLevel, UnitKind
from minsheng.orgs.models import Region, Unit, UnitAlias
from minsheng.orgs.selectors import normalize_name, region_find, split_region_name

if TYPE_CHECKING:
    from minsheng.accounts.models import User

_CHILD_LEVEL = {
    RegionLevel.PROVINCE: RegionLevel.CITY,
    RegionLevel.CITY: RegionLevel.DISTRICT,
    RegionLevel.DISTRICT: RegionLevel.TOWN,
    RegionLevel.TOWN: RegionLevel.TOWN,
}


def _root_level(name: str) -> RegionLevel:
    if name.endswith(("省", "自治区", "特别行政区")):
        return RegionLevel.PROVINCE
    if name.endswith(("镇", "乡", "街道")):
        return RegionLevel.TOWN
    if name.endswith(("区", "县", "旗")):
        return RegionLevel.DISTRICT
    return RegionLevel.CITY


@transaction.atomic
def region_create(
    *, acting_user: User | None, name: str, parent: Region | None, code: str = "", level: str = ""
) -> Region:
    """Create a region under `parent`. Without a code, its path of names serves as the code."""
    name = normalize_name(name)
    if not name:
        raise ValidationFailed("A region needs a name.", field="name")
    if not level:
        level = _CHILD_LEVEL[RegionLevel(parent.level)] if parent is not None else _root_level(name)
    if not code:
        code = f"{parent.code}/{name}" if parent is not None else name
    if Region.objects.filter(code=code).exists():
        raise ValidationFailed(f"Region code {code!r} is already used.", field="code")
    region = Region.objects.create(name=name, parent=parent, code=code, level=level)
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=region,
        after={"name": name, "code": code, "level": level, "parent": parent.pk if parent else None},
    )
    return region


@transaction.atomic
def region_ensure(*, acting_user: User | None, text: str, create: bool = True) -> Region:
    """The region `text` names (code, name, path or run-together name).

    When missing and `create` is set, a path (江苏省/常州市/金坛区) or a run-together name (常州市金坛区)
    is created level by level under the parts that exist.
    """
    found = region_find(text)
    if found is not None:
        return found
    is_path = "/" in text or "／" in text
    if is_path:
        names = [normalize_name(p) for p in text.replace("／", "/").split("/") if p.strip()]
    else:
        names = split_region_name(text)
    if not create or not names or (not is_path and len(names) < 2):
        raise ValidationFailed(
            f"No region {text!r}. Give its code, or its full path such as 江苏省/常州市/金坛区 to create it.",
            field="region",
        )
    parent: Region | None = None
    for depth in range(len(names)):
        existing = region_find("/".join(names[: depth + 1])) if depth else _top_region(names[0])
        if existing is not None:
            parent = existing
            continue
        parent = region_create(acting_user=acting_user, name=names[depth], parent=parent)
    assert parent is not None
    return parent


def _top_region(name: str) -> Region | None:
    """A region with this name; a root one preferred (江苏省), else the only one of that name."""
    root = Region.objects.filter(name=name, parent__isnull=True).first()
    if root is not None:
        return root
    matches = list(Region.objects.filter(name=name)[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def unit_create(
    *, acting_user: User | None, name: str, region: Region, kind: str = UnitKind.DEPARTMENT
) -> Unit:
    """Create a unit in `region`."""
    name = name.strip()
    if not name:
        raise ValidationFailed("A unit needs a name.", field="name")
    if len(name) > Unit._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationFailed(f"Unit name too long: {name[:40]}…", field="name")
    if Unit.objects.filter(region=region, name=name).exists():
        raise ValidationFailed(f"{region.name} already has a unit named {name}.", field="name")
    unit = Unit.objects.create(name=name, region=region, kind=kind)
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=unit,
        after={"name": name, "kind": kind, "region": region.pk},
    )
    return unit


@transaction.atomic
def unit_alias_add(*, acting_user: User | None, unit: Unit, name: str) -> UnitAlias:
    """Record that lists also call `unit` by `name` (区卫健局 for 区卫生健康局)."""
    name = name.strip()
    if not name:
        raise ValidationFailed("An alias needs a name.", field="name")
    if normalize_name(name) == normalize_name(unit.name):
        raise ValidationFailed("An alias must differ from the unit's name.", field="name")
    alias, created = UnitAlias.objects.get_or_create(unit=unit, name=name)
    if created:
        audit_record(
            actor=acting_user, action=Action.CREATE, obj=alias, after={"unit": unit.pk, "name": name}
        )
    return alias


@transaction.atomic
def unit_rename(*, acting_user: User | None, unit: Unit, name: str, keep_alias: bool = True) -> Unit:
    """Give `unit` a new name; the old one stays as an alias so imported lists still match it."""
    name = name.strip()
    if not name:
        raise ValidationFailed("A unit needs a name.", field="name")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    old = unit.name
    if name == old:
        return unit
    if Unit.objects.filter(region_id=unit.region_id, name=name).exclude(pk=unit.pk).exists():
        raise ValidationFailed(f"{unit.region} already has a unit named {name}.", field="name")
    unit.name = name
    unit.save(update_fields=["name"])
    UnitAlias.objects.filter(unit=unit, name=name).delete()
    if keep_alias:
        UnitAlias.objects.get_or_create(unit=unit, name=old)
    audit_record(
        actor=acting_user, action=Action.UPDATE, obj=unit, before={"name": old}, after={"name": name}
    )
    return unit


@transaction.atomic
def unit_alias_remove(*, acting_user: User | None, alias: UnitAlias) -> None:
    """Forget one alias of a unit."""
    audit_record(
        actor=acting_user, action=Action.DELETE, obj=alias, before={"unit": alias.unit_id, "name": alias.name}
    )
    alias.delete()


@transaction.atomic
def region_portal_set(*, acting_user: User, region: Region, organiser: str, note: str) -> Region:
    """Set the public portal's footer of `region` (主办单位 and a note line), audited before → after."""
    from minsheng.orgs.policies import can_edit_region_portal

    if not can_edit_region_portal(acting_user, region):
        raise NotAllowed("Only the office of this region (or above) sets its portal footer.")
    organiser, note = " ".join(organiser.split()), " ".join(note.split())
    if len(organiser) > 100:
        raise ValidationFailed("At most 100 characters.", field="organiser")
    if len(note) > 200:
        raise ValidationFailed("At most 200 characters.", field="note")
    region = Region.objects.select_for_update().get(pk=region.pk)
    before = {"portal_organiser": region.portal_organiser, "portal_note": region.portal_note}
    region.portal_organiser, region.portal_note = organiser, note
    region.save(update_fields=["portal_organiser", "portal_note"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=region,
        before=before,
        after={"portal_organiser": organiser, "portal_note": note},
        message="portal footer",
    )
    return region  # the portal's stored pages follow Region saves (portal.apps)
