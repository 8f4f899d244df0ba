"""REST endpoints: parse, call one selector, serialise. Errors go through portal.errors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from procedures.people import selectors
from procedures.people.models import Person

from ..surfaces.params import positive_int
from .serializers import OrganisationSerializer, PersonSerializer


class PersonList(generics.ListAPIView):
    """人员列表（仅限本人管理范围，证件号码和电话已脱敏）。"""

    serializer_class = PersonSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", int, description="所属组织"),
            OpenApiParameter("standing", str, enum=Person.Standing.values, description="政治面貌"),
            OpenApiParameter("q", str, description="姓名包含"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        standing = params.get("standing")
        organisation = params.get("organisation")
        return selectors.persons_list(
            user=self.request.user,
            organisation_id=positive_int(organisation),
            standing=standing if standing in Person.Standing.values else None,
            query=params.get("q", "")[:50],
        )


class PersonDetail(generics.RetrieveAPIView):
    """单个人员（脱敏）。不在管理范围内的人员返回404。"""

    serializer_class = PersonSerializer

    def get_object(self):
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])


class OrganisationList(generics.ListAPIView):
    """本人管理范围内的组织。"""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return selectors.organisations_list(user=self.request.user)
