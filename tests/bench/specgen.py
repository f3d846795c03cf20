"""Deterministic generator of large, realistic OpenAPI documents for tests and benchmarks.

The same seed and settings always give the same bytes. A generated document looks like a
real SaaS API: resources with CRUD operations, list endpoints with paging, sorting and
filters, nested `$ref`s between schemas (including a circular one), `allOf` composition,
enums, inline request and response schemas, shared parameters and responses, several
security schemes, servers with variables, and (3.1) webhooks or (3.0) callbacks.

    .venv/bin/python tests/bench/specgen.py --size large --version 3.1 --format json -o spec.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass

import yaml

WORDS = [
    "account",
    "address",
    "amount",
    "balance",
    "batch",
    "billing",
    "campaign",
    "card",
    "cart",
    "catalog",
    "channel",
    "charge",
    "checkout",
    "comment",
    "contact",
    "contract",
    "coupon",
    "credit",
    "customer",
    "delivery",
    "device",
    "discount",
    "dispute",
    "document",
    "event",
    "export",
    "feature",
    "file",
    "fulfilment",
    "group",
    "import",
    "invoice",
    "item",
    "job",
    "ledger",
    "license",
    "member",
    "message",
    "metric",
    "note",
    "order",
    "package",
    "payment",
    "payout",
    "plan",
    "policy",
    "price",
    "product",
    "project",
    "quote",
    "receipt",
    "refund",
    "region",
    "report",
    "return",
    "review",
    "role",
    "rule",
    "schedule",
    "segment",
    "session",
    "shipment",
    "sku",
    "source",
    "statement",
    "subscription",
    "supplier",
    "tag",
    "task",
    "tax",
    "team",
    "template",
    "ticket",
    "token",
    "transfer",
    "user",
    "vendor",
    "warehouse",
    "webhook",
    "workflow",
]

LOREM = [
    "the",
    "value",
    "is",
    "computed",
    "by",
    "the",
    "server",
    "and",
    "cannot",
    "be",
    "changed",
    "once",
    "the",
    "resource",
    "has",
    "been",
    "created",
    "clients",
    "should",
    "treat",
    "unknown",
    "values",
    "as",
    "opaque",
    "and",
    "must",
    "not",
    "rely",
    "on",
    "their",
    "order",
    "results",
    "are",
    "eventually",
    "consistent",
    "and",
    "may",
    "take",
    "a",
    "few",
    "seconds",
    "to",
    "appear",
    "in",
    "list",
    "endpoints",
    "when",
    "omitted",
    "the",
    "default",
    "configured",
    "for",
    "the",
    "organisation",
    "is",
    "used",
    "instead",
    "see",
    "the",
    "guide",
    "for",
    "details",
    "about",
    "rate",
    "limits",
    "pagination",
    "and",
    "idempotency",
    "keys",
]

STATUSES = ("draft", "pending", "active", "suspended", "archived", "deleted")
FORMATS = ("date-time", "email", "uri", "uuid", "date")


@dataclass(frozen=True)
class Size:
    resources: int
    extra_schemas: int
    webhooks: int
    prose: int  # sentences per description


SIZES = {
    "small": Size(resources=3, extra_schemas=4, webhooks=2, prose=1),
    "medium": Size(resources=15, extra_schemas=40, webhooks=5, prose=2),
    # At least 2 MB and 200+ operations, whatever the version or format.
    "large": Size(resources=45, extra_schemas=300, webhooks=20, prose=16),
}


class SpecGenerator:
    """Builds one OpenAPI document; `generate()` returns it as plain dicts and lists."""

    def __init__(self, *, version: str = "3.1", size: str = "large", seed: int = 1) -> None:
        if version not in ("3.0", "3.1"):
            raise ValueError("version must be 3.0 or 3.1")
        self.version = version
        self.size = SIZES[size]
        self.rng = random.Random(seed)

    # -- small helpers -------------------------------------------------------------------
    def sentence(self) -> str:
        words = self.rng.choices(LOREM, k=self.rng.randint(8, 18))
        return " ".join(words).capitalize() + "."

    def prose(self) -> str:
        return " ".join(self.sentence() for _ in range(self.size.prose))

    def nullable(self, schema: dict) -> dict:
        if self.version == "3.0":
            return {**schema, "nullable": True}
        return {**schema, "type": [schema["type"], "null"]}

    def scalar_property(self) -> dict:
        kind = self.rng.choice(("string", "string", "integer", "number", "boolean", "enum"))
        if kind == "enum":
            values = self.rng.sample(STATUSES, k=self.rng.randint(2, len(STATUSES)))
            return {"type": "string", "enum": values, "description": self.sentence()}
        schema: dict = {"type": kind, "description": self.sentence()}
        if kind == "string" and self.rng.random() < 0.4:
            schema["format"] = self.rng.choice(FORMATS)
        if kind == "integer":
            schema.update(minimum=0, maximum=self.rng.choice((100, 1000, 2**31 - 1)))
        if self.rng.random() < 0.2:
            schema = self.nullable(schema)
        return schema

    # -- components ----------------------------------------------------------------------
    def model_schema(self, name: str, others: list[str]) -> dict:
        properties: dict = {
            "id": {"type": "string", "format": "uuid", "readOnly": True},
            "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
            "status": {"$ref": "#/components/schemas/Status"},
        }
        for _ in range(self.rng.randint(6, 14)):
            properties[f"{self.rng.choice(WORDS)}_{self.rng.choice(LOREM)}"] = (
                self.scalar_property()
            )
        for other in self.rng.sample(others, k=min(len(others), self.rng.randint(1, 3))):
            ref = {"$ref": f"#/components/schemas/{other}"}
            if self.rng.random() < 0.5:
                properties[other[0].lower() + other[1:]] = ref
            else:
                properties[other[0].lower() + other[1:] + "List"] = {"type": "array", "items": ref}
        properties["metadata"] = {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": self.prose(),
        }
        return {
            "type": "object",
            "description": self.prose(),
            "required": ["id", "status"],
            "properties": properties,
        }

    def components(self, resources: list[str], extras: list[str]) -> dict:
        schemas: dict = {
            "Status": {"type": "string", "enum": list(STATUSES), "description": self.sentence()},
            # A tree: circular on purpose.
            "Category": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "parent": {"$ref": "#/components/schemas/Category"},
                    "children": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Category"},
                    },
                },
            },
            "Error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": ["bad_request", "not_found", "conflict"]},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ErrorField"},
                    },
                },
            },
            "ErrorField": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
            "PageInfo": {
                "type": "object",
                "properties": {
                    "totalCount": {"type": "integer"},
                    "next": {"type": "string"},
                    "prev": {"type": "string"},
                },
            },
        }
        for name in extras:
            schemas[name] = self.model_schema(name, ["Category", *extras[:5]])
        for name in resources:
            schemas[name] = self.model_schema(name, [*extras, "Category"])
            schemas[f"{name}Create"] = {
                "allOf": [
                    {"$ref": f"#/components/schemas/{name}"},
                    {"type": "object", "properties": {"idempotencyKey": {"type": "string"}}},
                ]
            }
            schemas[f"{name}Page"] = {
                "allOf": [
                    {"$ref": "#/components/schemas/PageInfo"},
                    {
                        "type": "object",
                        "properties": {
                            "items": {
                                "type": "array",
                                "items": {"$ref": f"#/components/schemas/{name}"},
                            }
                        },
                    },
                ]
            }
        return {
            "schemas": schemas,
            "parameters": {
                "first": {
                    "name": "first",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                },
                "after": {"name": "after", "in": "query", "schema": {"type": "string"}},
                "requestId": {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
            },
            "responses": {
                "NotFound": {
                    "description": "Not found",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "BadRequest": {
                    "description": "Bad request",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "name": "X-API-Key", "in": "header"},
                "basic": {"type": "http", "scheme": "basic"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "https://auth.example.com/authorize",
                            "tokenUrl": "https://auth.example.com/token",
                            "scopes": {f"{r.lower()}:read": f"Read {r}" for r in resources[:10]},
                        },
                        "clientCredentials": {
                            "tokenUrl": "https://auth.example.com/token",
                            "scopes": {"admin": "Everything"},
                        },
                    },
                },
            },
        }

    # -- paths ---------------------------------------------------------------------------
    def json_content(self, ref: str) -> dict:
        return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}

    def resource_paths(self, name: str) -> dict:
        slug = name.lower() + "s"
        ident = f"{name[0].lower()}{name[1:]}Id"
        errors = {
            "400": {"$ref": "#/components/responses/BadRequest"},
            "default": {
                "description": "Unexpected error",
                "content": self.json_content("Error"),
            },
        }
        listing = {
            "operationId": f"list{name}s",
            "summary": f"List {slug}",
            "description": self.prose(),
            "tags": [name],
            "parameters": [
                {"$ref": "#/components/parameters/first"},
                {"$ref": "#/components/parameters/after"},
                {
                    "name": "sort",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["createdAt", "-createdAt", "name"]},
                },
                {
                    "name": "status",
                    "in": "query",
                    "schema": {"$ref": "#/components/schemas/Status"},
                },
                {
                    "name": "tags",
                    "in": "query",
                    "style": "form",
                    "explode": True,
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
            ],
            "responses": {
                "200": {"description": "A page", "content": self.json_content(f"{name}Page")},
                **errors,
            },
        }
        create = {
            "operationId": f"create{name}",
            "summary": f"Create a {name.lower()}",
            "description": self.prose(),
            "requestBody": {"required": True, "content": self.json_content(f"{name}Create")},
            "responses": {
                "201": {"description": "Created", "content": self.json_content(name)},
                **errors,
            },
        }
        if self.rng.random() < 0.3:
            create["callbacks"] = {
                "onProcessed": {
                    "{$request.body#/callbackUrl}": {
                        "post": {
                            "requestBody": {"content": self.json_content(name)},
                            "responses": {"200": {"description": "Acknowledged"}},
                        }
                    }
                }
            }
        item = {
            "parameters": [
                {"name": ident, "in": "path", "required": True, "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/requestId"},
            ],
            "get": {
                "operationId": f"get{name}",
                "summary": f"Get a {name.lower()}",
                "description": self.prose(),
                "responses": {
                    "200": {"description": "OK", "content": self.json_content(name)},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **errors,
                },
            },
            "patch": {
                "operationId": f"update{name}",
                "description": self.prose(),
                "requestBody": {
                    "content": {
                        "application/merge-patch+json": {
                            # Inline on purpose: becomes a definition named after the operation.
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "status": {"$ref": "#/components/schemas/Status"},
                                    "note": {"type": "string", "maxLength": 500},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "OK", "content": self.json_content(name)}},
            },
            "delete": {
                "operationId": f"delete{name}",
                "description": self.prose(),
                "responses": {
                    "204": {"description": "Deleted"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
        }
        action = {
            "post": {
                "operationId": f"archive{name}",
                "summary": f"Archive a {name.lower()}",
                "security": [{"oauth": [f"{name.lower()}:read"]}],
                "responses": {
                    "2XX": {"description": "Archived", "content": self.json_content(name)},
                },
            },
            "parameters": [
                {"name": ident, "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        }
        return {
            f"/{slug}": {"get": listing, "post": create},
            f"/{slug}/{{{ident}}}": item,
            f"/{slug}/{{{ident}}}/archive": action,
        }

    def webhook(self, resource: str, event: str) -> dict:
        return {
            "post": {
                "operationId": f"on{resource}{event.capitalize()}",
                "summary": f"{resource} {event}",
                "description": self.prose(),
                "parameters": [
                    {
                        "name": "X-Signature",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "event": {
                                        "type": "string",
                                        "enum": [f"{resource.lower()}.{event}"],
                                    },
                                    "data": {"$ref": f"#/components/schemas/{resource}"},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "Acknowledged"}},
            }
        }

    # -- the document --------------------------------------------------------------------
    def generate(self) -> dict:
        names = [f"{w[0].upper()}{w[1:]}" for w in WORDS]
        self.rng.shuffle(names)
        resources = names[: self.size.resources]
        extras = [
            f"{n}{self.rng.choice(('Detail', 'Summary', 'Line', 'Settings'))}{i}"
            for i, n in enumerate(self.rng.choices(names, k=self.size.extra_schemas))
        ]
        paths: dict = {}
        for name in resources:
            paths.update(self.resource_paths(name))
        doc: dict = {
            "openapi": "3.1.0" if self.version == "3.1" else "3.0.3",
            "info": {
                "title": "Generated Commerce API",
                "version": "2024-06-01",
                "description": self.prose(),
            },
            "externalDocs": {"url": "https://docs.example.com/api"},
            "servers": [
                {
                    "url": "https://{region}.api.example.com/v1",
                    "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}},
                }
            ],
            "security": [{"apiKey": []}, {"oauth": ["admin"]}],
            "paths": paths,
            "components": self.components(resources, extras),
        }
        if self.version == "3.1":
            events = ("created", "updated", "deleted")
            doc["webhooks"] = {
                f"{r.lower()}.{e}": self.webhook(r, e)
                for r, e in zip(
                    (resources * 3)[: self.size.webhooks],
                    (events * self.size.webhooks)[: self.size.webhooks],
                    strict=True,
                )
            }
        return doc


def generate(*, version: str = "3.1", size: str = "large", seed: int = 1) -> dict:
    """Return a generated OpenAPI document as plain Python data."""
    return SpecGenerator(version=version, size=size, seed=seed).generate()


def render(doc: dict, fmt: str) -> bytes:
    """Serialise a document as `json` or `yaml` bytes (UTF-8)."""
    if fmt == "json":
        return json.dumps(doc, indent=2).encode()
    # libyaml's emitter writes the same bytes as safe_dump's, several times faster.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100).encode()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=("3.0", "3.1"), default="3.1")
    parser.add_argument("--size", choices=tuple(SIZES), default="large")
    parser.add_argument("--format", choices=("json", "yaml"), default="json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    data = render(generate(version=args.version, size=args.size, seed=args.seed), args.format)
    if args.output:
        with open(args.output, "wb") as out:
            out.write(data)
    else:
        sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
