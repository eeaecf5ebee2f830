"""The demo's October bulletin, end to end (see the other tests for the rules)."""

import io

import pytest
from django.core.management import call_command

from supervision import bulletin, queries
from targets.models import ClosedMonth

pytestmark = pytest.mark.django_db


def test_probe(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("close_months", through="2025-10", stdout=io.StringIO())
    assert ClosedMonth.objects.closed().count() == 10
    from datetime import date

    data = queries.bulletin_data(plan_year=demo, period=date(2025, 10, 1))
    content = bulletin.build(data, number=7)
    open("/tmp/supm/oct.docx", "wb").write(content)
    print(bulletin.document_text(content))
