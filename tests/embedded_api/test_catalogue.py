"""ListCategories, ListProtocols and ListAuthSchemes: the fixed catalogues."""

import pytest

CATEGORIES = {
    "Development & IT",
    "ERP",
    "Supply Chain & Logistics",
    "Communication",
    "Accounting",
    "Hospitality",
    "Productivity",
    "HR",
    "CRM",
    "AI/LLMs",
    "eCommerce",
    "Business Operations",
}
HTTP_SCHEMES = ["none", "api-key", "basic-auth", "oauth2", "hmac", "certificate"]


def test_list_categories_returns_every_category_of_the_contract(api):
    response = api.get("/categories")
    assert response.status_code == 200
    assert set(response.json()) == CATEGORIES


def test_list_categories_needs_an_api_key(anonymous_api):
    assert anonymous_api.get("/categories").status_code == 401


def test_list_protocols_returns_http_and_bigquery(api):
    response = api.get(f"{api.o}/protocols")
    assert response.status_code == 200
    body = response.json()
    assert [p["slug"] for p in body["protocols"]] == ["http", "bigquery"]
    assert body["totalCount"] == 2
    assert "next" not in body and "prev" not in body
    assert all(p["iconURL"].startswith("data:image/svg+xml,") for p in body["protocols"])


def test_list_protocols_pages_with_first_after_and_before(api):
    first = api.get(f"{api.o}/protocols", params={"first": 1}).json()
    assert [p["slug"] for p in first["protocols"]] == ["http"]
    assert first["totalCount"] == 2 and "prev" not in first

    second = api.get(f"{api.o}/protocols", params={"first": 1, "after": first["next"]}).json()
    assert [p["slug"] for p in second["protocols"]] == ["bigquery"]
    assert "next" not in second

    back = api.get(f"{api.o}/protocols", params={"first": 1, "before": second["prev"]}).json()
    assert back["protocols"] == first["protocols"]


@pytest.mark.parametrize(
    "query",
    [{"first": "0"}, {"first": "many"}, {"after": "not-a-cursor"}, {"after": "a", "before": "b"}],
)
def test_list_protocols_refuses_bad_paging_with_400(api, query):
    response = api.get(f"{api.o}/protocols", params=query)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_list_protocols_of_another_organisation_is_404(api, other_api):
    assert api.get(f"{other_api.o}/protocols").status_code == 404


def test_list_auth_schemes_of_http_lists_the_six_configurable_schemes(api):
    response = api.get(f"{api.o}/protocols/http/auth-schemes")
    assert response.status_code == 200
    body = response.json()
    assert [s["type"] for s in body["authSchemes"]] == HTTP_SCHEMES
    assert body["totalCount"] == 6


def test_list_auth_schemes_of_bigquery_lists_oauth2(api):
    body = api.get(f"{api.o}/protocols/bigquery/auth-schemes").json()
    assert [s["type"] for s in body["authSchemes"]] == ["oauth2"]


def test_list_auth_schemes_of_an_unknown_protocol_is_404(api):
    response = api.get(f"{api.o}/protocols/smtp/auth-schemes")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_auth_schemes_pages_like_any_list(api):
    first = api.get(f"{api.o}/protocols/http/auth-schemes", params={"first": 4}).json()
    rest = api.get(
        f"{api.o}/protocols/http/auth-schemes", params={"first": 4, "after": first["next"]}
    ).json()
    assert [s["type"] for s in first["authSchemes"] + rest["authSchemes"]] == HTTP_SCHEMES
    assert "next" not in rest and rest["prev"]
