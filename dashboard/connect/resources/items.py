"""A version's actions and triggers: the contract gives both the same five operations on
`.../actions` and `.../triggers`, so one class serves both (`client.actions`,
`client.triggers`)."""

from typing import Generic, TypeVar

from ..models import Action, ActionCreate, Trigger, TriggerCreate
from ._base import target
from .contents import VersionContents

ItemT = TypeVar("ItemT", Action, Trigger)
CreateT = TypeVar("CreateT", ActionCreate, TriggerCreate)


class Items(VersionContents[ItemT], Generic[ItemT, CreateT]):
    def create(self, connector_id: str, version: str, item: CreateT) -> ItemT:
        """CreateAction/CreateTrigger (drafts only)."""
        return self._write(
            f"create_{self.kind}",
            target(self.kind, name=item.name),
            "POST",
            self._contents(connector_id, version),
            json=item.to_api(),
            parse=self.model.model_validate,
        )

    def update(self, connector_id: str, version: str, name: str, item: ItemT) -> ItemT:
        """UpdateAction/UpdateTrigger (drafts only): send back a fetched item with changes."""
        return self._write(
            f"update_{self.kind}",
            target(self.kind, item.id, name),
            "PUT",
            self._contents(connector_id, version, name),
            json=item.to_api(),
            parse=self.model.model_validate,
        )

    def delete(self, connector_id: str, version: str, name: str) -> None:
        """DeleteAction/DeleteTrigger (drafts only)."""
        self._write(
            f"delete_{self.kind}",
            target(self.kind, name=name),
            "DELETE",
            self._contents(connector_id, version, name),
        )


class Actions(Items[Action, ActionCreate]):
    kind = "action"
    model = Action


class Triggers(Items[Trigger, TriggerCreate]):
    kind = "trigger"
    model = Trigger
