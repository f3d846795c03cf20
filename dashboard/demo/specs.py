"""OpenAPI 3.1 documents for the demo connectors, generated from a few lines of description.

Deterministic (the same API and revision always give the same document) and realistic: each
resource gets list (cursor paging, a status filter), create, get, update and delete
operations with shared schemas, `$ref`s between resources, a shared error schema and
response, the API's security schemes, and webhooks that become triggers. Later revisions add
a resource and a field, as a real API grows. The documents go through the real importer
(`dashboard.openapi`), so versions hold exactly what an upload of them would.
"""

from __future__ import annotations

from dataclasses import dataclass

# Field kinds: how a short name in RESOURCES becomes a JSON Schema.
_KINDS: dict[str, dict] = {
    "text": {"type": "string", "maxLength": 500},
    "email": {"type": "string", "format": "email"},
    "uri": {"type": "string", "format": "uri"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "money": {"type": "integer", "description": "Amount in the currency's minor unit."},
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["EUR"]},
    "count": {"type": "integer", "minimum": 0},
    "number": {"type": "number"},
    "flag": {"type": "boolean"},
    "tags": {"type": "array", "items": {"type": "string"}},
}

# Each resource: its fields, as kind names, `enum:a|b` or `ref:<resource>`.
RESOURCES: dict[str, dict[str, str]] = {
    "account": {"name": "text", "type": "enum:asset|liability|equity|income|expense"},
    "alert": {"title": "text", "severity": "enum:info|warning|critical", "fired_at": "datetime"},
    "booking": {
        "guest": "ref:guest",
        "room": "ref:room",
        "check_in": "date",
        "check_out": "date",
        "status": "enum:held|confirmed|cancelled",
    },
    "build": {"branch": "text", "commit": "text", "state": "enum:queued|running|passed|failed"},
    "campaign": {"name": "text", "status": "enum:draft|scheduled|sent", "send_at": "datetime"},
    "channel": {"name": "text", "private": "flag", "members": "count"},
    "completion": {"model": "text", "prompt": "text", "output": "text", "tokens": "count"},
    "contact": {"email": "email", "first_name": "text", "last_name": "text", "phone": "text"},
    "customer": {"email": "email", "name": "text", "status": "enum:active|blocked|archived"},
    "deal": {"title": "text", "amount": "money", "stage": "enum:lead|proposal|won|lost"},
    "deployment": {"environment": "text", "build": "ref:build", "status": "enum:pending|live"},
    "document": {"title": "text", "url": "uri", "pages": "count"},
    "embedding": {"model": "text", "input": "text", "dimensions": "count"},
    "employee": {"email": "email", "name": "text", "department": "text", "start_date": "date"},
    "expense": {"amount": "money", "currency": "currency", "merchant": "text"},
    "guest": {"email": "email", "name": "text", "loyalty_tier": "enum:none|silver|gold"},
    "incident": {"title": "text", "status": "enum:triggered|acknowledged|resolved"},
    "invoice": {
        "customer": "ref:customer",
        "amount_due": "money",
        "currency": "currency",
        "status": "enum:draft|open|paid|void",
        "due_date": "date",
    },
    "item": {"sku": "text", "name": "text", "price": "money", "tags": "tags"},
    "ledger_entry": {"account": "ref:account", "amount": "money", "posted_at": "datetime"},
    "message": {"channel": "ref:channel", "text": "text", "sent_at": "datetime"},
    "order": {
        "customer": "ref:customer",
        "total": "money",
        "currency": "currency",
        "status": "enum:pending|paid|shipped|cancelled",
    },
    "payment": {
        "customer": "ref:customer",
        "amount": "money",
        "currency": "currency",
        "status": "enum:pending|succeeded|failed",
    },
    "project": {"name": "text", "archived": "flag"},
    "refund": {"payment": "ref:payment", "amount": "money", "reason": "text"},
    "room": {"number": "text", "floor": "count", "status": "enum:clean|dirty|out_of_order"},
    "shipment": {
        "order": "ref:order",
        "carrier": "text",
        "tracking_number": "text",
        "status": "enum:label_created|in_transit|delivered",
    },
    "stock_level": {"item": "ref:item", "warehouse": "ref:warehouse", "on_hand": "count"},
    "subscription": {"customer": "ref:customer", "plan": "text", "renews_at": "datetime"},
    "task": {"title": "text", "project": "ref:project", "done": "flag", "due_on": "date"},
    "ticket": {"subject": "text", "priority": "enum:low|normal|high|urgent", "status": "text"},
    "timesheet": {"employee": "ref:employee", "hours": "number", "week_of": "date"},
    "warehouse": {"name": "text", "country": "text", "capacity": "count"},
    # Reference data of the library's connectors.
    "company": {"name": "text", "registration_number": "text", "country": "text"},
    "forecast": {"location": "ref:location", "temperature_c": "number", "summary": "text"},
    "holiday": {"name": "text", "date": "date", "country": "text"},
    "location": {"name": "text", "latitude": "number", "longitude": "number"},
    "rate": {"base": "currency", "quote": "currency", "rate": "number", "as_of": "date"},
    "translation": {"source_language": "text", "target_language": "text", "text": "text"},
    "vat_number": {"number": "text", "country": "text", "valid": "flag"},
}

