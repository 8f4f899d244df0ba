"""委托 endpoints: the delegations of the branches in the user's scope; record one; end one."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.people import delegations
from workflows.errors import ProcedureError

from ..surfaces.step_inputs import id_field, invalid_input


class DelegationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    branch = serializers.IntegerField(source="organisation_id")
    branch_name = serializers.CharField(source="organisation.name")
    principal = serializers.CharField(source="principal.name")
    delegate = serializers.CharField(source="delegate.name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    ended_on = serializers.DateField()
    reason = serializers.CharField()


class DelegationInput(serializers.Serializer):
    branch = id_field(label="党支部")
    delegate = id_field(label="受托人")
    starts_on = serializers.DateField(label="起始日期")
    ends_on = serializers.DateField(label="截止日期")
    reason = serializers.CharField(max_length=300, allow_blank=True, label="事由")


class EndInput(serializers.Serializer):
    ended_on = serializers.DateField(label="提前结束日期")


MSG_BRANCH = "请选择您可以登记委托的党支部及其副书记或第一书记。"


class DelegationList(APIView):
    """职责委托（本人管理范围内的党支部）；POST 登记书记的委托。"""

    @extend_schema(responses=DelegationSerializer(many=True))
    def get(self, request):
        return Response(DelegationSerializer(delegations.visible(request.user), many=True).data)

    @extend_schema(request=DelegationInput, responses={201: DelegationSerializer})
    def post(self, request):
        data = DelegationInput(data=request.data)
        if not data.is_valid():
            raise invalid_input(data)
        values = data.validated_data
        found = delegations.recordable_branch(request.user, values["branch"])
        delegate = found and next((p for p in found[2] if p.pk == values["delegate"]), None)
        if not delegate:
            raise ProcedureError("delegation_branch", MSG_BRANCH)
        branch, secretary, _deputies = found
        delegation = delegations.delegation_record(
            actor=request.user, branch=branch, principal=secretary, delegate=delegate,
            starts_on=values["starts_on"], ends_on=values["ends_on"], reason=values["reason"],
        )  # fmt: skip
        return Response(DelegationSerializer(delegation).data, status=201)


class DelegationEnd(APIView):
    """书记提前返岗：委托提前结束。"""

    @extend_schema(request=EndInput, responses=DelegationSerializer)
    def post(self, request, pk: int):
        delegations.delegation_for(request.user, pk)  # out of scope: not found, whatever the body
        data = EndInput(data=request.data)
        if not data.is_valid():
            raise invalid_input(data)
        delegation = delegations.delegation_end(
            actor=request.user, delegation_id=pk, ended_on=data.validated_data["ended_on"]
        )
        return Response(DelegationSerializer(delegation).data)
