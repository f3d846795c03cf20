"""The organisation's credentials (v1alpha1): how secrets are listed and rotated."""

from collections.abc import Sequence
from datetime import datetime

from ..models import Credential, CredentialSummary, CredentialUpdate
from ..pagination import Page
from ._base import Resource, cursor, force_param, rfc3339, target


class Credentials(Resource):
    def list(
        self,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
        type: Sequence[str] = (),
        expires_before: datetime | None = None,
        has_errors: bool | None = None,
    ) -> Page[CredentialSummary]:
        """ListCredentials: every credential of the organisation, with its usages. The
        filters are the embedded API's (v1alpha1 has none): `type` (any of), `expires_before`,
        `has_errors`."""
        filters = {
            "type": list(type),
            "expiresBefore": rfc3339(expires_before) if expires_before else None,
            "hasErrors": None if has_errors is None else str(has_errors).lower(),
        }
        return self._page(
            self._org("credentials"),
            "credentials",
            CredentialSummary,
            cursor(first, after, before) | filters,
        )

    def get(self, credential_id: str) -> Credential:
        """GetCredential (data redacted)."""
        return self._get(self._credential(credential_id), Credential.model_validate)

    def update(
        self, credential: CredentialUpdate, *, if_unmodified_since: datetime | None = None
    ) -> Credential:
        """UpdateCredential: how a secret is rotated."""
        return self._write(
            "update_credential",
            target("credential", credential.id, credential.name),
            "PUT",
            self._credential(credential.id),
            json=credential.to_api(),
            parse=Credential.model_validate,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get(credential.id).updated_at,
        )

    def delete(self, credential_id: str, *, force: bool = False) -> None:
        """DeleteCredential; PreconditionFailed (412) while in use, unless `force` (which
        removes it from the connections using it)."""
        self._write(
            "delete_credential",
            target("credential", credential_id),
            "DELETE",
            self._credential(credential_id),
            params=force_param(force),
            named=lambda: self.get(credential_id).name,
        )
