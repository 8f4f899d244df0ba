"""Village matter endpoints: list (overdue first), register, read the record. A matter's
steps are the generic subject's (`/api/s/matters/{id}/steps/{step}/`, portal/api/subjects.py)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.village import selectors, services
from procedures.village.steps import Category, Status

from ..surfaces.params import positive_int
from ..surfaces.step_inputs import id_field, invalid_input


class RegisterInput(serializers.Serializer):
    village = id_field(label="行政村")
    title = serializers.CharField(max_length=200, label="事项")
    category = serializers.ChoiceField(choices=Category.choices, label="类别")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, label="内容"
    )


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
