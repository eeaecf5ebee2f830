"""Filters of the key-project list (django-filter)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from org.models import Department
from projects.models import Category, KeyProject, Stage
from targets.models import PlanYear

YES_NO = [("yes", "是"), ("no", "否")]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "项目编号或名称"}),
    )
    programme = django_filters.ModelChoiceFilter(
        label="所属工程", queryset=None, empty_label="全部工程"
    )
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部阶段")
    lead_department = django_filters.ModelChoiceFilter(
        label="责任单位", queryset=None, empty_label="全部单位"
    )
    category = django_filters.ChoiceFilter(
        label="类别", choices=Category.choices, empty_label="全部类别"
    )
    leading_industry = django_filters.ChoiceFilter(
        label="主导产业项目", choices=YES_NO, method="yes_no", empty_label="全部"
    )
    national_reserve = django_filters.ChoiceFilter(
        label="纳入国家重大项目库",
        choices=YES_NO,
        method="in_reserve",
        empty_label="全部",
    )

    class Meta:
        model = KeyProject
        fields: list[str] = []

    def __init__(self, *args: Any, plan_year: PlanYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["programme"].queryset = plan_year.programmes.order_by("number")
        self.filters["lead_department"].queryset = Department.objects.filter(
            pk__in=KeyProject.objects.for_plan_year(plan_year).values("lead_department")
        )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def yes_no(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{name: value == "yes"})

    def in_reserve(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(national_reserve_on__isnull=value != "yes")
