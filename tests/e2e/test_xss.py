"""Acceptance (issue 8): an XSS corpus (script tags, event handlers, `javascript:` URLs, htmx
attributes, template syntax) placed in connector names, tags, descriptions and spec titles,
made through the service layer, then rendered in a real browser on every page that shows
them. No script runs, no injected element exists, and the page shows the text as text.

Each page is loaded twice: with the Content-Security-Policy (no violation may be reported:
every piece of inline code the page holds would be one) and without it (so escaping alone
is what stops the corpus; a slip would run its script).
"""

import json
import re

import pytest
from playwright.sync_api import expect
from ulid import ULID

from dashboard.connect.models import HTTPConnectorUpdate
from dashboard.embedded_api.models import Connector
from tests.connections.conftest import (
    api_key_config,
    make_connection,
    make_connector,
    string_credential,
)
from tests.connectors.conftest import make_connector as make_tagged_connector
from tests.connectors.conftest import other_organisation_client
from tests.e2e.conftest import log_in_with_a_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("api")]

MARK = "pbxss"
# Each would call alert() or set window.pbxss if it ever became markup or script.
CORPUS = [
    f'<script>window.{MARK}="script"</script>',
    # Out of the raw-text elements user text may sit in (<title>, <textarea>).
    f'</title></textarea><script>window.{MARK}="breakout"</script>',
    f'<img src=x onerror=alert("{MARK}-img")>',
    f'"><svg onload=alert("{MARK}-svg")>',
    f"'><details open ontoggle=alert('{MARK}-details')>",
    f"<a href=\"javascript:alert('{MARK}-link')\">{MARK} link</a>",
    f'<button hx-get="/logout/" hx-trigger="load">{MARK} htmx</button>',
    f'<div hx-on::load="alert(\'{MARK}-hx-on\')" hx-get="/" hx-trigger="load">{MARK}</div>',
    f'<div hx-vals=\'js:{{a: alert("{MARK}-vals")}}\' hx-post="/" hx-trigger="load">x</div>',
    f"{{{{ {MARK} }}}} {{% now 'Y' %}} ${{alert('{MARK}')}}",
]
JAVASCRIPT_URL = f"javascript:alert('{MARK}-url')"

# What the browser sees, per page, if anything in the corpus became live.
FIND_LIVE_CODE = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (/^(data-)?(on|hx-on)/.test(name)) found.push(`${el.tagName} ${name}`);
      if (/^(href|src|action|formaction|hx-(get|post|put|patch|delete))$/.test(name)
          && value.startsWith('javascript:')) found.push(`${el.tagName} ${name}=${value}`);
      if (/^(data-)?hx-(vals|headers|vars)$/.test(name)
          && (value.startsWith('js:') || value.startsWith('javascript:')
              || value.includes('MARK'))) found.push(`${el.tagName} ${name}=${value}`);
      if (/^(data-)?hx-trigger$/.test(name) && value.includes('load')
          && el.textContent.includes('MARK')) found.push(`${el.tagName} ${name}`);
    }
    if (el.tagName === 'SCRIPT' && !el.src) found.push('inline SCRIPT');
  }
  for (const selector of ['img[src="x"]', 'svg[onload]', 'details[ontoggle]']) {
    if (document.querySelector(selector)) found.push(selector);
  }
  return found;
}
""".replace("MARK", MARK)


def spec(title: str, text: str) -> bytes:
    """An OpenAPI document whose title, descriptions, summaries and documentation URL are
    hostile."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
    return json.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": title, "version": "1.0", "description": text},
            "externalDocs": {"url": JAVASCRIPT_URL},
            "servers": [{"url": "https://pets.example.com/v1"}],
            "components": {
                "securitySchemes": {
                    "key": {"type": "apiKey", "name": "X-Key", "in": "header", "description": text}
                },
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "description": text,
                        "properties": {"name": {"type": "string", "description": text}},
                    }
                },
            },
            "paths": {
                "/pets": {
                    "get": {
                        "operationId": "listPets",
                        "summary": text,
                        "description": text,
                        "responses": {"200": {"description": text, "content": content}},
                    }
                }
            },
        }
    ).encode()


def tag_key(text: str) -> str:
    """Tag keys cannot hold ':' or ',' (they separate tags in filters); values no ','."""
    return re.sub(r"[:,]", "", text)[:100]


