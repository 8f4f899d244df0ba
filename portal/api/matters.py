"""Village matter endpoints: list (overdue first), register, perform a step, read the record."""

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.village import selectors, services
from procedures.village.steps import Status
from workflows.errors import NotFound

from ..matter_steps import STEP_INPUTS, RegisterInput, perform
from ..params import positive_int
from ..step_inputs import invalid_input
from .schema import step_inputs


class MatterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    village = serializers.IntegerField(source="village_id")
    village_name = serializers.CharField(source="village.name")
    title = serializers.CharField()
    category = serializers.CharField()
    method = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    decided_on = serializers.DateField()
    closed_reason = serializers.CharField()


def _next(matter) -> dict:
    upcoming = selectors.next_step(matter)
    return {
        "step": upcoming.step,
        "label": upcoming.label,
        "chairs": upcoming.chairs,
        "missing": upcoming.missing,
        "due": upcoming.due,
        "overdue": upcoming.overdue,
    }


class MatterList(APIView):
    """村级事务（本人管理范围），超期的在前；POST 登记新事项。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("village", int),
            OpenApiParameter("status", str, enum=Status.values),
        ],
        responses=MatterSerializer(many=True),
    )
    def get(self, request):
        matters = selectors.matters_for(
            user=request.user,
            village_id=positive_int(request.query_params.get("village")),
            status=request.query_params.get("status"),
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.by_urgency(matters), request, view=self)
        return paginator.get_paginated_response(
            [{**MatterSerializer(matter).data, "next": _next(matter)} for matter, _ in page]
        )

    @extend_schema(request=RegisterInput, responses={201: MatterSerializer})
    def post(self, request):
        data = RegisterInput(data=request.data)
        if not data.is_valid():
            raise invalid_input(data)
        village = selectors.village_for(user=request.user, pk=data.validated_data.pop("village"))
        matter = services.matter_register(
            actor=request.user, village=village, **data.validated_data
        )
        return Response(MatterSerializer(matter).data, status=201)


class MatterDetail(APIView):
    """事项详情：下一步、可主持人、尚缺事项，以及会议、进展、知晓和公示记录。"""

    @extend_schema(responses=None)
    def get(self, request, pk: int):
        matter = selectors.matter_for(user=request.user, pk=pk)
        record = selectors.record(matter)
        return Response(
            {
                **MatterSerializer(matter).data,
                "next": _next(matter),
                "meetings": [
                    {
                        "id": h.meeting.pk,
                        "step": h.step,
                        "kind": h.meeting.kind,
                        "held_on": h.held_on,
                        "place": h.meeting.place,
                        "chair": h.meeting.chair.name,
                        "chair_title": h.meeting.chair_title,
                        "recorder": h.meeting.recorder.name,
                        "recorder_stand_in": h.meeting.recorder_stand_in,
                        "should_attend": h.meeting.should_attend,
                        "attended": h.meeting.attended,
                        "yes": h.meeting.yes,
                        "no": h.meeting.no,
                        "abstain": h.meeting.abstain,
                        "passed": h.meeting.passed,
                        # 已退回 / 已撤回, or "": the meeting still stands.
                        "undone": h.mark,
                        "corrections": [
                            {
                                "original": fix.original,
                                "held_on": fix.held_on,
                                "reason": fix.reason,
                                "requested_by": fix.requested_by,
                                "approver": fix.approver,
                            }
                            for fix in h.corrections
                        ],
                    }
                    for h in record["meetings"]
                ],
                "amends": [
                    {
                        "on": entry.on,
                        "action": entry.title,
                        "actor": entry.actor,
                        "role": entry.role,
                        "detail": entry.detail,
                    }
                    for entry in record["amends"]
                ],
                "progress": [{"on": p.on, "text": p.text} for p in record["progress"]],
                "acknowledgements": [
                    {"channel": a.channel, "on": a.on} for a in record["acknowledgements"]
                ],
                "notices": [
                    {"id": n.pk, "kind": n.kind, "status": n.status} for n in record["notices"]
                ],
                "households_read": record["read_count"],
            }
        )


class MatterStep(APIView):
    """办理一个步骤；被规则拒绝时返回 {code, message, citation}。"""

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="MatterStepBody",
            serializers=[s() for s in step_inputs(STEP_INPUTS)],
            resource_type_field_name=None,
        ),
        responses=MatterSerializer,
        parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH, enum=list(STEP_INPUTS))],
    )
    def post(self, request, pk: int, step: str):
        matter = selectors.matter_for(user=request.user, pk=pk)
        if step not in STEP_INPUTS:
            raise NotFound("unknown_step", f"没有“{step}”这个步骤。")
        if request.query_params.get("check") == "1":
            perform(matter, step, request.user, request.data, check_only=True)
            return Response({"ok": True})
        perform(matter, step, request.user, request.data)
        # The matter as it now stands (a step may return another record: the meeting plan).
        return Response(MatterSerializer(selectors.matter_for(user=request.user, pk=pk)).data)
