"""Member development endpoints: list and filter cases, open one or bring one in from paper,
read its timeline, projection and audit events. A case's steps, thought reports and
materials are the generic subject's (`/api/s/cases/{id}/steps/{step}/`,
portal/api/subjects.py). Refusals answer {code, message, citation}."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.membership import declaration, projection, selectors, services
from procedures.membership.models import Case
from procedures.membership.services.backfill import case_enter_existing
from procedures.membership.steps import CHECKLIST, STAGES, Status
from procedures.people import selectors as people_selectors
from workflows.errors import ProcedureError

from ..surfaces import step_inputs as adapter
from ..surfaces.params import positive_int
from ..surfaces.step_inputs import id_field, invalid_input
from .schema import step_inputs

# The steps, as member development declares them: {code: (body serializer, perform)}; and
# the thought report or assessment, as it declares it too.
STEP_INPUTS = adapter.table("Case", declaration.STEP_INPUTS)
ObservationInput = adapter.serializer_for("Case", declaration.RECORD_INPUTS["observe"])


class OpenCaseInput(serializers.Serializer):
    person = id_field(label="申请人")
    branch = id_field(label="党支部")
    applied_on = serializers.DateField(label="递交申请书日期")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="说明"
    )


class CaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name")
    branch_name = serializers.CharField(source="branch.name")
    status_label = serializers.CharField(source="get_status_display")
    stage = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "person_name",
            "branch",
            "branch_name",
            "rulebook",
            "variant",
            "status",
            "status_label",
            "stage",
            "applied_on",
            "talked_on",
            "activist_on",
            "candidate_on",
            "pre_reviewed_on",
            "admitted_on",
            "approved_on",
            "oath_on",
            "probation_ends_on",
            "probation_extended",
            "conversion_voted_on",
            "converted_on",
            "closed_on",
            "closed_reason",
        ]

    def get_stage(self, case) -> int | None:
        return selectors.stage_of(case.status)


class CaseList(generics.ListCreateAPIView):
    """案卷列表（本人管理范围）；POST 以入党申请书建档。"""

    serializer_class = CaseSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("branch", int),
            OpenApiParameter("township", int),
            OpenApiParameter("stage", int, enum=list(STAGES)),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("overdue", bool, description="只列出当前步骤已超期的案卷"),
        ]
    )
    def get(self, request, *args, **kwargs):
        if request.query_params.get("overdue") in ("1", "true"):
            # Paginated like every other list: a page of the overdue cases, with the count.
            page = self.paginate_queryset(selectors.overdue_only(self.get_queryset()))
            return self.get_paginated_response(CaseSerializer(page, many=True).data)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.cases_for(
            user=self.request.user,
            branch_id=positive_int(params.get("branch")),
            township_id=positive_int(params.get("township")),
            stage=positive_int(params.get("stage")),
            status=params.get("status"),
        )

    @extend_schema(request=OpenCaseInput, responses={201: CaseSerializer})
    def post(self, request, *args, **kwargs):
        data = OpenCaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = people_selectors.person_get(user=request.user, pk=data.validated_data["person"])
        branch = people_selectors.organisation_get(
            user=request.user, pk=data.validated_data["branch"]
        )
        case = services.case_open(
            actor=request.user,
            person=person,
            branch=branch,
            applied_on=data.validated_data["applied_on"],
            note=data.validated_data["note"],
        )
        return Response(CaseSerializer(case).data, status=201)


class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseSerializer

    def get_object(self):
        return selectors.case_for(user=self.request.user, pk=self.kwargs["pk"])


class CaseTimeline(APIView):
    """全程纪实：每一步由谁、以何身份、何时发生、何时录入。"""

    @extend_schema(responses=None)
    def get(self, request, pk: int):
        case = selectors.case_for(user=request.user, pk=pk)
        entries = [
            {
                "on": e.on,
                "entered_at": e.entered_at,
                "kind": e.kind,
                "title": e.title,
                "actor": e.actor,
                "role": e.role,
                "detail": e.detail,
                "late": e.late,
                "outcome": e.outcome,
                # As the matter API's meetings: 已退回 / 已撤回, or "" (it stands), and the
                # corrections of its date, oldest first (`on` is the corrected date).
                "undone": e.mark,
                "corrections": [
                    {
                        "original": fix["old"],
                        "held_on": fix["new"],
                        "reason": fix["reason"],
                        "requested_by": fix.get("requested_by", ""),
                        "approver": fix["approver"],
                    }
                    for fix in e.corrections
                ],
            }
            for e in selectors.timeline(case)
        ]
        missing = services.missing_materials(case)
        return Response({"timeline": entries, "missing_materials": missing})


class CaseProjection(APIView):
    """剩余步骤的最早合法日期和期限（按工作日计算，未公布放假安排的年份标为暂定）。"""

    @extend_schema(responses=None)
    def get(self, request, pk: int):
        case = selectors.case_for(user=request.user, pk=pk)
        return Response([item.as_dict() for item in projection.project(case)])


class CaseEvents(APIView):
    """案卷的审计事件（哈希链）。"""

    @extend_schema(responses=None)
    def get(self, request, pk: int):
        case = selectors.case_for(user=request.user, pk=pk)
        return Response(
            [
                {
                    "sequence": e.sequence,
                    "action": e.action,
                    "actor": e.actor_name,
                    "role": e.role,
                    "act_date": e.act_date,
                    "recorded_at": e.recorded_at,
                    "payload": e.payload,
                    "hash": e.hash,
                    "prev_hash": e.prev_hash,
                }
                for e in selectors.audit_events(case)
            ]
        )


class ImportedMaterialInput(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(CHECKLIST))
    kind = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class _ObservationRecord(ObservationInput):
    record = serializers.CharField(help_text='"observation"：思想汇报或考察意见')


class _MaterialRecord(ImportedMaterialInput):
    record = serializers.CharField(help_text='"material"：档案材料')


def _documented_items() -> PolymorphicProxySerializer:
    """What a history item may be, for the API's documentation: a step's own body (with
    `step` naming it, as the description says), a thought report or an assessment (`record`:
    observation, `kind`: thought_report or assessment), or a material. The view parses each
    item itself (`_history_item`), with the same serializers."""
    return PolymorphicProxySerializer(
        component_name="BackfillItem",
        serializers=[s() for s in step_inputs(STEP_INPUTS)]
        + [_ObservationRecord(), _MaterialRecord()],
        resource_type_field_name=None,
    )


class BackfillInput(OpenCaseInput):
    history = serializers.ListField(child=serializers.DictField(), max_length=200)


class BackfillDocumented(OpenCaseInput):
    """BackfillInput as the documentation shows it: each history item's possible bodies."""

    history = serializers.ListField(child=_documented_items(), max_length=200)


