"""What the demo data holds: the organisation's connectors, the library's public connectors of
another organisation, their versions and connections, and the fates of a few credentials
(expiring, expired, failing) that give the rotation worklist something to show.

Vendors are fictional and live under the reserved `.example` domain, so nothing here can reach
a real API.
"""

from dataclasses import dataclass, replace

from .specs import ApiShape

# Another organisation, publishing the library's connectors (a fixed, valid ULID).
LIBRARY_ORGANISATION_ID = "01JQ0PATCHBAY0CATA10G0RG00"

PUBLISHED, DEFAULT, DRAFT = "published", "default", "draft"

# Version histories: (name, state) oldest first. The revision of the document a version is
# imported from is its position, so later versions have more actions.
PLANS: dict[str, tuple[tuple[str, str], ...]] = {
    "steady": (("1.0.0", PUBLISHED), ("1.1.0", PUBLISHED), ("1.2.0-beta.1", DRAFT)),
    # An older version pinned as the default: default and latest differ.
    "pinned": (("2024.06", DEFAULT), ("2025.01", PUBLISHED)),
    "major": (("v1", PUBLISHED), ("v2", PUBLISHED), ("v3-rc.1", DRAFT)),
    "single": (("1.0.0", PUBLISHED),),
    "new": (("0.1.0", DRAFT),),
}


def tags(spec: str) -> dict[str, list[str]]:
    """`"team:ops tier:gold pii"` as the API's tags (a bare key has no values)."""
    result: dict[str, list[str]] = {}
    for term in spec.split():
        key, _, value = term.partition(":")
        result.setdefault(key, [])
        if value:
            result[key].append(value)
    return result


@dataclass(frozen=True)
class DemoConnector:
    slug: str
    api: ApiShape
    categories: tuple[str, ...]
    tags: dict[str, list[str]]
    plan: str
    connections: tuple[str, ...] = ("Production",)
    public: bool = False
    # An HMAC config verifying the webhooks' signatures: (algorithm, digest inputs).
    signing: tuple[str, tuple[str, ...]] | None = None
    # The OAuth 2.0 authorization-code config keeps a client ID and secret of its own.
    oauth2_client: bool = False
    variables: tuple[tuple[str, str], ...] = ()
    # Other products using the latest published version and the first connection.
    in_use: bool = False

    @property
    def name(self) -> str:
        return self.api.title


@dataclass(frozen=True)
class DemoWarehouse:
    """A BigQuery connector: one dataset, reached with Google OAuth 2.0 tokens."""

    slug: str
    name: str
    dataset_id: str
    categories: tuple[str, ...]
    tags: dict[str, list[str]]
    connections: tuple[str, ...] = ("Production",)


@dataclass(frozen=True)
class Fate:
    """What happened to a credential: an expiry `expires_in` days from the seeding (negative:
    already expired), a rotation `rotated` days before it, and errors a failed check left on
    it."""

    expires_in: float | None = None
    rotated: float | None = None
    errors: tuple[str, ...] = ()
    name: str = ""


def _c(slug, title, resources, auth, categories, tag_spec, plan, **options) -> DemoConnector:
    shape = {
        key: options.pop(key) for key in ("webhooks", "description", "server") if key in options
    }
    api = ApiShape(title, f"{slug}.example", tuple(resources.split()), tuple(auth.split()), **shape)
    return DemoConnector(slug, api, tuple(categories), tags(tag_spec), plan, **options)


SHA256 = ("sha256", ("body",))

