from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    """For the container health check: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("org.urls")),
    path("projects/", include("projects.urls")),
    path("departments/", include("projects.department_urls")),
    path("supervision/", include("supervision.urls")),
    path("", include("reporting.urls")),
    path("", include("targets.urls")),
]
