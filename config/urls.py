from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("portal.staff.urls")),
    path("api/", include("portal.api.urls")),
    path("", include("portal.public.urls")),
]
