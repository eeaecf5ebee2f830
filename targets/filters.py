"""The filtered target list's parameters (django-filter): ``?status=`` and
``?programme=``, as every count on the overview and programme pages links them."""

from collections.abc import Iterable

import django_filters

from targets.models import Programme, Status


class TargetListFilter(django_filters.FilterSet):
    """Filters rows of ``queries.targets_at`` (``status`` is the snapshot's, annotated)."""

    programme = django_filters.ChoiceFilter(
        label="工程", field_name="programme__number", empty_label="全部工程"
    )
    status = django_filters.ChoiceFilter(
        label="状态", field_name="status", choices=Status.choices, empty_label="全部状态"
    )

    def __init__(self, data=None, *args, programmes: Iterable[Programme] = (), **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.filters["programme"].extra["choices"] = [
            (p.number, f"{p.number}. {p.short_name}") for p in programmes
        ]
