"""The Content-Security-Policy (issue 18): every response carries it, it allows no inline
script, the templates need none, and Chromium enforces it.

The browser tests of every app fail on any violation Chromium reports (conftest.py,
`_no_csp_violation`); the browser tests here check that this watch works and that the two
pages built by libraries (the Swagger UI of the API, the 500 page) keep to the policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

import conftest
from dxboard.testing import UrlCase, url_kwargs
from dxboard.tests.test_url_permissions import CASES

PACKAGE = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))
# The PDF of a committee report is drawn by WeasyPrint on the server, never served to a
# browser: its styles are its own business.
NOT_SERVED = {PACKAGE / "committee_reports/templates/committee_reports/document_pdf.html"}
# The 500 page must render when static files cannot be served: its one <style> block is
# allowed by its hash (settings.CONTENT_SECURITY_POLICY).
ERROR_PAGE = PACKAGE / "templates/500.html"


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(header: str, where: str) -> None:
    directives = _directives(header)
    assert directives["default-src"] == ["'self'"], where
    assert directives["script-src"] == ["'self'"], f"{where}: script-src {directives}"
    assert directives["object-src"] == ["'none'"], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["base-uri"] == ["'self'"], where
    assert directives["form-action"] == ["'self'"], where
    # Style attributes only, for ECharts' tooltips (see settings.CONTENT_SECURITY_POLICY).
    assert directives["style-src-attr"] == ["'unsafe-inline'"], where
    for name, values in directives.items():
        if name != "style-src-attr":
            assert "'unsafe-inline'" not in values, f"{where}: {name} allows inline code"
        assert "'unsafe-eval'" not in values, f"{where}: {name} allows eval"


# --- the header -----------------------------------------------------------------------------


GET_CASES = [c for c in CASES if c.method == "get"]


@pytest.mark.parametrize("case", GET_CASES, ids=lambda c: c.name)
def test_every_page_carries_a_strict_policy(case: UrlCase, client: Any, world: Any) -> None:
    """Every GET of the URL configuration (the cases of the URL permission test), as the
    administrator who may open them all, and as an anonymous visitor."""
    url = reverse(case.name, kwargs=url_kwargs(case, world))
    for persona in ("anonymous", "admin"):
        if persona == "admin":
            client.force_login(world.admin)
        response = client.get(url)
        where = f"{persona} GET {url} ({response.status_code})"
        assert "Content-Security-Policy" in response, f"{where}: no Content-Security-Policy"
        _assert_strict(response["Content-Security-Policy"], where)


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",  # 404
        "/feedback/track/?code=%00",  # 400 from the input guard
        "/accounts/login/",
        "/api/v1/docs",
        "/admin/login/",  # Django's admin, outside the URL cases
    ],
)
def test_error_pages_and_the_api_docs_carry_it_too(url: str, client: Any, db: None) -> None:
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html"), url
    _assert_strict(response["Content-Security-Policy"], f"GET {url} ({response.status_code})")


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls(__name__)
def test_the_500_page_carries_it_and_its_style_is_allowed_by_hash(client: Any) -> None:
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    header = response["Content-Security-Policy"]
    _assert_strict(header, "500")
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), flags=re.S)
    assert style, "the 500 page lost its <style>"
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in _directives(header)["style-src"]


# --- the templates --------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def test_the_templates_hold_no_inline_script_handler_or_style() -> None:
    """The policy refuses them, so a template that brings one back breaks its page in the
    browser; this says which template, without a browser."""
    assert len(TEMPLATES) > 50
    found = []
    for template in TEMPLATES:
        if template in NOT_SERVED:
            continue
        text = template.read_text()
        name = template.relative_to(PACKAGE)
        for label, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on*= handler", EVENT_HANDLER),
            ('style="" attribute', STYLE_ATTRIBUTE),
        ):
            found += [f"{name}: {label}: {m.group(0)[:80]!r}" for m in pattern.finditer(text)]
        if template != ERROR_PAGE and STYLE_ELEMENT.search(text):
            found.append(f"{name}: <style> element")
    assert not found, "\n".join(found)


def test_the_template_check_sees_what_it_must() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search("<script src=\"{% static 'x.js' %}\"></script>")
    assert EVENT_HANDLER.search('<select name="x"\n onchange="this.form.submit()">')
    assert not EVENT_HANDLER.search('<a href="/?mention=1">')
    assert STYLE_ATTRIBUTE.search('<div class="card" style="max-width: 40rem">')
    assert not STYLE_ATTRIBUTE.search('<div class="dx-max-w-40" data-style="x">')


# --- in Chromium ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_refuses_inline_script_and_the_tests_notice(page: Any, world: Any) -> None:
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineRan = true";
          document.body.append(script);
          document.body.insertAdjacentHTML(
            "beforeend", '<style>.probe { color: red }</style><p class="probe">x</p>'
          );
        }"""
    )
    assert page.evaluate("window.__inlineRan") is None, "an inline script ran"
    colour = page.eval_on_selector(".probe", "e => getComputedStyle(e).color")
    assert colour != "rgb(255, 0, 0)", "an inline style element applied"
    # The violation events are queued tasks of the page: wait until both have arrived.
    for _ in range(50):
        seen = "\n".join(conftest._csp_violations)
        if "script-src" in seen and "style-src" in seen:
            break
        page.wait_for_timeout(100)
    assert "script-src" in seen, seen
    assert "style-src" in seen, seen
    conftest._csp_violations.clear()  # expected here; any other test fails on them


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_under_the_policy(page: Any, world: Any, screenshot: Any) -> None:
    """Django-ninja's Swagger UI loads its script from static files, not inline: it works
    under the same policy as every page, with no exemption."""
    response = page.goto("/api/v1/docs")
    assert response is not None
    _assert_strict(response.headers["content-security-policy"], "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    # An operation opened: its parameters, schemas and example values are drawn too.
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()
    screenshot("api-docs-csp", full_page=False)


# ECharts' tooltip: the chart's child <div> that is not the drawing (svg) and is shown.
TOOLTIP_TEXT = """el => [...el.querySelectorAll(":scope > div")]
  .filter(d => !d.querySelector("svg, canvas") && d.style.display !== "none")
  .map(d => d.innerText.trim()).join(" | ")"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chart_tooltips_and_heights_work_under_the_policy(
    page: Any, world: Any, screenshot: Any
) -> None:
    """ECharts writes its tooltips as HTML with style attributes (the one reason for
    style-src-attr 'unsafe-inline'); a chart's height set from data-height, also on a panel
    htmx swaps in."""
    from dxboard.evaluation.tests.web_factories import web_programme

    web_programme(public=True)
    page.goto("/dashboard/CT-WEB/?unit=99&period=2024&indicator=CQ-T1")
    ranking = page.locator("[data-chart=ranking]")
    ranking.locator("svg").wait_for()
    expected = int(ranking.get_attribute("data-height") or 0)
    assert expected > 0
    assert ranking.evaluate("e => e.getBoundingClientRect().height") == expected

    trend = page.locator("[data-chart=trend]")
    trend.scroll_into_view_if_needed()
    box = trend.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(f"() => ({TOOLTIP_TEXT})(document.querySelector('[data-chart=trend]'))")
    assert "Thực hiện" in trend.evaluate(TOOLTIP_TEXT)  # the series names of the hovered year
    screenshot("csp-chart-tooltip", full_page=False)

    # Another indicator through htmx: the swapped-in ranking gets its height as well.
    page.locator(".indicator-link[data-code=NL-T3]").click()
    page.locator("#panel-title", has_text="NL-T3").wait_for()
    swapped = page.locator("[data-chart=ranking]")
    if swapped.count():
        height = int(swapped.get_attribute("data-height") or 0)
        assert swapped.evaluate("e => e.getBoundingClientRect().height") == height


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls(__name__)
def test_the_500_page_keeps_its_style_in_chromium(page: Any, screenshot: Any) -> None:
    """Its <style> block is allowed by hash: Chromium applies it and reports nothing."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto("/boom/")
        assert response is not None and response.status == 500
        assert page.locator("h1").inner_text() == "Đã có lỗi ở máy chủ"
        assert page.evaluate("getComputedStyle(document.body).maxWidth") == "640px"
        assert page.eval_on_selector(".code", "e => getComputedStyle(e).fontSize") == "48px"
        screenshot(f"server-error-{width}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_django_admin_works_under_the_policy(page: Any, world: Any, screenshot: Any) -> None:
    """The admin ships its scripts as files (its constants in data- attributes): its list,
    its forms with their date and relation widgets run with no violation."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", world.admin.username)
    page.fill("input[name=password]", conftest.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto("/admin/units/unit/")
    page.locator("#result_list").wait_for()
    page.goto("/admin/accounts/user/add/")
    page.locator("#user_form").wait_for()
    page.goto(f"/admin/units/unit/{world.commune_a.pk}/change/")
    page.locator("#unit_form").wait_for()
    screenshot("admin-unit-change-csp", full_page=False)
