"""The Connect API's reference documents (the contract), read from beside the project:
../shared/reference/, or the file CONNECT_API_REFERENCE names. They are never copied into the
repository, so a fresh clone has none: tests that need one skip, except under CI=true, where
the documents are always laid beside the checkout and a missing one is a broken set-up."""

import os
from pathlib import Path

import pytest

REFERENCE = Path(
    os.environ.get(
        "CONNECT_API_REFERENCE",
        Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "connect-api-v1.yaml",
    )
)


def require(path: Path = REFERENCE) -> Path:
    """`path`, or skip the calling test (fail it under CI=true) when it does not exist."""
    if not path.exists():
        message = f"needs the Connect API reference document, not found at {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
