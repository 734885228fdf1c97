"""Several kinds of children of one object read in one statement and cached on it as `prefetch_related`
caches them (`children_load`).

Django's prefetch runs one query per relation. For the few rows a write reads (an item's units, targets
and milestones) the round trips cost more than the rows: on PostgreSQL each is a switch between two
processes on the same cores. Here the relations are read together (``UNION ALL``, one branch per
relation, each in its own columns), with Django's own converters, so `parent.<relation>.all()` and
`child.<foreign key>` then cost no query. The statement is built once per database and set of relations;
inside `core.prepared.prepared_statements()` PostgreSQL plans it once per connection.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


@dataclass(frozen=True)
class Children:
    """One relation to read: the parent's reverse accessor (`name`, its related name), the attributes
    its rows are sorted by, and optionally one foreign key of the child read along (as select_related)."""

    name: str
    order: tuple[str, ...]
    with_related: str | None = None


@dataclass
class _Block:
    """Where one model's columns sit in the statement's rows, and how to turn them into an instance."""

    model: type[Model]
    start: int
    fields: list[Any]  # the model's concrete fields (django-stubs lacks some of their methods)
    attnames: list[str]
    converters: list[tuple[Any, list[Callable[..., Any]]]]  # per field: its column expression, converters

    def instance(self, row: Sequence[Any], using: str, connection: Any) -> Model | None:
        values = list(row[self.start : self.start + len(self.fields)])
        if values[0] is None:  # no row joined (a nullable foreign key)
            return None
        for index, (column, converters) in enumerate(self.converters):
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return self.model.from_db(using, self.attnames, values)


@dataclass
class _Branch:
    """One relation's part of the statement: the child's foreign key to the parent, the child's columns,
    and the `with_related` foreign key with its object's columns."""

    spec: Children
    to_parent: Any
    child: _Block
    link: Any = None
    related: _Block | None = None


@dataclass
class _Statement:
    sql: str
    branches: list[_Branch]


_STATEMENTS: dict[tuple[str, str, type[Model], tuple[Children, ...]], _Statement] = {}


def _block(model: type[Model], start: int, connection: Any) -> _Block:
    fields: list[Any] = list(model._meta.concrete_fields)
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        converters.append(
            (column, connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        )
    return _Block(model, start, fields, [f.attname for f in fields], converters)


def _statement(parent: Model, children: tuple[Children, ...], using: str) -> _Statement:
    connection = connections[using]
    key = (using, connection.vendor, type(parent), children)
    known = _STATEMENTS.get(key)
    if known is not None:
        return known
    quote = connection.ops.quote_name
    branches: list[_Branch] = []
    width = 1  # column 0 tells the branch
    for spec in children:
        manager = getattr(parent, spec.name)
        branch = _Branch(spec, manager.field, _block(manager.model, width, connection))
        width += len(branch.child.fields)
        if spec.with_related is not None:
            branch.link = manager.model._meta.get_field(spec.with_related)
            branch.related = _block(branch.link.related_model, width, connection)
            width += len(branch.related.fields)
        branches.append(branch)
    # A typed NULL in every other branch's columns: PostgreSQL resolves a UNION's types pairwise, and two
    # untyped NULLs would make a text column.
    empty = ["NULL"]
    for branch in branches:
        for block in (branch.child, branch.related):
            if block is not None:
                empty += [f"CAST(NULL AS {f.cast_db_type(connection)})" for f in block.fields]
    selects = []
    for number, branch in enumerate(branches):
        columns = list(empty)
        columns[0] = str(number)
        table = branch.child.model._meta.db_table
        for offset, field in enumerate(branch.child.fields):
            columns[branch.child.start + offset] = f"{quote(table)}.{quote(field.column)}"
        source = quote(table)
        if branch.related is not None:
            other = branch.related.model._meta.db_table
            for offset, field in enumerate(branch.related.fields):
                columns[branch.related.start + offset] = f"{quote(other)}.{quote(field.column)}"
            join = "LEFT OUTER JOIN" if branch.link.null else "INNER JOIN"
            target: Any = branch.related.model._meta.pk
            source += (
                f" {join} {quote(other)} ON {quote(other)}.{quote(target.column)} = "
                f"{quote(table)}.{quote(branch.link.column)}"
            )
        parent_column = quote(branch.to_parent.column)
        selects.append(f"SELECT {', '.join(columns)} FROM {source} WHERE {quote(table)}.{parent_column} = %s")
    statement = _Statement(" UNION ALL ".join(selects), branches)
    _STATEMENTS[key] = statement
    return statement


def children_load(parent: Model, children: Sequence[Children], *, using: str | None = None) -> None:
    """Read the `children` relations of `parent` in one statement and cache them on it (each child knows
    its parent and its `with_related` object too)."""
    using = using or parent._state.db or DEFAULT_DB_ALIAS
    connection = connections[using]
    statement = _statement(parent, tuple(children), using)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [parent.pk] * len(statement.branches))
        rows = cursor.fetchall()
    found: list[list[Model]] = [[] for _ in statement.branches]
    for row in rows:
        branch = statement.branches[row[0]]
        child = branch.child.instance(row, using, connection)
        assert child is not None
        branch.to_parent.set_cached_value(child, parent)
        if branch.related is not None:
            branch.link.set_cached_value(child, branch.related.instance(row, using, connection))
        found[row[0]].append(child)
    cache = parent.__dict__.setdefault("_prefetched_objects_cache", {})
    for branch, objects in zip(statement.branches, found, strict=True):
        objects.sort(key=operator.attrgetter(*branch.spec.order))
        queryset = getattr(parent, branch.spec.name).all()
        queryset._result_cache = objects
        queryset._prefetch_done = True
        cache[branch.to_parent.remote_field.cache_name] = queryset
