"""ListConnectors and ListPublicConnectors: order, paging at both ends, sort and filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.embedded_api.models import Connector
from dashboard.embedded_api.models.connectors import recount_connectors
from tests.embedded_api.connector_bodies import create_http


def names(page: dict) -> list[str]:
    return [c["name"] for c in page["connectors"]]


def listed(api, **params) -> dict:
    response = api.get(f"{api.o}/connectors", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def five(api) -> list[dict]:
    """c0 … c4, created in that order (so c4 is the most recently updated)."""
    return [create_http(api, name=f"c{i}") for i in range(5)]


def test_an_organisation_without_connectors_gets_an_empty_page(api):
    assert listed(api) == {"connectors": [], "totalCount": 0}


def test_connectors_are_listed_most_recently_updated_first(api, five):
    assert names(listed(api)) == ["c4", "c3", "c2", "c1", "c0"]


def test_connectors_updated_at_the_same_moment_are_ordered_by_id(api, five):
    Connector.objects.update(updated_at=timezone.now())
    ids = sorted((c["id"] for c in five), reverse=True)
    assert [c["id"] for c in listed(api)["connectors"]] == ids


def test_a_changed_connector_moves_to_the_top(api, five):
    api.put(f"{api.o}/connectors/{five[1]['id']}/tags", json={"tags": {"x": []}})
    assert names(listed(api))[0] == "c1"


def test_paging_forward_and_back_visits_every_connector_once(api, five):
    first = listed(api, first=2)
    assert names(first) == ["c4", "c3"]
    assert first["totalCount"] == 5 and "prev" not in first

    second = listed(api, first=2, after=first["next"])
    assert names(second) == ["c2", "c1"]
    assert second["next"] and second["prev"]

    last = listed(api, first=2, after=second["next"])
    assert names(last) == ["c0"]
    assert "next" not in last and last["totalCount"] == 5

    back = listed(api, first=2, before=last["prev"])
    assert names(back) == ["c2", "c1"]
    start = listed(api, first=2, before=back["prev"])
    assert names(start) == ["c4", "c3"] and "prev" not in start


def test_a_cursor_stays_put_while_connectors_are_added(api, five):
    first = listed(api, first=2)
    create_http(api, name="newcomer")
    second = listed(api, first=2, after=first["next"])
    assert names(second) == ["c2", "c1"]
    assert second["totalCount"] == 6
    assert names(listed(api, first=2, before=second["prev"])) == ["c4", "c3"]


def test_first_defaults_to_20_and_is_capped_at_100(api):
    now = timezone.now()
    Connector.objects.bulk_create(
        Connector(organisation_id=api.org, name=f"bulk {i}", protocol="http", updated_at=now)
        for i in range(105)
    )
    recount_connectors()
    assert len(listed(api)["connectors"]) == 20
    page = listed(api, first=1000)
    assert len(page["connectors"]) == 100 and page["totalCount"] == 105 and page["next"]


@pytest.mark.parametrize(
    "query", [{"first": "0"}, {"first": "-1"}, {"first": "ten"}, {"after": "garbage!"}]
)
def test_bad_paging_parameters_are_a_400(api, five, query):
    response = api.get(f"{api.o}/connectors", params=query)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_sort_orders_by_the_columns_given(api):
    for name in ("bravo", "alpha", "charlie"):
        create_http(api, name=name)
    assert names(listed(api, sort="name:asc")) == ["alpha", "bravo", "charlie"]
    assert names(listed(api, sort="name:desc")) == ["charlie", "bravo", "alpha"]
    assert names(listed(api, sort="createdAt:asc")) == ["bravo", "alpha", "charlie"]


def test_paging_follows_the_chosen_sort(api):
    for name in ("bravo", "alpha", "charlie"):
        create_http(api, name=name)
    first = listed(api, sort="name:asc", first=2)
    rest = listed(api, sort="name:asc", first=2, after=first["next"])
    assert names(first) + names(rest) == ["alpha", "bravo", "charlie"]


def test_an_unknown_sort_column_is_a_400_naming_sort(api):
    response = api.get(f"{api.o}/connectors", params={"sort": "password:asc"})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "sort"


def test_name_filters_by_case_insensitive_substring(api):
    for name in ("Shopify", "Shop Floor", "Xero"):
        create_http(api, name=name)
    page = listed(api, name="sHOp")
    assert sorted(names(page)) == ["Shop Floor", "Shopify"] and page["totalCount"] == 2


def test_protocol_filters_by_case_insensitive_substring(api):
    create_http(api, name="web")
    api.post(
        f"{api.o}/protocols/bigquery/connectors",
        json={"name": "warehouse", "datasetId": "acme.sales", "connections": []},
    )
    assert names(listed(api, protocol="HT")) == ["web"]
    assert names(listed(api, protocol="query")) == ["warehouse"]
    assert listed(api, protocol="smtp")["totalCount"] == 0


@pytest.fixture
def tagged(api) -> None:
    create_http(api, name="prod-eu", tags={"env": ["prod"], "region": ["eu"]})
    create_http(api, name="prod-us", tags={"env": ["prod"], "region": ["us"]})
    create_http(api, name="staging", tags={"env": ["staging"]})
    create_http(api, name="flagged", tags={"beta": []})
    create_http(api, name="untagged")


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("env:prod", ["prod-us", "prod-eu"]),
        ("env", ["staging", "prod-us", "prod-eu"]),
        ("env:", ["staging", "prod-us", "prod-eu"]),
        ("env:prod,region:eu", ["prod-eu"]),
        ("env:prod, region", ["prod-us", "prod-eu"]),
        ("env:staging,region", []),
        ("beta", ["flagged"]),
        ("env:PROD", []),
        ("nope", []),
        ("", ["untagged", "flagged", "staging", "prod-us", "prod-eu"]),
    ],
)
def test_tags_filter_needs_every_listed_tag_and_a_bare_key_matches_any_value(
    api, tagged, tags, expected
):
    page = listed(api, tags=tags)
    assert names(page) == expected
    assert page["totalCount"] == len(expected)


def test_a_tag_filter_without_a_key_is_a_400_naming_tags(api):
    response = api.get(f"{api.o}/connectors", params={"tags": "env:prod,:eu"})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "tags"


@pytest.fixture
def categorised(api) -> None:
    for name, categories in (
        ("books", ["Accounting"]),
        ("chat", ["Communication", "Productivity"]),
        ("crm", ["CRM"]),
        ("none", []),
    ):
        connector = create_http(api, name=name)
        api.put(f"{api.o}/connectors/{connector['id']}/categories", json={"categories": categories})


def test_categories_filter_matches_a_connector_in_any_listed_category(api, categorised):
    page = listed(api, categories=["Accounting", "Productivity"])
    assert names(page) == ["chat", "books"] and page["totalCount"] == 2
    assert names(listed(api, categories="Communication")) == ["chat"]


def test_an_unknown_category_is_a_400_naming_categories(api, categorised):
    response = api.get(f"{api.o}/connectors", params={"categories": ["CRM", "Astrology"]})
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert [f["field"] for f in fields] == ["categories"]
    assert "Astrology" in fields[0]["message"]


def test_filters_combine_and_page_together(api):
    for i in range(5):
        create_http(api, name=f"shop {i}", tags={"env": ["prod"] if i % 2 else ["dev"]})
    create_http(api, name="other", tags={"env": ["prod"]})
    first = listed(api, name="shop", tags="env:prod", first=1)
    rest = listed(api, name="shop", tags="env:prod", first=1, after=first["next"])
    assert names(first) + names(rest) == ["shop 3", "shop 1"]
    assert first["totalCount"] == rest["totalCount"] == 2
    assert "next" not in rest


def test_only_the_callers_connectors_are_listed(api, other_api):
    create_http(api, name="mine")
    create_http(other_api, name="theirs", public=True)
    assert names(listed(api)) == ["mine"]


def test_public_connectors_of_every_organisation_are_listed_at_connectors(api, other_api):
    create_http(api, name="mine public", public=True)
    create_http(api, name="mine private")
    create_http(other_api, name="theirs public", public=True, tags={"kind": ["shop"]})
    page = api.get("/connectors").json()
    assert names(page) == ["theirs public", "mine public"] and page["totalCount"] == 2
    assert names(api.get("/connectors", params={"tags": "kind:shop"}).json()) == ["theirs public"]
    assert names(api.get("/connectors", params={"name": "MINE"}).json()) == ["mine public"]


def test_the_public_list_pages_like_the_organisation_list(api, other_api):
    for i in range(3):
        create_http(other_api, name=f"p{i}", public=True)
    first = api.get("/connectors", params={"first": 2}).json()
    rest = api.get("/connectors", params={"first": 2, "after": first["next"]}).json()
    assert names(first) + names(rest) == ["p2", "p1", "p0"]
    assert rest["prev"] and "next" not in rest


def test_the_public_list_needs_an_api_key(anonymous_api):
    assert anonymous_api.get("/connectors").status_code == 401


def test_a_connector_made_private_leaves_the_public_list(api):
    connector = create_http(api, name="once public", public=True)
    body = {k: connector[k] for k in ("id", "organisationId", "name", "protocol", "baseUrl")}
    assert api.put(f"{api.o}/connectors/{connector['id']}", json=body).status_code == 200
    assert api.get("/connectors").json() == {"connectors": [], "totalCount": 0}


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_3_or_30_connectors(
    client, django_assert_num_queries, organisation_id
):
    """In process (not over HTTP) so the queries run on this thread and can be counted."""
    from dashboard.embedded_api.auth import service_token
    from dashboard.embedded_api.models import (
        Connection,
        ConnectionCredential,
        ConnectorTag,
        ConnectorVersion,
        Credential,
    )

    headers = {"Authorization": f"Bearer {service_token(organisation_id)}"}
    url = f"/api/connect/v1/o/{organisation_id}/connectors"
    credential = Credential.objects.create(
        organisation_id=organisation_id, name="key", type="string", secret_data="-"
    )

    def add(count: int) -> None:
        """`count` connectors, each with a tag, a version and a connection with a credential."""
        since = timezone.now()
        connectors = Connector.objects.bulk_create(
            Connector(
                organisation_id=organisation_id,
                name=f"n{i}",
                protocol="http",
                updated_at=since + timedelta(seconds=i),
            )
            for i in range(count)
        )
        ConnectorTag.objects.bulk_create(ConnectorTag(connector=c, key="env") for c in connectors)
        ConnectorVersion.objects.bulk_create(
            ConnectorVersion(connector=c, name="v1") for c in connectors
        )
        connections = Connection.objects.bulk_create(
            Connection(connector=c, name="production") for c in connectors
        )
        ConnectionCredential.objects.bulk_create(
            ConnectionCredential(
                connection=connection,
                credential=credential,
                kind="action",
                position=0,
                auth_scheme_config_id="gone",
                auth_scheme_config={"id": "gone", "description": "", "schemeType": "api-key"},
            )
            for connection in connections
        )
        recount_connectors()

    # 1 counter read, 1 page of connectors, then one prefetch each: tags, categories, auth
    # scheme configs, versions, connections, their credential links and the credentials
    # (whose `authSchemeType` comes from the link, not from the credentials' own links).
    add(3)
    with django_assert_num_queries(9):
        page = client.get(url, headers=headers).json()
    assert len(page["connectors"]) == 3
    assert page["connectors"][0]["connections"][0]["credentials"]["action"]
    assert page["connectors"][0]["versions"][0]["name"] == "v1"
    add(27)
    with django_assert_num_queries(9):
        assert len(client.get(url, {"first": 30}, headers=headers).json()["connectors"]) == 30
    with django_assert_num_queries(9):
        client.get(url, {"tags": "env"}, headers=headers)
