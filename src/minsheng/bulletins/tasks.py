"""Background work (django-tasks): writing a bulletin can take a while for a large plan."""

from __future__ import annotations

from django_tasks import task

from minsheng.bulletins.services import bulletin_generate


@task()
def generate_bulletin(bulletin_id: int) -> None:
    bulletin_generate(bulletin_id=bulletin_id)
