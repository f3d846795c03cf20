"""Lists as downloads: CSV (lists joined by commas, nothing a spreadsheet would run) or JSON."""

import csv
import io
import json

from django.http import HttpResponse
from django.utils import timezone

CSV, JSON = "csv", "json"


def _cell(value) -> str:
    text = ", ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    # A leading =, +, - or @ would make a spreadsheet read the cell as a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def download(
    records: list[dict], fields: tuple[str, ...], basename: str, kind: str
) -> HttpResponse:
    """`records` (dicts with `fields`) as a `kind` (CSV or JSON) attachment named after
    `basename` and the time."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if kind == JSON:
        body, content_type = json.dumps(records, indent=2, default=str), "application/json"
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(fields)
        writer.writerows([_cell(record[name]) for name in fields] for record in records)
        body, content_type = out.getvalue(), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{kind}"'
    return response