CONNECTORS: tuple[DemoConnector, ...] = (
    _c("paystream", "Paystream", "customer payment refund subscription", "bearerToken oauth2Code",
       ["Accounting", "eCommerce"], "team:payments tier:gold region:eu region:us pii", "steady",
       connections=("Production", "Staging"), webhooks=True, signing=SHA256, in_use=True,
       description="Card and wallet payments, refunds and recurring billing."),
    _c("ledgerly", "Ledgerly", "account ledger_entry invoice", "oauth2Code",
       ["Accounting"], "team:finance tier:gold region:eu", "pinned"),
    _c("invoicely", "Invoicely", "customer invoice payment", "apiKey",
       ["Accounting", "Business Operations"], "team:finance tier:silver region:eu", "steady",
       connections=("Production", "Staging"), webhooks=True, signing=SHA256),
    _c("spendwise", "Spendwise", "expense employee", "oauth2Client",
       ["Accounting", "Business Operations"], "team:finance tier:bronze region:us", "single"),
    _c("globex-crm", "Globex CRM", "contact deal customer", "oauth2Code",
       ["CRM"], "team:growth tier:gold region:us pii", "major",
       connections=("Production", "Staging", "Sandbox"), oauth2_client=True, in_use=True),
    _c("pipewise", "Pipewise", "contact deal", "oauth2Code apiKey",
       ["CRM"], "team:growth tier:silver region:eu pii", "steady",
       connections=("Production", "Staging"), webhooks=True, signing=("sha1", ("body", "url"))),
    _c("contactly", "Contactly", "contact campaign", "apiKeyQuery",
       ["CRM", "Communication"], "team:support tier:bronze region:eu pii", "single"),
    _c("huddle", "Huddle Chat", "channel message", "bearerToken",
       ["Communication"], "team:platform tier:silver region:us", "steady",
       webhooks=True, signing=SHA256, public=True),
    _c("mailforge", "Mailforge", "campaign contact", "apiKey",
       ["Communication"], "team:growth tier:silver region:eu region:us", "pinned",
       connections=("Production", "Staging"), webhooks=True, signing=("sha512", ("body",))),
    _c("ringo", "Ringo SMS", "message contact", "basicAuth",
       ["Communication"], "team:support tier:bronze region:apac", "single"),
    _c("peoplebase", "Peoplebase", "employee timesheet", "oauth2Code",
       ["HR"], "team:people tier:gold region:eu pii", "steady"),
    _c("shiftly", "Shiftly", "employee timesheet", "basicAuth",
       ["HR", "Hospitality"], "team:people tier:silver region:eu", "major",
       connections=("Production", "Staging")),
    _c("payrollo", "Payrollo", "employee expense", "mutualTLS oauth2Client",
       ["HR", "Accounting"], "team:people team:finance tier:gold region:eu pii", "single"),
    _c("northwind", "Northwind ERP", "order item customer invoice", "oauth2Password basicAuth",
       ["ERP"], "team:ops tier:gold region:eu region:us", "pinned",
       connections=("Production", "Staging"), in_use=True,
       variables=(("tenant", "acme"), ("company_code", "1000"))),
    _c("initech", "Initech ERP", "order item warehouse", "basicAuth",
       ["ERP", "Supply Chain & Logistics"], "team:ops tier:silver region:us", "steady"),
    _c("orderbook", "Orderbook", "order customer", "apiKey",
       ["ERP", "eCommerce"], "team:ops tier:bronze region:eu beta", "new", connections=()),
    _c("freightly", "Freightly", "shipment order", "apiKey oauth2Client",
       ["Supply Chain & Logistics"], "team:logistics tier:gold region:eu region:us", "major",
       connections=("Production", "Staging"), webhooks=True, signing=SHA256,
       variables=(("account_number", "FR-204411"),)),
    _c("dockyard", "Dockyard WMS", "warehouse stock_level item", "mutualTLS",
       ["Supply Chain & Logistics"], "team:logistics tier:silver region:eu", "steady"),
    _c("parcelpoint", "Parcelpoint", "shipment", "apiKeyQuery",
       ["Supply Chain & Logistics", "eCommerce"], "team:logistics tier:bronze region:eu",
       "single"),
    _c("routemaster", "Routemaster", "shipment warehouse", "oauth2Client",
       ["Supply Chain & Logistics"], "team:logistics tier:silver region:apac", "pinned"),
    _c("roomkey", "Roomkey PMS", "room guest booking", "oauth2Code",
       ["Hospitality"], "team:ops tier:gold region:eu", "steady",
       connections=("Production", "Staging"), webhooks=True, signing=SHA256, oauth2_client=True,
       variables=(("property_code", "LON-01"),)),
    _c("tablebook", "Tablebook", "booking guest", "apiKey",
       ["Hospitality"], "team:ops tier:bronze region:eu", "single"),
    _c("checkin", "Checkin Kiosk", "guest room", "none",
       ["Hospitality", "Development & IT"], "team:platform tier:bronze region:eu beta", "new"),
    _c("taskboard", "Taskboard", "project task", "oauth2Code",
       ["Productivity"], "team:platform tier:silver region:eu region:us", "major",
       webhooks=True, signing=SHA256),
    _c("docuvault", "Docuvault", "document project", "mutualTLS oauth2Code",
       ["Productivity", "Business Operations"], "team:ops tier:silver region:eu", "steady"),
    _c("meetwise", "Meetwise", "booking contact", "bearerToken",
       ["Productivity"], "team:people tier:bronze region:us", "single"),
    _c("pipelined", "Pipelined CI", "build deployment project", "bearerToken",
       ["Development & IT"], "team:platform tier:gold region:eu", "steady",
       webhooks=True, signing=SHA256),
    _c("pagerly", "Pagerly", "incident alert", "apiKey",
       ["Development & IT"], "team:platform tier:gold region:us", "pinned",
       webhooks=True, signing=SHA256),
    _c("uptimer", "Uptimer", "alert", "apiKeyQuery",
       ["Development & IT"], "team:platform tier:bronze region:eu", "single", public=True),
    _c("gitforge", "Gitforge", "project build", "oauth2Code bearerToken",
       ["Development & IT"], "team:platform tier:silver region:eu region:us", "major",
       connections=("Production", "Staging"), variables=(("organisation", "acme"),)),
    _c("cortex", "Cortex AI", "completion embedding", "bearerToken",
       ["AI/LLMs"], "team:data tier:gold region:us beta", "steady",
       connections=("Production", "Staging")),
    _c("vectorly", "Vectorly", "embedding document", "apiKey",
       ["AI/LLMs", "Development & IT"], "team:data tier:silver region:eu", "new",
       connections=("Sandbox",)),
    _c("transcribo", "Transcribo", "document completion", "apiKey",
       ["AI/LLMs", "Communication"], "team:support tier:bronze region:eu", "single"),
    _c("shopfront", "Shopfront", "order item customer", "oauth2Code apiKey",
       ["eCommerce"], "team:growth tier:gold region:eu region:us pii", "steady",
       connections=("Production", "Staging"), webhooks=True, signing=SHA256,
       oauth2_client=True, in_use=True),
    _c("cartwheel", "Cartwheel", "order item", "basicAuth",
       ["eCommerce"], "team:growth tier:silver region:eu", "pinned"),
    _c("bazaar", "Bazaar Marketplace", "item order shipment", "oauth2Client",
       ["eCommerce", "Supply Chain & Logistics"], "team:growth tier:bronze region:apac", "major"),
    _c("formly", "Formly", "document contact", "apiKey",
       ["Business Operations", "Productivity"], "team:ops tier:bronze region:eu", "single"),
    _c("contractly", "Contractly", "document customer", "oauth2Code",
       ["Business Operations"], "team:ops tier:silver region:eu pii", "steady"),
    _c("helpdeskly", "Helpdeskly", "ticket contact", "apiKey oauth2Code",
       ["Communication", "CRM"], "team:support tier:gold region:eu region:us pii", "steady",
       connections=("Production", "Staging"), webhooks=True, signing=SHA256),
    _c("legacy-stock", "Legacy Stock Service", "stock_level item", "basicAuth",
       ["ERP"], "team:ops tier:bronze deprecated", "single",
       server="http://stock.legacy-stock.example:8080/api"),
    _c("subscriptly", "Subscriptly", "subscription customer invoice", "apiKey",
       ["eCommerce", "Accounting"], "team:payments tier:silver region:eu", "steady",
       webhooks=True, signing=("sha256", ())),
)  # fmt: skip

