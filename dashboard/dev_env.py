"""Write the development `.env` that `make run` and `make test` need, adding only what is missing.

Run as `python -m dashboard.dev_env [path]`. It runs before Django can start (settings need
SECRET_KEY), so it imports nothing from Django. Values already in the file are never changed.
"""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"

HEADER = "# Development settings written by `make run`; see .env.example for every variable.\n"


def read_env_keys(path: Path) -> set[str]:
    """The variable names a dotenv file sets to a non-empty value (comments ignored)."""
    if not path.exists():
        return set()
    keys = set()
    for line in path.read_text().splitlines():
        name, _, value = line.strip().removeprefix("export ").partition("=")
        if value.strip() and not name.startswith("#"):
            keys.add(name.strip())
    return keys


def set_env_value(path: Path, key: str, value: str) -> None:
    """Set `key=value` in a dotenv file, replacing an existing line for `key` or appending one."""
    lines = path.read_text().splitlines() if path.exists() else [HEADER.rstrip("\n")]
    assignment = f"{key}={value}"
    for index, line in enumerate(lines):
        if line.strip().removeprefix("export ").partition("=")[0].strip() == key:
            lines[index] = assignment
            break
    else:
        lines.append(assignment)
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)  # it holds secrets


def save_new_password(path: Path, key: str) -> str:
    """Generate a password and save it as `key` in a dotenv file: saved rather than printed,
    as terminal output ends up in logs."""
    password = secrets.token_urlsafe(18)
    set_env_value(path, key, password)
    return password


def development_defaults() -> dict[str, str]:
    """Fresh values for the variables a development checkout needs."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "true",
        "EMBEDDED_API_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }


def ensure_dev_env(path: Path = ENV_FILE) -> list[str]:
    """Add any missing development variable to `path`; return the names added."""
    present = read_env_keys(path)
    added = []
    for key, value in development_defaults().items():
        if key not in present:
            set_env_value(path, key, value)
            added.append(key)
    return added


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ENV_FILE
    if added := ensure_dev_env(target):
        print(f"Wrote {', '.join(added)} to {target}")
