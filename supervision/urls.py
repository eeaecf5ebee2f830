from django.urls import path

from supervision.views import month

app_name = "supervision"

urlpatterns: list = [
    # --- the month: closing, 通报 (sup-month) ---
    path("months/", month.months, name="months"),
    path("months/<str:month>/close/", month.close, name="month_close"),
    path("months/<str:month>/reopen/", month.reopen, name="month_reopen"),
    path("bulletins/", month.bulletins, name="bulletins"),
    path("bulletins/generate/", month.generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/download/", month.download, name="bulletin_download"),
    path("bulletins/<int:pk>/publish/", month.publish, name="bulletin_publish"),
    # --- end of the month block ---
]