WAREHOUSES: tuple[DemoWarehouse, ...] = (
    DemoWarehouse("analytics-warehouse", "Analytics warehouse", "acme-analytics.events",
                  ("Development & IT",), tags("team:data tier:gold region:eu")),
    DemoWarehouse("finance-warehouse", "Finance warehouse", "acme-finance.ledger",
                  ("Accounting",), tags("team:data team:finance tier:gold region:eu pii"),
                  ("Production", "Staging")),
    DemoWarehouse("marketing-warehouse", "Marketing warehouse", "acme-marketing.campaigns",
                  ("Business Operations",), tags("team:growth tier:silver region:us"), ()),
)  # fmt: skip

_LIBRARY = (
    _c("weatherline", "Weatherline", "location forecast", "apiKeyQuery",
       ["Productivity"], "kind:reference-data pricing:paid", "steady"),
    _c("geocodr", "Geocodr", "location", "apiKey",
       ["Supply Chain & Logistics"], "kind:reference-data pricing:free", "steady"),
    _c("fx-rates", "FX Rates", "rate", "none",
       ["Accounting"], "kind:reference-data pricing:free", "major"),
    _c("holiday-calendar", "Holiday Calendar", "holiday", "none",
       ["HR"], "kind:reference-data pricing:free", "single"),
    _c("company-registry", "Company Registry", "company", "oauth2Client",
       ["Business Operations"], "kind:reference-data pricing:paid", "pinned"),
    _c("vat-check", "VAT Check", "vat_number", "apiKey",
       ["Accounting"], "kind:compliance pricing:free", "single"),
    _c("lingua", "Lingua Translate", "translation", "bearerToken",
       ["AI/LLMs"], "kind:ai pricing:paid", "steady"),
    _c("sms-relay", "SMS Relay", "message contact", "basicAuth",
       ["Communication"], "kind:messaging pricing:paid", "single"),
    _c("inksign", "Inksign", "document contact", "oauth2Code",
       ["Business Operations"], "kind:documents pricing:paid", "major",
       webhooks=True, signing=SHA256, oauth2_client=True),
    _c("storefront-starter", "Storefront Starter", "order item customer", "oauth2Code",
       ["eCommerce"], "kind:commerce pricing:free beta", "new"),
)  # fmt: skip
LIBRARY: tuple[DemoConnector, ...] = tuple(replace(item, public=True) for item in _LIBRARY)

