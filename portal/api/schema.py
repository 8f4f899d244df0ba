"""The OpenAPI schema describes every step's own body. A step is one route,
`.../steps/{step}/`, whose body depends on the step: the schema lists each step as a path of
its own with its input's component, generated from the step tables (the staff forms and the
API parse with the same serializers)."""

from __future__ import annotations

import copy

from .. import surfaces

GENERIC = "/api/s/{key}/{id}/steps/{step}/"


def step_tables() -> dict[str, tuple[str, dict]]:
    """{path with {step}: (the route it expands, the step table)}: one per registered
    subject on the generic route."""

    return {
        GENERIC.replace("{key}", key): (GENERIC, surface.table)
        for key, surface in surfaces.all_surfaces().items()
    }


def step_inputs(table: dict) -> list:
    """The distinct input serializers of a step table, in a stable order."""
    return list(dict.fromkeys(serializer for serializer, _call in table.values()))


def expand_steps(result, generator, request, public):
    """drf-spectacular postprocessing hook: each `{step}` route becomes one path per step,
    with that step's request body."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    routes = {}
    for template, (route, table) in step_tables().items():
        operations = routes.setdefault(route, result["paths"].get(route))
        if operations is None:
            continue
        for step, (serializer, _call) in table.items():
            name = _component_name(generator, serializer)
            if name not in components:
                continue
            path = template.replace("{step}", step)
            expanded = {}
            for method, operation in operations.items():
                operation = copy.deepcopy(operation)
                where = template.split("/")[3] if route == GENERIC else ""
                suffix = f"{where.replace('-', '_')}_{step}" if where else step
                operation["operationId"] = f"{operation['operationId']}_{suffix}"
                operation["parameters"] = [
                    p
                    for p in operation.get("parameters", [])
                    if p.get("name") not in ("step", "key")
                ]
                operation["requestBody"] = {
                    "content": {
                        media: {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        for media in ("application/json",)
                    },
                    "required": True,
                }
                expanded[method] = operation
            result["paths"][path] = expanded
    for route in routes:
        result["paths"].pop(route, None)
    return result


def _component_name(generator, serializer) -> str:
    from drf_spectacular.openapi import AutoSchema

    return AutoSchema()._get_serializer_name(serializer(), "request")
