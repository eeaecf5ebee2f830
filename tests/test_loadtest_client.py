"""The load test's browser-like client reads the real pages: the month page's links to
project months, and the entry form's fields, CSRF token and version (bench/loadtest.py
posts back what it parsed, as a browser would)."""

from bench.loadtest import PROJECT_LINK, parse_form
from org.models import Role
from projects.models import KeyProject
from tests import factories as f


def test_the_load_test_finds_and_parses_a_project_entry_form(demo, client):
    project = KeyProject.objects.filter(is_demo=True).order_by("pk").first()
    staff = f.user("load-staff", Role.STAFF, project.lead_department)
    client.force_login(staff)

    links = PROJECT_LINK.findall(client.get("/report/").content.decode())
    assert links
    path = links[0][0]
    form = parse_form(client.get(path).content.decode(), with_button="submit")
    assert form is not None
    assert {"csrfmiddlewaretoken", "version"} <= set(form.fields)
    assert form.numbers  # the investment, typed as a number

    # 1.2345 is more than the demo project's remaining plan: confirmed, as the load
    # test does for every write.
    fields = {
        **form.fields,
        form.numbers[0]: "1.2345",
        "action": "submit",
        "confirm_unusual": "on",
        "unusual_reason": "数值经核实。",
    }
    response = client.post(form.action or path, fields)
    assert response.status_code == 302
