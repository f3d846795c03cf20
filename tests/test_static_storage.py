"""Production's static storage works each file's URL out once (dashboard/static_storage.py)."""

import json

import pytest

from dashboard.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"css/a.css": "css/a.0123abcd.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_url_is_the_hashed_name_worked_out_once(storage, monkeypatch):
    assert storage.url("css/a.css") == "/static/css/a.0123abcd.css"

    monkeypatch.setattr(storage, "stored_name", lambda name: pytest.fail("worked out again"))

    assert storage.url("css/a.css") == "/static/css/a.0123abcd.css"


def test_a_name_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
