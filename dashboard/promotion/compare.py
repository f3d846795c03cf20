"""Comparing a connector in one environment with the connector of the same name in another.

Pure: service-layer models in, differences out (no calls, no Django). A version's actions,
triggers and definitions are compared by the one version diff, `dashboard.openapi.breaking`,
graded with its breaking-change levels; this module compares what surrounds them: the
connector's fields, tags, categories, auth scheme configs and the versions each side has.

Auth scheme configs are compared in their *portable* form: what promotion copies, which never
holds a secret nor a reference to one of the environment's credentials (an OAuth 2.0 client's
stored ID and secret, an mTLS certificate). Those are set up in each environment.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.connect.models import AuthSchemeConfig, Connector, ConnectorVersion, ProtocolNames
from dashboard.openapi.breaking import Report, Snapshot, classify

# Grant fields that name or hold the environment's own OAuth 2.0 client credential.
_CREDENTIAL_FIELDS = {"credential_id", "organisation_id", "client_id", "client_secret"}

SAME, ONLY_A, ONLY_B, DIFFERENT = "same", "only_a", "only_b", "different"


def portable_config(config: AuthSchemeConfig) -> dict[str, Any]:
    """An auth scheme config as promotion copies it: its fields as JSON (Python names) without
    its id, the API's messages, nor anything tied to the environment's credentials."""
    data = config.model_dump(mode="json", by_alias=False, exclude_none=True)
    data.pop("id", None)
    data.pop("mtls_credential_id", None)
    if isinstance(grant := data.get("grant"), dict):
        data["grant"] = {k: v for k, v in grant.items() if k not in _CREDENTIAL_FIELDS}
    return data


def holds_credentials(config: AuthSchemeConfig) -> bool:
    """Whether the config refers to credentials of its environment, which are not copied."""
    grant = getattr(config, "grant", None)
    return bool(
        getattr(grant, "credential_id", None) or getattr(config, "mtls_credential_id", None)
    )


def clash(a: Connector, b: Connector, protocol_names: ProtocolNames) -> str:
    """Why `b`, named as `a`, is a *different* connector (not the same one in another
    environment): another protocol, or another base URL (the API it calls). "" if none."""
    if a.protocol != b.protocol:
        theirs, mine = protocol_names[b.protocol], protocol_names[a.protocol]
        return f"its protocol is {theirs}, not {mine}"
    a_url, b_url = (str(getattr(c, "base_url", "")).rstrip("/") for c in (a, b))
    if a_url != b_url:
        return f"it calls {b_url or '(no base URL)'}, not {a_url or '(no base URL)'}"
    return ""


@dataclass(frozen=True)
class Difference:
    """One field, tag key, category, auth scheme config or version, on each side."""

    label: str
    a: str
    b: str
    state: str  # SAME, ONLY_A, ONLY_B or DIFFERENT

    @property
    def same(self) -> bool:
        return self.state == SAME


@dataclass(frozen=True)
class VersionPair:
    name: str
    a: ConnectorVersion | None
    b: ConnectorVersion | None


@dataclass(frozen=True)
class ConnectorComparison:
    a: Connector
    b: Connector | None
    clash: str
    fields: list[Difference]
    tags: list[Difference]
    categories: list[Difference]
    auth_scheme_configs: list[Difference]
    versions: list[VersionPair]

    @property
    def differences(self) -> int:
        rows = [*self.fields, *self.tags, *self.categories, *self.auth_scheme_configs]
        return sum(not row.same for row in rows)


def _state(a: str | None, b: str | None) -> str:
    if a is None:
        return ONLY_B
    if b is None:
        return ONLY_A
    return SAME if a == b else DIFFERENT


def _row(label: str, a: str | None, b: str | None) -> Difference:
    return Difference(label, a or "", b or "", _state(a, b))


def _fields(connector: Connector, protocol_names: ProtocolNames) -> dict[str, str]:
    variables = ", ".join(f"{v.name}={v.value}" for v in connector.connection_variables)
    return {
        "Protocol": protocol_names[connector.protocol],
        "Base URL": str(getattr(connector, "base_url", "")),
        "Documentation URL": connector.documentation_url,
        "Image URL": connector.image_url,
        "Public": "yes" if connector.public else "no",
        "Connection variables": variables,
    }


def _config_text(config: AuthSchemeConfig) -> str:
    """A config in words: its type, description and every setting that has a value."""
    portable = portable_config(config)
    described = portable.pop("description", "") or "(no description)"
    kind = portable.pop("scheme_type", "")
    # Settings by name in words: `in_` is "in", `authorize_url` "authorize url".
    details = [
        f"{key.rstrip('_').replace('_', ' ')}: {_words(value)}"
        for key, value in sorted(portable.items())
        if value
    ]
    return " · ".join([kind, described, *details])


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(_words(v) for v in value.values() if v)
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value)
    return str(value)


def _configs(a: Connector, b: Connector | None) -> list[Difference]:
    """Configs matched by id (promotion keeps it), else by type and description."""
    theirs = list(b.auth_scheme_configs) if b else []
    rows = []
    for config in a.auth_scheme_configs:
        match = next((c for c in theirs if c.id == config.id), None) or next(
            (
                c
                for c in theirs
                if (c.scheme_type, c.description) == (config.scheme_type, config.description)
            ),
            None,
        )
        if match is not None:
            theirs.remove(match)
        label = config.description or config.scheme_type
        rows.append(_row(label, _config_text(config), _config_text(match) if match else None))
    rows += [_row(c.description or c.scheme_type, None, _config_text(c)) for c in theirs]
    return rows


def _tags(a: Connector, b: Connector | None) -> list[Difference]:
    theirs = b.tags if b else {}
    keys = sorted(a.tags.keys() | theirs.keys())
    return [
        _row(
            key,
            ", ".join(sorted(a.tags[key])) if key in a.tags else None,
            ", ".join(sorted(theirs[key])) if key in theirs else None,
        )
        for key in keys
    ]


def _categories(a: Connector, b: Connector | None) -> list[Difference]:
    theirs = set(b.categories) if b else set()
    return [
        _row(name, name if name in a.categories else None, name if name in theirs else None)
        for name in sorted(set(a.categories) | theirs)
    ]


def _versions(a: Connector, b: Connector | None) -> list[VersionPair]:
    mine = {v.name: v for v in a.versions}
    theirs = {v.name: v for v in b.versions} if b else {}
    ordered = sorted(
        mine.keys() | theirs.keys(),
        key=lambda name: (mine.get(name) or theirs[name]).created_at,
        reverse=True,
    )
    return [VersionPair(name, mine.get(name), theirs.get(name)) for name in ordered]


def compare_connectors(
    a: Connector, b: Connector | None, protocol_names: ProtocolNames
) -> ConnectorComparison:
    """`a` (environment A) against `b`, the connector of the same name in B (None: none), with
    their protocols named as `protocol_names` (the catalogue's) says."""
    mine, theirs = _fields(a, protocol_names), _fields(b, protocol_names) if b else {}
    return ConnectorComparison(
        a=a,
        b=b,
        clash=clash(a, b, protocol_names) if b else "",
        fields=[_row(label, value, theirs.get(label)) for label, value in mine.items()],
        tags=_tags(a, b),
        categories=_categories(a, b),
        auth_scheme_configs=_configs(a, b),
        versions=_versions(a, b),
    )


def counterpart_version(
    name: str, theirs: Sequence[ConnectorVersion], chosen: str = ""
) -> ConnectorVersion | None:
    """The version of B that A's version `name` is compared against: the one chosen, else the
    one of the same name, else B's latest (None: B has no versions)."""
    by_name = {v.name: v for v in theirs}
    if chosen or name in by_name:
        return by_name.get(chosen or name)
    latest = [v for v in theirs if v.is_latest]
    return latest[0] if latest else max(theirs, key=lambda v: v.created_at, default=None)


def compare_contents(a: Snapshot, b: Snapshot) -> Report:
    """What B's version would have to change to become A's: the version diff from B to A, with
    its breaking-change levels. No findings: the two hold the same contents."""
    return classify(b, a)


def conflicts(report: Report, *, b_is_draft: bool) -> Sequence[str]:
    """Why B's existing version cannot take A's contents without overwriting: every finding
    but items B lacks, which a draft can still be given (a promotion stopped halfway)."""
    return [
        finding.text
        for finding in report.findings
        if not (b_is_draft and finding.rule == "item-added")
    ]
