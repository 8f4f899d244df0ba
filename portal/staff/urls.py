from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    cases,
    delegations,
    imports,
    matters,
    notices,
    notifications,
    statistics,
    subjects,
    views,
)

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("overview/<int:pk>/", views.overview_cell, name="overview_cell"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/plans/", statistics.plans_page, name="plans"),
    path("statistics/plans/<int:pk>/<int:year>/", statistics.plan_edit, name="plan"),
    path("statistics/life/", statistics.life_page, name="life_statistics"),
    path("statistics/report/", statistics.report_page, name="report"),
    path("statistics/ledger.xlsx", statistics.ledger_export, name="development_ledger"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people_list, name="people"),
    path("people/import/", imports.people_import, name="people_import"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/personal-data/", views.person_personal_data, name="person_personal_data"),
    path("inbox/", cases.inbox, name="inbox"),
    path("delegations/", delegations.delegation_list, name="delegations"),
    path("delegations/new/", delegations.delegation_new, name="delegation_new"),
    path("delegations/<int:pk>/end/", delegations.delegation_end, name="delegation_end"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/<int:pk>/read/", notifications.read, name="notification_read"),
    path("deliveries/<int:pk>/retry/", notifications.retry, name="delivery_retry"),
    path("cases/", cases.case_list, name="cases"),
    # A case's page, steps and records are the generic subject's (below); its old address
    # leads there.
    path("cases/<int:pk>/", cases.case_page, name="case"),
    path("cases/<int:pk>/chart.svg", cases.case_chart, name="case_chart"),
    path("matters/", matters.matter_list, name="matters"),
    path("matters/new/", matters.matter_new, name="matter_new"),
    path("matters/<int:pk>/", matters.matter_page, name="matter"),
    path("matters/<int:pk>/slips/", matters.matter_slips, name="matter_slips"),
    path(
        "matters/<int:pk>/meetings/<int:meeting>.<slug:fmt>",
        matters.matter_minutes,
        name="matter_minutes",
    ),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/publish/", notices.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/withdraw/", notices.notice_withdraw, name="notice_withdraw"),
    path("objections/<int:pk>/verify/", notices.objection_verify, name="objection_verify"),
    path("objections/<int:pk>/resolve/", notices.objection_resolve, name="objection_resolve"),
    # Any subject a procedure registers (portal/surfaces/).
    path("s/<slug:key>/<int:pk>/", subjects.subject_detail, name="subject"),
    path(
        "s/<slug:key>/<int:pk>/document.<slug:fmt>",
        subjects.subject_document,
        name="subject_document",
    ),
    path(
        "s/<slug:key>/<int:pk>/documents/<slug:name>.<slug:fmt>",
        subjects.subject_named_document,
        name="subject_named_document",
    ),
    path(
        "s/<slug:key>/<int:pk>/files/<int:file_id>/",
        subjects.subject_file,
        name="subject_file",
    ),
    path("s/<slug:key>/<int:pk>/<str:step>/", subjects.subject_step, name="subject_step"),
]
