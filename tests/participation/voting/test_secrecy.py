"""Secrecy: nothing stored joins a ballot to the deputy who cast it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from minsheng.accounts.models import User
from minsheng.audit.models import AuditEvent
from minsheng.participation.voting import services
from minsheng.participation.voting.models import Ballot, Participation, VoteEvent

from .factories import ids, open_event

pytestmark = pytest.mark.django_db


def _related_models(model: type[models.Model]) -> set[type[models.Model]]:
    return {
        f.related_model for f in model._meta.get_fields() if f.is_relation and f.related_model is not None
    }  # type: ignore[misc]


def test_a_ballot_has_no_voter_no_time_and_a_random_key() -> None:
    assert _related_models(Ballot) == {VoteEvent}  # not the user, not the participation
    assert _related_models(Participation) == {VoteEvent, User}  # not the ballot
    for model in (Ballot, Participation):
        kinds = {type(f) for f in model._meta.concrete_fields}
        assert not kinds & {models.DateTimeField, models.DateField}, model
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert Ballot._meta.ordering == ["id"]  # the random key is the only order ballots come back in


def test_the_audit_trail_says_who_voted_never_what(world: Any) -> None:
    event = open_event(world.plan.region, world.office, candidates=6, choose_n=3)
    services.ballot_cast(acting_user=world.deputy, event=event, choices=ids(event, 1, 2, 3))
    ballot = Ballot.objects.get()
    for row in AuditEvent.objects.all():
        text = f"{row.object_id} {row.object_repr} {row.before} {row.after} {row.message}"
        assert str(ballot.id) not in text
        assert "choices" not in text
