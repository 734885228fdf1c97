"""Which region an upload goes into: the one typed, else the one the list names; a new district is
created only when the office asks for it and it lies inside the office's own region."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.interchange.policies import can_import
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import normalize_name, region_find, split_region_name
from minsheng.orgs.services import region_create, region_ensure

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def _names(text: str) -> list[str]:
    if re.search(r"[/／>]", text):
        return [normalize_name(n) for n in re.split(r"[/／>]", text) if n.strip()]
    return split_region_name(text)


def _create_within(acting_user: User, text: str) -> Region | None:
    """Create the regions `text` names below the office's own region (常州市 → 常州市/溧阳市), or None."""
    scope = acting_user.region
    assert scope is not None
    names = _names(text)
    if scope.name not in names:
        if len(names) != 1:
            return None  # a path that does not pass through the office's region
        names = [scope.name, *names]
    below = names[names.index(scope.name) + 1 :]
    if not below:
        return None
    parent = scope
    for name in below:
        existing = parent.children.filter(name=name).first()
        parent = existing or region_create(acting_user=acting_user, name=name, parent=parent)
    return parent


@transaction.atomic
def import_region(*, acting_user: User | None, text: str, list_region: str, create: bool = False) -> Region:
    """The region an upload goes into.

    `text` is what the office typed (code, name or path); empty means the region the list names
    (`list_region`). A region that does not exist yet is created when `create` is set: by an office
    without a region scope anywhere, by an office with one only inside it (a city office adds a
    district). Raises ValidationFailed (field "region") when no region fits, NotAllowed outside the
    office's scope.
    """
    wanted = (text or "").strip() or (list_region or "").strip()
    if not wanted:
        if acting_user is not None and acting_user.region_id is not None:
            return acting_user.region  # type: ignore[return-value]
        raise ValidationFailed(_("The list does not name its region; give the region."), field="region")
    found = region_find(wanted)
    if found is None and create:
        if acting_user is None or acting_user.region_id is None:
            found = region_ensure(acting_user=acting_user, text=wanted)
        else:
            found = _create_within(acting_user, wanted)
    if found is None:
        raise ValidationFailed(
            _(
                "There is no region %(name)s yet. Give an existing region, or tick “create it” to add it "
                "under your own region."
            )
            % {"name": wanted},
            field="region",
        )
    if acting_user is not None and not can_import(acting_user, found):
        raise NotAllowed(
            _("%(name)s is outside your region; you cannot import lists for it.") % {"name": found.name}
        )
    return found
