"""Panels a higher app adds to a lower app's page (workflow.panels)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from workflow import panels


@pytest.fixture
def registered():
    seen = []

    def context(request, obj):
        seen.append(obj)
        return None if obj == "hide" else {"word": f"督办{obj}"}

    panels.register("target", panels.Panel("test-b", "workflow/test_panel.html", context, 20))
    panels.register("target", panels.Panel("test-a", "workflow/test_panel.html", context, 10))
    yield seen
    panels.unregister("target", "test-a")
    panels.unregister("target", "test-b")


def test_panels_render_in_order_and_hide_when_asked(registered, tmp_path, settings):
    (tmp_path / "workflow").mkdir()
    (tmp_path / "workflow" / "test_panel.html").write_text("[{{ word }}]", encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    request = RequestFactory().get("/")
    page = Template('{% load panels %}{% page_panels "target" obj %}')
    assert page.render(Context({"request": request, "obj": 7})) == "[督办7][督办7]"
    assert page.render(Context({"request": request, "obj": "hide"})) == ""
    assert registered == [7, 7, "hide", "hide"]


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown panel slot"):
        panels.register("targte", panels.Panel("x", "x.html", lambda r, o: {}))
