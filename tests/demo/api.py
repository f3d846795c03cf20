"""Reading the embedded API as the organisation, in process, every response checked against
the contract."""

from django.conf import settings
from django.test import Client

from dashboard.embedded_api.auth import service_token
from tests.embedded_api import contract

API = "/api/connect/v1"


class DemoApi:
    def __init__(self, organisation_id: str | None = None):
        self.org = organisation_id or settings.CONNECT_ORGANISATION_ID
        token = service_token(self.org)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        self.texts: list[str] = []  # every body read, to look for secrets

    def get(self, path: str, **params) -> dict:
        """GET `path` (relative to the organisation unless it starts with `/`)."""
        url = f"{API}{path}" if path.startswith("/") else f"{API}/o/{self.org}/{path}"
        response = self.client.get(url, params)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        if contract.available():
            found = contract.problems("GET", f"http://testserver{url}", 200, body, API)
            assert not found, f"GET {url} breaks the contract:\n" + "\n".join(found)
        self.texts.append(response.content.decode())
        return body

    def all(self, path: str, key: str, **params) -> list[dict]:
        """Every item of a paged list."""
        items, after = [], None
        while True:
            page = self.get(path, first=100, **params, **({"after": after} if after else {}))
            items += page[key]
            after = page.get("next")
            if not after:
                return items
