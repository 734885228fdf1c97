"""Set up the demo: the Jintan region tree, the Jintan 2024 list, demo accounts. Safe to run twice."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.accounts.services import user_upsert
from minsheng.interchange.services import parse_source, plan_import, plan_import_preview
from minsheng.orgs.choices import RegionLevel, UnitKind
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.services import region_create, unit_alias_add, unit_create
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import ItemUnit, Plan
from minsheng.plans.services import plan_publish

DEMO_LIST = Path(__file__).resolve().parent / "data" / "jintan-2024.txt"
PASSWORD_ENV = "MINSHENG_DEMO_PASSWORD"

# Official division codes (GB/T 2260) for the levels above the towns.
PROVINCE = ("江苏省", "320000")
CITY = ("常州市", "320400")
DISTRICT = ("金坛区", "320413")
# 金坛区's six towns and three streets.
TOWNS = ("金城镇", "儒林镇", "直溪镇", "朱林镇", "薛埠镇", "指前镇", "东城街道", "西城街道", "尧塘街道")
# Full names of district departments with the short names lists use, to show alias matching.
DEPARTMENTS = (
    ("区卫生健康局", "区卫健局"),
    ("区住房和城乡建设局", "区住建局"),
    ("区人力资源和社会保障局", "区人社局"),
    ("区城市管理局", "区城管局"),
    ("区交通运输局", "区交通局"),
    ("区文化广电和旅游局", "区文旅局"),
    ("区市场监督管理局", "区市场监管局"),
    ("区发展和改革局", "区发改局"),
    ("区自然资源和规划局", "区资源规划局"),
)


@dataclass
class DemoAccount:
    username: str
    role: str
    unit: str
    created: bool


@dataclass
class DemoResult:
    plan: Plan
    created: bool
    accounts: list[DemoAccount]
    password: str
    password_from_env: bool


def demo_password() -> tuple[str, bool]:
    """MINSHENG_DEMO_PASSWORD, else a password generated on the first run and kept in var/."""
    from_env = os.environ.get(PASSWORD_ENV, "").strip()
    if from_env:
        return from_env, True
    path = Path(settings.VAR_DIR) / "demo_password"
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored, False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Upper case, lower case and a symbol: passes the MLPS three-classes rule whatever the random part.
    password = "Ms-" + secrets.token_urlsafe(9)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password)
    return password, False


def _region(name: str, code: str, parent: Region | None, level: str) -> Region:
    found = (
        Region.objects.filter(code=code).first() or Region.objects.filter(name=name, parent=parent).first()
    )
    if found is not None:
        return found
    return region_create(acting_user=None, name=name, parent=parent, code=code, level=level)


@transaction.atomic
def demo_regions() -> Region:
    """江苏省 → 常州市 → 金坛区 → its towns and streets, with a town unit for each; returns 金坛区."""
    province = _region(*PROVINCE, None, RegionLevel.PROVINCE)
    city = _region(*CITY, province, RegionLevel.CITY)
    district = _region(*DISTRICT, city, RegionLevel.DISTRICT)
    for town in TOWNS:
        _region(town, f"{district.code}/{town}", district, RegionLevel.TOWN)
        if not Unit.objects.filter(region=district, name=town).exists():
            unit_create(acting_user=None, name=town, region=district, kind=UnitKind.TOWN)
    for full, short in DEPARTMENTS:
        unit = Unit.objects.filter(region=district, name=full).first()
        if unit is None:
            unit = unit_create(acting_user=None, name=full, region=district, kind=UnitKind.DEPARTMENT)
        unit_alias_add(acting_user=None, unit=unit, name=short)
    return district


def _account(
    username: str, role: Role, password: str, *, force_password: bool, **where: object
) -> DemoAccount:
    user = User.objects.filter(username=username).first()
    unit = where.get("unit")
    if user is None:
        user = user_upsert(acting_user=None, username=username, role=role, password=password, **where)  # type: ignore[arg-type]
        return DemoAccount(username, role.value, str(unit or ""), True)
    if force_password and not user.check_password(password):
        user_upsert(acting_user=None, username=username, role=role, password=password, **where)  # type: ignore[arg-type]
    return DemoAccount(username, role.value, str(unit or ""), False)


def demo_install() -> DemoResult:
    """Regions, the Jintan 2024 list (imported and published) and the demo accounts."""
    district = demo_regions()
    data = DEMO_LIST.read_bytes()
    parsed = parse_source(data, DEMO_LIST.name)
    preview = plan_import_preview(parsed=parsed, region=district, year=None)
    if preview.is_unchanged and preview.existing_plan_id is not None:
        # Loaded by an earlier run: a second import would only add another upload record.
        plan = Plan.objects.get(pk=preview.existing_plan_id)
    else:
        plan = plan_import(
            acting_user=None,
            parsed=parsed,
            region=district,
            year=None,
            source_name=DEMO_LIST.name,
            source_bytes=data,
        ).plan
    created = preview.is_new_plan
    plan = plan_publish(acting_user=None, plan=plan)
    password, from_env = demo_password()
    accounts = [
        _account("office", Role.OFFICE, password, force_password=from_env, region=district),
        _account("reviewer", Role.REVIEWER, password, force_password=from_env, region=district),
        _account("leader", Role.LEADER, password, force_password=from_env, region=district),
        _account("deputy", Role.DEPUTY, password, force_password=from_env, region=district),
        # The three administrators (三权分立), each a different person.
        _account("sysadmin", Role.SYSTEM_ADMIN, password, force_password=from_env),
        _account("secadmin", Role.SECURITY_ADMIN, password, force_password=from_env),
        _account("auditor", Role.AUDIT_ADMIN, password, force_password=from_env),
    ]
    lead_unit_ids = []
    for unit_id in (
        ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD)
        .order_by("item__project__position", "item__position", "position")
        .values_list("unit_id", flat=True)
    ):
        if unit_id not in lead_unit_ids:
            lead_unit_ids.append(unit_id)
    units = Unit.objects.in_bulk(lead_unit_ids)
    for unit_id in lead_unit_ids:
        unit = units[unit_id]
        accounts.append(
            _account(
                f"reporter{unit.pk}",
                Role.REPORTER,
                password,
                force_password=from_env,
                unit=unit,
                region=district,
            )
        )
    return DemoResult(
        plan=plan, created=created, accounts=accounts, password=password, password_from_env=from_env
    )
