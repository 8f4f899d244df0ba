from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import cases, delegations, matters, notices, subjects, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file: the page needs no inline script (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="portal/api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("people/", views.PersonList.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person"),
    path("organisations/", views.OrganisationList.as_view(), name="organisations"),
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("delegations/", delegations.DelegationList.as_view(), name="delegations"),
    path("delegations/<int:pk>/end/", delegations.DelegationEnd.as_view(), name="delegation_end"),
    path("cases/import/", cases.CaseBackfill.as_view(), name="case_import"),
    path("cases/<int:pk>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<int:pk>/timeline/", cases.CaseTimeline.as_view(), name="case_timeline"),
    path("cases/<int:pk>/projection/", cases.CaseProjection.as_view(), name="case_projection"),
    path("cases/<int:pk>/events/", cases.CaseEvents.as_view(), name="case_events"),
    path("matters/", matters.MatterList.as_view(), name="matters"),
    path("matters/<int:pk>/", matters.MatterDetail.as_view(), name="matter"),
    path("notices/", notices.NoticeList.as_view(), name="notices"),
    path("notices/<int:pk>/", notices.NoticeDetail.as_view(), name="notice"),
    path("notices/<int:pk>/publish/", notices.NoticePublish.as_view(), name="notice_publish"),
    path("notices/<int:pk>/withdraw/", notices.NoticeWithdraw.as_view(), name="notice_withdraw"),
    path(
        "notices/<int:pk>/objections/", notices.NoticeObjections.as_view(), name="notice_objections"
    ),
    path(
        "objections/<int:pk>/verification/",
        notices.ObjectionVerification.as_view(),
        name="objection_verification",
    ),
    path(
        "objections/<int:pk>/finding/", notices.ObjectionFinding.as_view(), name="objection_finding"
    ),
    # Any subject a procedure registers (portal/surfaces/).
    path("s/<slug:key>/<int:pk>/", subjects.SubjectDetail.as_view(), name="subject"),
    path(
        "s/<slug:key>/<int:pk>/steps/<str:step>/",
        subjects.SubjectStep.as_view(),
        name="subject_step",
    ),
]
