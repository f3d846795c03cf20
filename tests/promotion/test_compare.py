"""The comparison of a connector across environments, as a pure function of service-layer
models: what differs, a clash with another connector, and auth scheme configs compared as
promotion copies them (never a secret, nor the environment's credentials)."""

from datetime import UTC, datetime

from dashboard.connect.models import (
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigOAuth2,
    BigQueryConnector,
    ConnectorVersion,
    HTTPConnector,
    OAuth2GrantAuthorizationCode,
    ProtocolNames,
)
from dashboard.promotion.compare import (
    DIFFERENT,
    ONLY_A,
    ONLY_B,
    SAME,
    compare_connectors,
    counterpart_version,
    portable_config,
)

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SECRET = "client-secret-never-compared"
NAMES = ProtocolNames({"http": "HTTP", "bigquery": "Google BigQuery"})  # as ListProtocols


def connector(**fields) -> HTTPConnector:
    return HTTPConnector.model_validate(
        {
            "id": "01JQ0C0NNECT0R000000000001",
            "organisationId": "01JQ0PATCHBAY0DEM0RGAN1SAT",
            "name": "Shop",
            "baseUrl": "https://shop.example/api",
            "createdAt": NOW,
            "updatedAt": NOW,
        }
        | fields
    )


def version(name: str, published: bool) -> ConnectorVersion:
    made = NOW.replace(day=int(name[0]))  # later versions made later
    return ConnectorVersion(
        id=f"01JQ0VERS10N{name.replace('.', '0'):0>14}",
        name=name,
        created_at=made,
        updated_at=NOW,
        published_at=NOW if published else None,
    )


def oauth(credential_id: str | None) -> AuthSchemeConfigOAuth2:
    return AuthSchemeConfigOAuth2(
        id="01JQ0AUTHSCHEME00000000001",
        description="Sign in",
        authorize_url="https://shop.example/authorize",
        token_url="https://shop.example/token",
        grant=OAuth2GrantAuthorizationCode(
            credential_id=credential_id,
            organisation_id=credential_id and "01JQ0PATCHBAY0DEM0RGAN1SAT",
            client_id="shop",
            client_secret=SECRET,
        ),
    )


def test_each_difference_is_named_with_both_sides():
    a = connector(tags={"team": ["core"], "tier": ["gold"]}, categories=["ERP"])
    b = connector(tags={"tier": ["silver"]}, categories=["ERP", "Accounting"])

    found = compare_connectors(a, b, NAMES)

    assert {row.label: row.state for row in found.tags} == {"team": ONLY_A, "tier": DIFFERENT}
    assert {row.label: row.state for row in found.categories} == {
        "Accounting": ONLY_B,
        "ERP": SAME,
    }
    assert all(row.same for row in found.fields) and found.clash == ""
    assert found.differences == 3


def test_another_protocol_or_base_url_is_a_clash_not_the_same_connector():
    assert compare_connectors(
        connector(), connector(baseUrl="https://other.example"), NAMES
    ).clash == ("it calls https://other.example, not https://shop.example/api")
    assert (
        compare_connectors(connector(), connector(baseUrl="https://shop.example/api/"), NAMES).clash
        == ""
    )


def test_protocols_are_named_as_the_catalogue_names_them_else_by_their_slug():
    warehouse = BigQueryConnector.model_validate(
        connector(name="Shop").model_dump(by_alias=True) | {"protocol": "bigquery"}
    )
    grpc = connector().model_copy(update={"protocol": "grpc"})  # one the catalogue lacks

    found = compare_connectors(connector(), warehouse, NAMES)

    assert found.clash == "its protocol is Google BigQuery, not HTTP"
    assert found.fields[0].label == "Protocol"
    assert (found.fields[0].a, found.fields[0].b) == ("HTTP", "Google BigQuery")
    assert compare_connectors(grpc, connector(), NAMES).clash == "its protocol is HTTP, not grpc"


def test_auth_scheme_configs_compare_without_secrets_or_the_environments_credentials():
    stored_in_a = connector(authSchemeConfigs=[oauth("01JQ0CRED00000000000000001")])
    without_client_in_b = connector(authSchemeConfigs=[oauth(None)])

    (row,) = compare_connectors(stored_in_a, without_client_in_b, NAMES).auth_scheme_configs

    assert row.state == SAME
    assert SECRET not in str(portable_config(oauth(None))) and SECRET not in row.a
    assert "grant_type" not in row.a and "authorization_code" in row.a


def test_configs_are_matched_by_id_else_by_type_and_description():
    key = AuthSchemeConfigAPIKey(
        id="01JQ0AUTHSCHEME00000000002", description="Key", name="k", in_="header"
    )
    moved = key.model_copy(update={"id": "01JQ0AUTHSCHEME00000000003", "in_": "query"})

    (row,) = compare_connectors(
        connector(authSchemeConfigs=[key]), connector(authSchemeConfigs=[moved]), NAMES
    ).auth_scheme_configs

    assert row.state == DIFFERENT and "in: header" in row.a and "in: query" in row.b


def test_versions_are_listed_from_both_sides_newest_first():
    found = compare_connectors(
        connector(versions=[version("1.0", True), version("2.0", False)]),
        connector(versions=[version("1.0", True)]),
        NAMES,
    )
    assert [(p.name, bool(p.a), bool(p.b)) for p in found.versions] == [
        ("2.0", True, False),
        ("1.0", True, True),
    ]


def test_a_version_is_compared_with_the_chosen_one_else_the_same_name_else_the_latest():
    theirs = [version("1.0", True), version("3.0", False), version("2.0", True)]

    def named(name: str, chosen: str = "") -> str:
        found = counterpart_version(name, theirs, chosen)
        assert found is not None
        return found.name

    assert named("2.0") == "2.0"
    assert named("2.0", chosen="1.0") == "1.0"
    assert named("1.2.0") == "3.0"  # no 1.2.0 there: the newest made
    latest = version("1.0", True).model_copy(update={"is_latest": True})
    assert counterpart_version("1.2.0", [latest, *theirs[1:]]).name == "1.0"
    assert counterpart_version("1.2.0", []) is None
    assert counterpart_version("1.0", theirs, chosen="9.9") is None