# The library connector the organisation has already imported (its latest version).
IMPORTED_FROM_LIBRARY = "geocodr"

# Credentials several connections share: (connector slug, connection) -> shared key.
SHARED = {
    ("dockyard", "Production"): "acme-mtls",
    ("payrollo", "Production"): "acme-mtls",
}

# Keyed by the shared key, or "<slug>/<connection>" for a connection's own credential.
FATES: dict[str, Fate] = {
    "ledgerly/Production": Fate(expires_in=3),
    "globex-crm/Production": Fate(expires_in=1),
    "pipewise/Production": Fate(
        expires_in=-2, errors=("OAuth 2.0 re-authorisation failed: invalid_grant",)
    ),
    "paystream/Staging": Fate(
        errors=("401 Unauthorized from GET /customers: the API key was revoked",)
    ),
    "acme-mtls": Fate(expires_in=5, name="Acme mTLS client certificate"),
    "shiftly/Production": Fate(expires_in=-10),
    "taskboard/Production": Fate(expires_in=12, rotated=18),
    "gitforge/Production": Fate(rotated=9),
    "helpdeskly/Staging": Fate(
        errors=("403 Forbidden from GET /tickets: the token lacks the tickets:read scope",)
    ),
    "shopfront/Production": Fate(expires_in=25, rotated=5),
    "finance-warehouse/Staging": Fate(expires_in=-30),
}

# A short, stable description per importer scheme key (the importer uses the key itself).
AUTH_DESCRIPTIONS = {
    "apiKey": "API key (X-API-Key header)",
    "apiKeyQuery": "API key (query string)",
    "bearerToken": "Bearer token",
    "basicAuth": "Username and password",
    "mutualTLS": "Client certificate (mTLS)",
    "oauth2Code": "OAuth 2.0: users sign in",
    "oauth2Client": "OAuth 2.0: client credentials",
    "oauth2Password": "OAuth 2.0: password grant",
}