# Besides its steps, a case keeps thought reports, assessments and materials: a case brought
# in from paper brings them too, each with its original date, through the same services.
RECORD_INPUTS = {
    "observation": (
        ObservationInput,
        lambda case_id, d: services.case_observe(case_id=case_id, actor=None, **d),
    ),
    "material": (
        ImportedMaterialInput,
        lambda case_id, d: services.case_add_material(case_id=case_id, actor=None, **d),
    ),
}
MSG_IMPORT_ITEM = (
    "第%(index)d项：应写明步骤（step，如 talk）或记录类型（record：observation、material）。"
)


def _history_item(index: int, item: dict):
    """One item of an imported history as (label, how it is performed on the case)."""
    record, step = item.get("record"), item.get("step")
    if isinstance(record, str) and record in RECORD_INPUTS:
        serializer_class, call = RECORD_INPUTS[record]
        fields = {k: v for k, v in item.items() if k != "record"}
        label = record
    elif record is None and isinstance(step, str) and step in STEP_INPUTS:
        serializer_class, run = STEP_INPUTS[step]
        fields = {k: v for k, v in item.items() if k != "step"}
        label = step

        def call(case_id, d, run=run):
            return run(Case.objects.get(pk=case_id), None, d)
    else:
        raise ProcedureError("unknown_record", MSG_IMPORT_ITEM % {"index": index})
    parsed = serializer_class(data=fields)
    if not parsed.is_valid():
        error = invalid_input(parsed)
        error.message = f"第{index}项（{label}）：{error.message}"
        raise error
    return label, lambda case_id: call(case_id, parsed.validated_data)


class CaseBackfill(APIView):
    """补录在途案卷：按时间顺序列出已办的事项，每项为一个步骤 {"step": ..., ...该步骤的字段}，
    或一条记录 {"record": "observation", "kind": "thought_report"（思想汇报）或 "assessment"
    （半年一次的考察意见）, "on", "summary"}、{"record": "material", "step", "kind", "title"}
    （档案材料）；会议未通过的步骤加 "record_failure": true。确定发展对象前须有考察意见；
    这与 Excel 导入“办理记录”表的事项是同一组。逐项按与在线办理相同的规则校验，一项不通过
    则全部不录入。"""

    @extend_schema(request=BackfillDocumented, responses={201: CaseSerializer})
    def post(self, request):
        data = BackfillInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = people_selectors.person_get(user=request.user, pk=data.validated_data["person"])
        branch = people_selectors.organisation_get(
            user=request.user, pk=data.validated_data["branch"]
        )
        history = [
            _history_item(index, item)
            for index, item in enumerate(data.validated_data["history"], start=1)
        ]
        case = case_enter_existing(
            actor=request.user,
            person=person,
            branch=branch,
            applied_on=data.validated_data["applied_on"],
            history=history,
        )
        return Response(CaseSerializer(case).data, status=201)
