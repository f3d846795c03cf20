"""Request bodies of the connection, credential and OAuth 2.0 operations, as the contract
shapes them. Unknown fields are ignored (clients send back what they read, read-only fields
included). Credential `data` is validated per credential type in `credential_data`."""

from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
MAX_LINKS = 20


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Variable(_Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    value: Annotated[str, StringConstraints(max_length=10_000)]


def _unique_names(variables: list[Variable]) -> list[Variable]:
    names = [variable.name for variable in variables]
    if len(names) != len(set(names)):
        raise ValueError("variable names must be unique")
    return variables


Variables = Annotated[list[Variable], Field(max_length=500), AfterValidator(_unique_names)]


class CredentialCreate(_Body):
    """CreateCredential's body, also a connection's inline credential. `expiresAt` is the
    contract's Credential field, accepted on create too."""

    name: Name
    type: Annotated[str, StringConstraints(max_length=50)]
    data: object
    expiresAt: AwareDatetime | None = None


class CredentialUpdate(CredentialCreate):
    """UpdateCredential sends a whole Credential; only `name`, `data` and `expiresAt` change
    (`expiresAt` left out clears the expiry, as a PUT replaces)."""

    id: str | None = None


class AuthSchemeConfigRef(_Body):
    """The contract sends a whole AuthSchemeConfig; the connector's own config with this id
    is what applies, so only the id and (as a check) the scheme type are read."""

    id: Id
    schemeType: Annotated[str, StringConstraints(max_length=50)]


class ConnectionCredentialCreate(_Body):
    authSchemeConfig: AuthSchemeConfigRef
    # A CredentialCreate, or `{"id": ...}` to use an existing credential of the organisation
    # (the contract's description allows both); told apart in the view.
    credential: dict


class ConnectionCredentialsCreate(_Body):
    action: Annotated[list[ConnectionCredentialCreate], Field(max_length=MAX_LINKS)] = []
    trigger: Annotated[list[ConnectionCredentialCreate], Field(max_length=MAX_LINKS)] = []


class ConnectionCreate(_Body):
    name: Name
    credentials: ConnectionCredentialsCreate
    variables: Variables


class ConnectionCredentialUpdate(_Body):
    id: Id
    authSchemeConfig: AuthSchemeConfigRef


class ConnectionCredentialsUpdate(_Body):
    """Each list given is the new order of that kind's credentials; a credential left out of
    a list given is removed from the connection. A list not given is left as it is."""

    action: Annotated[list[ConnectionCredentialUpdate], Field(max_length=MAX_LINKS)] | None = None
    trigger: Annotated[list[ConnectionCredentialUpdate], Field(max_length=MAX_LINKS)] | None = None


class ConnectionUpdate(_Body):
    id: Id
    name: Name
    credentials: ConnectionCredentialsUpdate | None = None
    variables: Variables | None = None


class CredentialRef(_Body):
    id: Id
    organisationId: Id


class InitialiseOAuth2(_Body):
    """InitialiseOAuth2ConnectionRequest, plus three Patchbay fields for the embedded
    callback: the connection that receives the token, the auth scheme config whose token URL
    is used (needed only when the connector has several OAuth 2.0 configs), and the
    same-site path the browser returns to."""

    credential: CredentialRef
    authorizeUrl: Annotated[str, StringConstraints(max_length=2000)]
    clientId: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    scopes: (
        Annotated[
            list[Annotated[str, StringConstraints(min_length=1, max_length=500)]],
            Field(max_length=100),
        ]
        | None
    ) = None
    disableOfflineAccess: bool = False
    prompt: Annotated[str, StringConstraints(max_length=200)] | None = None
    additionalParams: Annotated[str, StringConstraints(max_length=4000)] = ""
    connectionId: Id | None = None
    authSchemeConfigId: Id | None = None
    returnUrl: Annotated[str, StringConstraints(max_length=2000)] | None = None
