"""The Content-Security-Policy: on every response, strict, and allowing exactly the
<style> elements the served plotly.js inserts (by the hash of their text).

The browser tests (tests/browser/, run with REQUIRE_SERVICES=1 in CI) check that no
page violates it: a violation is a console error there.
"""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver

from org.models import Role
from tests import factories as f

CHART_SCRIPTS = Path(settings.BASE_DIR) / "templates" / "targets" / "_chart_scripts.html"
JS_STRING = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
# After plotly.js creates a <style>, the text it gives it: an empty text node
# (rules then go in through CSSOM, which the policy does not restrict) or a
# textContent assignment (a bundled library's stylesheet, e.g. maplibre's).
STYLE_TEXT = re.compile(
    rf"createElement\(\"style\"\)(?:(?!createElement).){{0,300}}?"
    rf"(?:createTextNode\((?P<node>{JS_STRING})\)|\.textContent=(?P<content>{JS_STRING}))",
    re.DOTALL,
)


# Style attributes plotly.js sets to a constant text (d3's .attr("style", "...")).
STYLE_ATTRIBUTE = re.compile(rf"\.attr\(\"style\",(?P<value>{JS_STRING})\)")


def served_plotly() -> Path:
    """The plotly.js file the chart pages load (the path their template names)."""
    name = re.search(r"static '([^']*plotly[^']*\.js)'", CHART_SCRIPTS.read_text())[1]
    found = finders.find(name)
    assert found, f"{name} is not among the static files"
    return Path(found)


def js_string_value(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)",
        lambda m: (
            chr(int(m[1][1:], 16))
            if m[1][0] in "ux" and len(m[1]) > 1
            else {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1])
        ),
        body,
    )


def csp_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def plotly_style_hashes() -> set[str]:
    source = served_plotly().read_text(encoding="utf-8")
    texts = [js_string_value(m["node"] or m["content"]) for m in STYLE_TEXT.finditer(source)]
    creations = source.count('createElement("style")')
    assert len(texts) == creations, "a <style> plotly.js creates whose text was not found"
    return {csp_hash(text) for text in texts}


def plotly_style_attribute_hashes() -> set[str]:
    source = served_plotly().read_text(encoding="utf-8")
    return {csp_hash(js_string_value(m["value"])) for m in STYLE_ATTRIBUTE.finditer(source)}


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_js_string_values_are_read_like_javascript():
    assert js_string_value(r"'a\'b\\c\u0041\n'") == "a'b\\cA\n"
    assert csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def test_the_policy_allows_exactly_the_styles_the_served_plotly_inserts():
    needed = plotly_style_hashes()
    allowed = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"])
    assert allowed - {"'self'"} == needed, (
        "set PLOTLY_STYLE_HASHES in zhongyuan/settings.py to " + repr(sorted(needed))
    )


def test_the_policy_allows_exactly_the_constant_style_attributes_plotly_sets():
    """Only empty ones: 'unsafe-hashes' with the empty string's hash, nothing else."""
    needed = plotly_style_attribute_hashes()
    allowed = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-attr"])
    assert allowed - {"'unsafe-hashes'"} == needed, (
        "set PLOTLY_STYLE_ATTRIBUTE_HASHES in zhongyuan/settings.py to " + repr(sorted(needed))
    )


def test_the_policy_is_strict(client, db):
    directives = policy(client.get("/login/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["style-src-attr"] == ["'unsafe-hashes'", csp_hash("")]
    for values in directives.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values
        assert "*" not in values


def every_url(demo) -> list[str]:
    """Every URL of the site, with the demo's ids filled in where the route is known
    (an unknown one gets id 1: whatever it answers, 404 included, carries the policy)."""
    from projects.models import KeyProject
    from targets.models import Evidence, Programme, Target

    target = Target.objects.get(code="8.1", programme__plan_year=demo)
    entry = target.entries.order_by("period").first()
    project = KeyProject.objects.order_by("pk").first()
    progress = project.progress.order_by("period").first()
    evidence = Evidence.objects.first()
    values = {
        "target_id": target.pk,
        "subject_id": target.pk,
        "project_id": project.pk,
        "number": Programme.objects.get(plan_year=demo, number=3).number,
        "period": "2025-10",
    }
    by_name = {
        "reporting:review_target": [entry.pk],
        "reporting:review_project": [progress.pk],
        "reporting:evidence": [evidence.pk if evidence else 1],
        "reporting:evidence_delete": [evidence.pk if evidence else 1],
        "targets:target": [target.pk],
        "projects:detail": [project.pk],
    }

    urls = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the admin is below, by its index
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), space)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}{pattern.name}"
                args = iter(by_name.get(name, []))

                def fill(match, args=args):
                    key = match[1].split(":")[-1]
                    return str(values[key]) if key in values else str(next(args, 1))

                urls.append("/" + re.sub(r"<([^>]+)>", fill, route))

    walk(get_resolver().url_patterns, "", "")
    return [*urls, "/admin/", "/admin/targets/target/", "/no-such-page/"]


@pytest.mark.parametrize("role", [None, Role.STAFF, Role.REVIEWER, Role.LEADER, Role.ADMIN])
def test_every_page_carries_the_policy(demo, client, role):
    if role is not None:
        department = demo.programmes.get(number=8).targets.get(code="8.1").lead_department
        user = f.user(f"csp-{role}", role, department if role == Role.STAFF else None)
        client.force_login(user)
    for url in every_url(demo):
        response = client.get(url)
        assert "Content-Security-Policy" in response.headers, (url, response.status_code)
        assert response.status_code != 500, url


def test_refusals_before_any_view_carry_the_policy_too(client, db, settings):
    settings.MAX_REQUEST_BYTES = 10
    response = client.post("/login/", {"username": "x" * 50})
    assert response.status_code == 413
    assert "Content-Security-Policy" in response.headers
    response = client.get("/?department=%00")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


INLINE = re.compile(r"\sstyle=|<style|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=", re.IGNORECASE)


def test_no_template_the_site_renders_has_inline_style_or_script():
    """Ours, and the installed apps' that are not overridden by ours (the admin,
    simple_history, django-tables2 …): the policy would refuse what these patterns find.
    ``<script type="application/json">`` (json_script: data, never run) is allowed."""
    from django.template import engines

    engine = engines["django"].engine
    seen: dict[str, Path] = {}
    for loader in engine.template_loaders:
        for directory in loader.get_dirs():
            for path in Path(directory).rglob("*.html"):
                seen.setdefault(str(path.relative_to(directory)), path)
    offending = []
    for name, path in sorted(seen.items()):
        for match in INLINE.finditer(path.read_text(encoding="utf-8")):
            if "application/json" in match[0]:
                continue
            offending.append(f"{name}: {match[0]!r}")
    # The admin's change list writes a <style> only for a model admin without any
    # actions bar (actions_on_top and actions_on_bottom both off): ours have one.
    assert offending == ["admin/change_list.html: '<style'"]
    for model, model_admin in admin.site._registry.items():
        assert model_admin.actions_on_top or model_admin.actions_on_bottom, model
