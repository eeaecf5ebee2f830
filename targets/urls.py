from django.urls import path

from targets.views import dashboard

app_name = "targets"

urlpatterns = [
    # Leader dashboards
    path("", dashboard.overview, name="overview"),
]