# Resources an API only reports on: no create, update or delete.
READ_ONLY = {
    "alert",
    "company",
    "embedding",
    "forecast",
    "holiday",
    "ledger_entry",
    "location",
    "rate",
    "stock_level",
    "vat_number",
}

# How each security scheme a description may name looks in OpenAPI.
SECURITY_SCHEMES: dict[str, dict] = {
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
    "bearerToken": {"type": "http", "scheme": "bearer"},
    "basicAuth": {"type": "http", "scheme": "basic"},
    "mutualTLS": {"type": "mutualTLS", "description": "Client certificate issued by the vendor."},
}
OAUTH2_FLOWS = {
    "oauth2Code": "authorizationCode",
    "oauth2Client": "clientCredentials",
    "oauth2Password": "password",
}


@dataclass(frozen=True)
class ApiShape:
    """What a demo API's documents are generated from."""

    title: str
    domain: str
    resources: tuple[str, ...]
    auth: tuple[str, ...]  # keys of SECURITY_SCHEMES / OAUTH2_FLOWS, or "none"
    webhooks: bool = False
    description: str = ""
    # A legacy system on plain HTTP, say; by default the vendor's HTTPS API.
    server: str = ""

    @property
    def base_url(self) -> str:
        return self.server or f"https://api.{self.domain}/v1"

    @property
    def docs_url(self) -> str:
        return f"https://docs.{self.domain}/api"


def document(api: ApiShape, revision: int, version_name: str) -> dict:
    """The OpenAPI document of `api` at `revision` (0 is the first): one resource fewer than
    the full set before revision 1, a `metadata` field on every resource from revision 2."""
    resources = list(api.resources if revision else api.resources[:-1] or api.resources)
    schemas: dict[str, dict] = {"Error": _error_schema()}
    paths: dict[str, dict] = {}
    for resource in resources:
        schemas.update(_schemas(resource, resources, revision))
        paths.update(_paths(resource))
    doc: dict = {
        "openapi": "3.1.0",
        "info": {
            "title": api.title,
            "version": version_name,
            "description": api.description or f"The {api.title} REST API.",
        },
        "externalDocs": {"url": api.docs_url},
        "servers": [{"url": api.base_url}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "The request failed.",
                    "content": {"application/json": {"schema": _ref("Error")}},
                }
            },
            "securitySchemes": _security_schemes(api),
        },
        "security": _security(api),
    }
    if api.webhooks:
        doc["webhooks"] = _webhooks(resources[:2])
    return doc


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def _plural(name: str) -> str:
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


def _error_schema() -> dict:
    return {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "examples": ["not_found"]},
            "message": {"type": "string"},
            "request_id": {"type": "string"},
        },
    }


def _field(kind: str, present: list[str]) -> dict:
    if kind.startswith("enum:"):
        return {"type": "string", "enum": kind.removeprefix("enum:").split("|")}
    if kind.startswith("ref:"):
        target = kind.removeprefix("ref:")
        if target in present:
            return {"oneOf": [{"type": "string"}, _ref(_camel(target))]}
        return {"type": "string", "description": f"The {target.replace('_', ' ')}'s id."}
    return dict(_KINDS[kind])


