"""Notice endpoints for staff: parse, call one selector or service, serialise."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.publicity import selectors, services
from workflows.notices import NoticeStatus

from .serializers import (
    FindingSerializer,
    NoticeSerializer,
    ObjectionSerializer,
    VerificationSerializer,
    WithdrawSerializer,
)


class NoticeList(generics.ListAPIView):
    """本人管理范围内的公示，待办反映多的在前。"""

    serializer_class = NoticeSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=NoticeStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.notices_for(
            user=self.request.user, status=self.request.query_params.get("status")
        )


class NoticeDetail(generics.RetrieveAPIView):
    serializer_class = NoticeSerializer

    def get_object(self):
        return selectors.notice_for(user=self.request.user, pk=self.kwargs["pk"])


class NoticePublish(APIView):
    """发布公示：公示期自发布日起按规则计算。"""

    @extend_schema(request=None, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = selectors.notice_for(user=request.user, pk=pk)
        notice = services.notice_publish(actor=request.user, notice=notice)
        return Response(NoticeSerializer(notice).data)


class NoticeWithdraw(APIView):
    """撤回公示（须说明原因）。"""

    @extend_schema(request=WithdrawSerializer, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = selectors.notice_for(user=request.user, pk=pk)  # first: 404 out of scope
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.notice_withdraw(actor=request.user, notice=notice, **data.validated_data)
        return Response(NoticeSerializer(notice).data)


class NoticeObjections(generics.ListAPIView):
    """某公示收到的反映。"""

    serializer_class = ObjectionSerializer
    pagination_class = None

    def get_queryset(self):
        notice = selectors.notice_for(user=self.request.user, pk=self.kwargs["pk"])
        return notice.objections.select_related("notice__village")


class ObjectionVerification(APIView):
    """登记核查情况（乡镇党委）。"""

    @extend_schema(request=VerificationSerializer, responses=ObjectionSerializer)
    def post(self, request, pk: int):
        objection = selectors.objection_for(user=request.user, pk=pk)
        data = VerificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_start_verification(
            actor=request.user, objection=objection, **data.validated_data
        )
        return Response(ObjectionSerializer(objection, context={"request": request}).data)


class ObjectionFinding(APIView):
    """登记核查结论：属实、不属实或部分属实（乡镇党委）。"""

    @extend_schema(request=FindingSerializer, responses=ObjectionSerializer)
    def post(self, request, pk: int):
        objection = selectors.objection_for(user=request.user, pk=pk)
        data = FindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_resolve(
            actor=request.user, objection=objection, **data.validated_data
        )
        return Response(ObjectionSerializer(objection, context={"request": request}).data)