@pytest.fixture
def hostile(api) -> list[str]:
    """Connectors, tags, auth scheme and version descriptions, connections and credentials
    named from the corpus; connectors imported from specs titled from it; a public one in
    another organisation for the library. Returns the pages that show them."""
    pages = ["/", "/connectors/", "/library/", "/credentials/", "/audit/"]
    for index, text in enumerate(CORPUS):
        config = api_key_config(description=text)
        connector = make_connector(api, text, configs=[config])
        api.connectors.update(
            HTTPConnectorUpdate(
                id=connector.id,
                organisation_id=connector.organisation_id,
                name=text,
                base_url="https://acme.example",
                tags={tag_key(text): [text.replace(",", "")], "kind": [text.replace(",", "")]},
            )
        )
        # The embedded API refuses script URLs; an upstream Connect API might not.
        Connector.objects.filter(pk=connector.id).update(
            documentation_url=JAVASCRIPT_URL, image_url=JAVASCRIPT_URL
        )
        connection = make_connection(api, connector, text, action=[string_credential(config, text)])
        base = f"/connectors/{connector.id}"
        pages += [f"{base}/", f"{base}/edit/", f"{base}/auth-schemes/", f"{base}/connections/"]
        pages += [
            f"{base}/connections/{connection.id}/",
            f"{base}/connections/{connection.id}/edit/",
        ]
        if index % 3 == 0:
            imported = api.imports.create(spec(text, text), f"{index}.json").connector
            version = imported.versions[0].name
            at = f"/connectors/{imported.id}/versions/{version}"
            pages += [f"/connectors/{imported.id}/", f"/connectors/{imported.id}/versions/"]
            pages += [f"{at}/", f"{at}/actions/listPets/", f"{at}/definitions/"]
    other = other_organisation_client()
    try:
        for text in CORPUS:
            make_tagged_connector(
                other, text, public=True, tags={tag_key(text): [text.replace(",", "")]}
            )
    finally:
        other.close()
    return pages


def watch(page) -> dict[str, list[str]]:
    """Dialogs opened, CSP violations reported and uncaught script errors, from now on."""
    seen: dict[str, list[str]] = {"dialogs": [], "violations": [], "errors": []}

    def dialog(opened) -> None:
        seen["dialogs"].append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.expose_function("reportViolation", lambda text: seen["violations"].append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`))"
    )
    return seen


# One round trip per page for what `assert_inert` asks of it (85 pages, twice).
INSPECT = f"""
() => ({{
  shown: document.documentElement.outerHTML.includes('{MARK}'),
  ran: typeof window.{MARK},
  live: ({FIND_LIVE_CODE.strip()})(),
}})
"""


def assert_inert(page, path: str, seen: dict[str, list[str]]) -> None:
    page.goto(path)
    found = page.evaluate(INSPECT)
    assert found["shown"], f"{path} does not show the corpus"
    assert found["ran"] == "undefined", path
    assert seen == {"dialogs": [], "violations": [], "errors": []}, path
    assert found["live"] == [], path


@pytest.mark.parametrize("csp", ["with CSP", "without CSP"])
def test_the_corpus_is_shown_as_text_and_never_runs(browser, live_server, hostile, csp):
    from django.contrib.auth import get_user_model

    from dashboard.accounts.roles import ADMIN, assign_role

    user = get_user_model().objects.create_user("ada", password="correct-horse-battery")
    assign_role(user, ADMIN)
    context = browser.new_context(base_url=live_server.url, bypass_csp=csp == "without CSP")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        seen = watch(page)
        log_in_with_a_session(page, user, live_server.url)

        for path in hostile:
            assert_inert(page, path, seen)
        # The list's own text shows the corpus verbatim, template syntax included.
        page.goto("/connectors/")
        expect(page.locator("#connector-results")).to_contain_text(CORPUS[0])
        expect(page.locator("#connector-results")).to_contain_text(CORPUS[-1])
    finally:
        context.close()


def test_a_spec_title_from_the_corpus_is_inert_in_the_import_preview(logged_in_page):
    page = logged_in_page
    seen = watch(page)
    page.goto("/connectors/new/import/")
    for index, text in enumerate(CORPUS):
        page.get_by_label("OpenAPI document").set_input_files(
            {"name": f"{ULID()}.json", "mimeType": "application/json", "buffer": spec(text, text)}
        )
        page.get_by_role("button", name="Preview").click()
        expect(page.locator(".import-preview")).to_contain_text(text)
        assert page.evaluate(FIND_LIVE_CODE) == [], index
        assert page.evaluate(f"typeof window.{MARK}") == "undefined"
        assert seen == {"dialogs": [], "violations": [], "errors": []}, index
