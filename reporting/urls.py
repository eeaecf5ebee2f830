from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("report/", views.my_month, name="my_month"),
    path("review/", views.review_queue, name="review"),
    path("review/missing/", views.missing_reports, name="missing"),
]
