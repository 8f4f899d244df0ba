from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("t/<int:pk>/", views.township, name="township"),
    path("v/<int:pk>/", views.village, name="village"),
    path("v/<int:pk>/qr.svg", views.qr_village, name="village_qr"),
    path("n/<int:pk>/", views.notice, name="notice"),
    path("n/<int:pk>/qr.svg", views.qr_notice, name="notice_qr"),
    path("n/<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("n/<int:pk>/concern/", views.concern, name="concern"),
    path("n/<int:pk>/read/", views.read, name="read"),
    path("receipt/", views.receipt, name="receipt"),
    path("elder/<str:state>/", views.elder_mode, name="elder"),
    path("audit/", views.audit_heads, name="audit_heads"),
    path("audit/<str:day>.json", views.audit_heads_file, name="audit_heads_file"),
]
