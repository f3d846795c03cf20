"""Keyset pagination, exercised directly on a real table (the API keys)."""

import base64
import json

import pytest
from django.test import RequestFactory

from dashboard.embedded_api.errors import ApiError
from dashboard.embedded_api.models import Connector
from dashboard.embedded_api.pagination import paginate

pytestmark = pytest.mark.django_db
factory = RequestFactory()


@pytest.fixture
def connectors():
    from datetime import UTC, datetime, timedelta

    base = datetime(2026, 1, 1, tzinfo=UTC)
    # Pairs share an updated_at so the id tiebreak matters.
    return [
        Connector.objects.create(
            organisation_id="o",
            name=f"c{i:02}",
            protocol="http",
            updated_at=base + timedelta(minutes=i // 2),
        )
        for i in range(7)
    ]


def page(query: str):
    return paginate(
        factory.get("/", data=dict(p.split("=", 1) for p in query.split("&") if p)),
        Connector.objects.all(),
    )


def test_it_walks_forward_and_back_through_every_row_exactly_once(connectors):
    seen, cursor = [], None
    while True:
        current = page("first=3" + (f"&after={cursor}" if cursor else ""))
        assert current.total_count == 7
        seen += [row.pk for row in current.items]
        if not current.next:
            break
        cursor = current.next
    expected = [c.pk for c in sorted(connectors, key=lambda c: (c.updated_at, c.pk), reverse=True)]
    assert seen == expected
    back = page(f"first=3&before={current.prev}")
    assert [row.pk for row in back.items] == expected[3:6]
    assert back.next and back.prev


def test_the_first_page_has_no_prev_and_the_last_no_next(connectors):
    first = page("first=7")
    assert first.prev is None and first.next is None and len(first.items) == 7


def test_cursors_stay_stable_when_rows_are_inserted(connectors):
    first = page("first=3")
    Connector.objects.create(organisation_id="o", name="new", protocol="http")
    second = page(f"first=3&after={first.next}")
    assert "new" not in [row.name for row in second.items]
    assert second.items[0].updated_at <= first.items[-1].updated_at


def test_sort_by_name_ascending(connectors):
    assert [row.name for row in page("sort=name:asc&first=3").items] == ["c00", "c01", "c02"]


@pytest.mark.parametrize(
    "query",
    [
        "first=0",
        "first=-1",
        "first=x",
        "sort=secret:asc",
        "sort=name:up",
        "after=%%%",
        "after=" + base64.urlsafe_b64encode(json.dumps([1]).encode()).decode(),
    ],
)
def test_bad_parameters_are_a_400(connectors, query):
    with pytest.raises(ApiError) as error:
        page(query)
    assert error.value.status == 400


def test_first_is_capped(connectors):
    assert page("first=100000").total_count == 7
