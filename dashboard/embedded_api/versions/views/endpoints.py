"""Actions and triggers (GetActions, CreateAction, Get/Update/DeleteAction, and the same for
triggers): one set of handlers, parametrised by kind."""

from django.db import transaction

from ...http import check_unmodified, created, no_content, parse_body
from ...pagination import paginate
from ..contents import ACTION, TRIGGER, Catalogue, Kind, add_endpoints, touch, unique_names
from ..contents import update_endpoint as apply_update
from ..lookup import child_of, connector_of, draft_of, name_filter, readable_version
from ..serialise import linked_ids, serialise_endpoint

SORTABLE = {"updatedAt": "updated_at"}


def handlers(kind: Kind) -> dict:
    """The list/create and get/update/delete handlers for one kind."""

    def list_items(request, organisation_id, connector_id, version) -> dict:
        found = readable_version(organisation_id, connector_id, version)
        items = kind.model.objects.filter(version=found)
        if (name := name_filter(request)) is not None:
            items = items.filter(name__icontains=name)
        page = paginate(request, items, sortable=SORTABLE)
        catalogue = Catalogue.load(found, linked_ids(page.items))
        return {
            kind.plural: [serialise_endpoint(item, kind, catalogue) for item in page.items],
            **page.info(),
        }

    def create_item(request, organisation_id, connector_id, version):
        connector = connector_of(organisation_id, connector_id)
        with unique_names(kind.name), transaction.atomic():
            found = draft_of(connector, version, kind.name)
            body = parse_body(request, kind.body)
            catalogue = Catalogue.load(found)
            (item,) = add_endpoints(found, kind, [body], catalogue, lambda _: "")
            touch(found)
        return created(serialise_endpoint(item, kind, catalogue))

    def get_item(request, organisation_id, connector_id, version, item_name) -> dict:
        found = readable_version(organisation_id, connector_id, version)
        item = child_of(kind.model.objects.filter(version=found), item_name, kind.name)
        return serialise_endpoint(item, kind, Catalogue.load(found, linked_ids([item])))

    def update_item(request, organisation_id, connector_id, version, item_name) -> dict:
        connector = connector_of(organisation_id, connector_id)
        with unique_names(kind.name), transaction.atomic():
            found = draft_of(connector, version, kind.name)
            item = child_of(kind.model.objects.filter(version=found), item_name, kind.name)
            check_unmodified(request, item.updated_at)
            body = parse_body(request, kind.body)
            item.version = found
            catalogue = Catalogue.load(found)
            apply_update(item, kind, body, catalogue)
            touch(found)
        return serialise_endpoint(item, kind, catalogue)

    def delete_item(request, organisation_id, connector_id, version, item_name):
        connector = connector_of(organisation_id, connector_id)
        with transaction.atomic():
            found = draft_of(connector, version, kind.name)
            child_of(kind.model.objects.filter(version=found), item_name, kind.name).delete()
            touch(found)
        return no_content()

    return {
        "collection": {"get": list_items, "post": create_item},
        "item": {"get": get_item, "put": update_item, "delete": delete_item},
    }


ACTIONS = handlers(ACTION)
TRIGGERS = handlers(TRIGGER)
