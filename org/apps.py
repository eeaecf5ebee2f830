from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "单位与账号"
