"""Finding the connector a path names, and answering with it."""

from ulid import ULID

from ..errors import not_found
from ..models import Connector
from .serialise import serialise_connector, with_related


def own_connector(
    organisation_id: str, connector_id: str, *, lock: bool = False, related: bool = False
) -> Connector:
    """The organisation's connector, or 404 (also for another organisation's, public or not).

    `lock` takes a row lock (inside a transaction) so concurrent writes to one connector run
    one after the other; `related` prefetches what `serialise_connector` reads. A malformed
    id is a 404 without a query."""
    try:
        connector_id = str(ULID.from_str(connector_id))
    except ValueError:
        raise not_found("connector") from None
    connectors = Connector.objects.filter(organisation_id=organisation_id, pk=connector_id)
    if lock:
        connectors = connectors.select_for_update()
    if related:
        connectors = with_related(connectors)
    connector = connectors.first()
    if connector is None:
        raise not_found("connector")
    return connector


def serialised(connector: Connector) -> dict:
    """The connector as the contract's JSON, read afresh with everything it shows."""
    return serialise_connector(with_related(Connector.objects.filter(pk=connector.pk)).get())
