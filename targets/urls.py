from django.urls import path

from targets.views import dashboard

app_name = "targets"

urlpatterns = [
    # Leader dashboards
    path("", dashboard.overview, name="overview"),
    path("programmes/<int:number>/", dashboard.programme, name="programme"),
    path("targets/", dashboard.target_list, name="list"),
    path("targets/<int:pk>/", dashboard.target, name="target"),
]
