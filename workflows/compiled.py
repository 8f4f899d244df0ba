"""Queries compiled once: a step reads the same few rows by the same few keys every time (the
case it locks, the actor's positions, the case's records, the flow's waiting tasks), and the
ORM spends more time building and compiling each of those statements than the database
spends running it. A `Compiled` query is written once as an ordinary queryset, built with
marker values in place of its arguments, compiled once per database connection, and then
run with the real values in their places: the same SQL, the same model instances (with
what `select_related` reads) or the same converted rows as the queryset gives.

Only for querysets whose SQL does not depend on the values (a `pk=`, a date compared, a
foreign key, a path's `__startswith`): a value that changes the statement's shape (an
`__in` list of varying length, a None turned into IS NULL) must stay a constant of the
build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connections
from django.db.models.query import get_related_populators

# Within every integer column's range (a value out of a column's range is no parameter:
# Django 5 turns that lookup into an empty result), and unlike any real key.
_INT_MARK = 2_147_400_017


def _marks(kinds: tuple[type, ...]) -> list:
    marks = []
    for index, kind in enumerate(kinds):
        if kind is int:
            marks.append(_INT_MARK + 7 * index)
        elif kind is date:
            marks.append(date(1001 + index, 1, 1))
        elif kind is str:
            marks.append(f"jiceng-mark-{index}-")  # nothing LIKE treats specially
        else:
            raise TypeError(f"no marker for {kind!r}")
    return marks


@dataclass
class _Plan:
    sql: str
    slots: list  # per parameter: (argument index, how it is adapted) or a constant
    models: bool
    start: int = 0
    end: int = 0
    init_list: list | None = None
    populators: list | None = None
    converters: dict | None = None
    compiler: Any = None
    model: Any = None


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Compiled:
    """`Compiled(build, int, date)`: `build(case_id, day)` returns the queryset; calling the
    `Compiled` with the values runs it. A model queryset gives a list of instances; a
    `values_list` one, a list of tuples."""

    def __init__(self, build: Callable[..., Any], *kinds: type, using: str = "default"):
        self.build = build
        self.kinds = kinds
        self.using = using
        self.key = object()

    def _plan(self, connection) -> _Plan:
        plans = connection.__dict__.setdefault("_jiceng_compiled", {})
        plan = plans.get(self.key)
        if plan is None:
            plan = plans[self.key] = self._compile(connection)
        return plan

    def _compile(self, connection) -> _Plan:
        marks = _marks(self.kinds)
        queryset = self.build(*marks)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            for index, mark in enumerate(marks):
                if param == mark:
                    slots.append((index, None))
                    break
                if isinstance(mark, date) and param == str(mark):
                    slots.append((index, str))
                    break
                if isinstance(mark, str) and isinstance(param, str) and mark in param:
                    # A pattern made of it (`__startswith`): the value goes in, escaped.
                    template = param
                    slots.append(
                        (
                            index,
                            lambda value, template=template, mark=mark: template.replace(
                                mark, connection.ops.prep_for_like_query(value)
                            ),
                        )
                    )
                    break
            else:
                slots.append(_Constant(param))
        found = {slot[0] for slot in slots if isinstance(slot, tuple)}
        if found != set(range(len(marks))):
            raise ValueError("a compiled query must use every argument as a parameter")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        klass_info = compiler.klass_info
        plan = _Plan(sql, slots, models=klass_info is not None and not queryset._fields)
        plan.converters = converters
        plan.compiler = compiler
        if plan.models:
            select = compiler.select
            select_fields = klass_info["select_fields"]
            plan.start, plan.end = select_fields[0], select_fields[-1] + 1
            plan.init_list = [column[0].target.attname for column in select[plan.start : plan.end]]
            plan.populators = get_related_populators(klass_info, select, connection.alias)
            plan.model = klass_info["model"]
        return plan

    def __call__(self, *values) -> list:
        connection = connections[self.using]
        plan = self._plan(connection)
        params = [
            slot.value
            if isinstance(slot, _Constant)
            else (slot[1](values[slot[0]]) if slot[1] else values[slot[0]])
            for slot in plan.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = [list(row) for row in plan.compiler.apply_converters(rows, plan.converters)]
        if not plan.models:
            return [tuple(row) for row in rows]
        found = []
        alias = connection.alias
        for row in rows:
            instance = plan.model.from_db(alias, plan.init_list, row[plan.start : plan.end])
            for populator in plan.populators:
                populator.populate(row, instance)
            found.append(instance)
        return found
