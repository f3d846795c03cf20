"""Routes of the connectors area: connectors, their tags, categories and auth scheme configs,
and the catalogues (categories, protocols, auth schemes)."""

from django.urls import path

from ..http import api_view
from . import auth_scheme_configs, catalogue, views

CONNECTOR = "o/<ulid:organisation_id>/connectors/<str:connector_id>"

urlpatterns = [
    path("categories", api_view(public=True, get=catalogue.list_categories)),
    path("connectors", api_view(public=True, get=views.list_public_connectors)),
    path("o/<ulid:organisation_id>/connectors", api_view(get=views.list_connectors)),
    path(
        "o/<ulid:organisation_id>/protocols/http/connectors",
        api_view(post=views.create_http_connector),
    ),
    path(
        "o/<ulid:organisation_id>/protocols/bigquery/connectors",
        api_view(post=views.create_bigquery_connector),
    ),
    path(
        CONNECTOR,
        api_view(
            get=views.get_connector, put=views.update_connector, delete=views.delete_connector
        ),
    ),
    path(f"{CONNECTOR}/tags", api_view(put=views.update_tags)),
    path(f"{CONNECTOR}/categories", api_view(put=views.update_categories)),
    path(
        f"{CONNECTOR}/auth-scheme-configs/<str:auth_scheme_config_id>",
        api_view(
            put=auth_scheme_configs.upsert_auth_scheme_config,
            delete=auth_scheme_configs.delete_auth_scheme_config,
        ),
    ),
    path("o/<ulid:organisation_id>/protocols", api_view(get=catalogue.list_protocols)),
    path(
        "o/<ulid:organisation_id>/protocols/<str:protocol_slug>/auth-schemes",
        api_view(get=catalogue.list_auth_schemes),
    ),
]
