"""Account URLs, at the site's root (LOGIN_URL is "login")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from org import notice_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/2fa/setup/", views.otp_setup, name="otp_setup"),
    path("account/2fa/verify/", views.otp_verify, name="otp_verify"),
    path("account/import/", views.account_import, name="account_import"),
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/<int:pk>/", notice_views.notice_open, name="notice_open"),
    path("notices/read/", notice_views.notice_read_all, name="notices_read"),
]
