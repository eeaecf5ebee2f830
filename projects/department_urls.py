from django.urls import path

from projects import views

app_name = "departments"

urlpatterns = [
    path("<int:pk>/", views.department, name="detail"),
]