def _schemas(resource: str, present: list[str], revision: int) -> dict[str, dict]:
    name = _camel(resource)
    fields = {key: _field(kind, present) for key, kind in RESOURCES[resource].items()}
    if revision >= 2:
        fields["metadata"] = {"type": "object", "additionalProperties": {"type": "string"}}
    schemas = {
        name: {
            "type": "object",
            "description": f"A {resource.replace('_', ' ')}.",
            "required": ["id", "created_at"],
            "properties": {
                "id": {"type": "string", "readOnly": True},
                **fields,
                "created_at": {"type": "string", "format": "date-time", "readOnly": True},
            },
        },
        f"{name}Page": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": "array", "items": _ref(name)},
                "next_cursor": {"type": ["string", "null"]},
            },
        },
    }
    if resource not in READ_ONLY:
        schemas[f"{name}Input"] = {
            "type": "object",
            # Related records are sent by id.
            "properties": {key: _field(kind, []) for key, kind in RESOURCES[resource].items()},
        }
    return schemas


def _paths(resource: str) -> dict[str, dict]:
    name, plural = _camel(resource), _plural(resource)
    collection, item = f"/{plural}", f"/{plural}/{{{resource}_id}}"
    error = {"$ref": "#/components/responses/Error"}
    listing = {
        "operationId": f"list{_camel(plural)}",
        "summary": f"List {plural.replace('_', ' ')}",
        "parameters": [
            {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 50}},
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {"200": _json(f"{name}Page", "A page of results."), "default": error},
    }
    statuses = RESOURCES[resource].get("status", "")
    if statuses.startswith("enum:"):
        listing["parameters"].append(
            {"name": "status", "in": "query", "schema": _field(statuses, [])}
        )
    item_id = {"name": f"{resource}_id", "in": "path", "required": True}
    paths = {
        collection: {"get": listing},
        item: {
            "parameters": [{**item_id, "schema": {"type": "string"}}],
            "get": {
                "operationId": f"get{name}",
                "summary": f"Get a {resource.replace('_', ' ')}",
                "responses": {"200": _json(name, "Found."), "404": error},
            },
        },
    }
    if resource in READ_ONLY:
        return paths
    body = {"required": True, "content": {"application/json": {"schema": _ref(f"{name}Input")}}}
    paths[collection]["post"] = {
        "operationId": f"create{name}",
        "summary": f"Create a {resource.replace('_', ' ')}",
        "parameters": [
            {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
        ],
        "requestBody": body,
        "responses": {"201": _json(name, "Created."), "422": error},
    }
    paths[item]["patch"] = {
        "operationId": f"update{name}",
        "summary": f"Update a {resource.replace('_', ' ')}",
        "requestBody": body,
        "responses": {"200": _json(name, "Updated."), "404": error},
    }
    paths[item]["delete"] = {
        "operationId": f"delete{name}",
        "summary": f"Delete a {resource.replace('_', ' ')}",
        "responses": {"204": {"description": "Deleted."}, "404": error},
    }
    return paths


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _webhooks(resources: list[str]) -> dict[str, dict]:
    hooks = {}
    for resource in resources:
        for event in ("created", "updated"):
            hooks[f"{resource}.{event}"] = {
                "post": {
                    "operationId": f"{resource}_{event}",
                    "summary": f"A {resource.replace('_', ' ')} was {event}",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["type", "data"],
                                    "properties": {
                                        "type": {"const": f"{resource}.{event}"},
                                        "occurred_at": {"type": "string", "format": "date-time"},
                                        "data": _ref(_camel(resource)),
                                    },
                                }
                            }
                        },
                    },
                    "responses": {"200": {"description": "Received."}},
                }
            }
    return hooks


def _scopes(api: ApiShape) -> dict[str, str]:
    names = [f"{_plural(r)}:{access}" for r in api.resources[:3] for access in ("read", "write")]
    return {
        name: f"{name.replace(':', ' ').replace('_', ' ').capitalize()} access" for name in names
    }


def _security_schemes(api: ApiShape) -> dict[str, dict]:
    schemes = {}
    for key in api.auth:
        if key in SECURITY_SCHEMES:
            schemes[key] = SECURITY_SCHEMES[key]
        elif key in OAUTH2_FLOWS:
            flow: dict = {"tokenUrl": f"https://auth.{api.domain}/oauth/token"}
            if OAUTH2_FLOWS[key] == "authorizationCode":
                flow["authorizationUrl"] = f"https://auth.{api.domain}/oauth/authorize"
            flow["scopes"] = _scopes(api)
            schemes[key] = {"type": "oauth2", "flows": {OAUTH2_FLOWS[key]: flow}}
    return schemes


def _security(api: ApiShape) -> list[dict]:
    requirements = []
    for key in api.auth:
        if key == "none":
            requirements.append({})
        elif key in OAUTH2_FLOWS:
            requirements.append({key: list(_scopes(api))[:2]})
        else:
            requirements.append({key: []})
    return requirements
