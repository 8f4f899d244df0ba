"""The API of any registered subject (portal/surfaces/): its page as data, and its steps.
Refusals answer {code, message, citation} like every step."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.errors import NotFound

from .. import surfaces
from ..surfaces import step_inputs

_PAGE = inline_serializer(
    "SubjectPage",
    {
        "title": serializers.CharField(),
        "facts": serializers.ListField(child=serializers.DictField()),
        "sections": serializers.ListField(child=serializers.DictField()),
        "offered": serializers.ListField(child=serializers.DictField()),
    },
)
_RESULT = inline_serializer(
    "SubjectStepResult",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "url": serializers.CharField(),
    },
)


def _surface(key: str) -> surfaces.Surface:
    surface = surfaces.get(key)
    if surface is None:
        raise NotFound("unknown_subject", f"没有“{key[:40]}”这类记录。")
    return surface


class SubjectDetail(APIView):
    """一条记录（如党支部工作手册、组织生活记录）：标题、事实、各部分明细，以及当前可办理的事项。"""

    @extend_schema(responses=_PAGE)
    def get(self, request, key: str, pk: int):
        surface = _surface(key)
        subject = surface.find(request.user, pk)
        page = surfaces.rendered(
            surfaces.page_of(surface, subject, request.user, request.query_params)
        )
        for section in page["sections"]:  # what the staff page's template reads
            section.pop("template")
            section.pop("context")
        page["offered"] = [
            {"step": code, "label": label}
            for code, label in surfaces.offered(surface, subject, request.user)
        ]
        return Response(page)


class _StepBodies(AutoSchema):
    """The body of a registered subject's step: one of the step inputs of every registered
    subject, read when the schema is made (the schema then lists each step as its own path,
    portal/api/schema.py)."""

    def get_request_serializer(self):
        bodies = [
            serializer()
            for surface in surfaces.all_surfaces().values()
            for serializer, _call in surface.table.values()
        ]
        return PolymorphicProxySerializer(
            component_name="SubjectStepBody", serializers=bodies, resource_type_field_name=None
        )


class SubjectStep(APIView):
    """办理一个步骤；被规则拒绝时返回 {code, message, citation}。"""

    schema = _StepBodies()

    @extend_schema(
        responses=_RESULT,
        parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH)],
    )
    def post(self, request, key: str, pk: int, step: str):
        surface = _surface(key)
        subject = surface.find(request.user, pk)
        table = surface.table
        if step not in table:
            raise NotFound("unknown_step", f"没有“{step[:40]}”这个步骤。")
        if request.query_params.get("check") == "1":
            # Only checked: files are left out (a check must not store an upload).
            data = request.data.copy()
            for name in request.FILES:
                data.pop(name, None)
            step_inputs.run(table, subject, step, request.user, data, check_only=True)
            return Response({"ok": True})
        result = step_inputs.run(table, subject, step, request.user, request.data)
        # An input that made a record with a page of its own (a meeting planned) answers
        # with it; any other answers with the subject as it now stands.
        made = surfaces.url_of(result) if result is not None and result != subject else ""
        if not made and not (isinstance(result, surface.model) and result.pk == subject.pk):
            result = surface.find(request.user, pk)
        return Response(
            {
                "id": result.pk,
                "status": getattr(result, "status", ""),
                "url": surfaces.url_of(result),
            },
            status=201 if made else 200,
        )
