"""This installation's own secret key and admin code, made on first start.

Nothing secret is a published default. When ``HCP_SECRET_KEY`` or ``HCP_ADMIN_CODE`` is
not set (development and test only: production demands explicit values), the app uses
the values in ``<HCP_INSTANCE_DIR>/secrets.json``, creating that file with strong random
values the first time: readable by its owner only (0600, in a 0700 folder) and outside
git. The admin code is printed once, when it is made; it stays in the file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

SECRETS_FILE = "secrets.json"
KEYS = ("secret_key", "admin_code")

# SHA-256 of values that were once published as defaults: refused wherever they appear.
PUBLISHED = frozenset(
    {
        "bd4b969ec202e3b67240d985aaa4262999c614e4e7a2ccb7fcd314853a8a1d7b",
        "7f647b4efc6e64e7b81c143389a1fb0decf3790b1b60cbb7479b4097382f6b86",
    }
)


def is_published(value: str) -> bool:
    """Whether ``value`` is a secret that was once public (ignoring case and spaces)."""
    candidates = {value, value.strip(), value.strip().upper(), value.strip().lower()}
    return any(hashlib.sha256(c.encode()).hexdigest() in PUBLISHED for c in candidates)


def new_admin_code() -> str:
    """``HCP-XXXX-XXXX-XXXX-XXXX``: 80 random bits, easy to read out and type."""
    text = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "HCP-" + "-".join(text[i : i + 4] for i in range(0, 16, 4))


def _create(path: Path) -> dict[str, str]:
    """Write fresh values to ``path`` unless another process got there first (the file
    appears whole or not at all: written aside, then hard-linked into place)."""
    values = {"secret_key": secrets.token_urlsafe(48), "admin_code": new_admin_code()}
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secrets-")
    try:
        with os.fdopen(fd, "w") as handle:  # mkstemp files are 0600 already
            json.dump(values, handle)
        os.link(temporary, path)
    except FileExistsError:
        return _read(path)
    finally:
        os.unlink(temporary)
    print(
        "HealthCarePlus: made this installation's private admin code (shown once, kept in "
        f"{path}):\n    {values['admin_code']}\n"
        "Set HCP_ADMIN_CODE (and HCP_SECRET_KEY) to choose your own.",
        file=sys.stderr,
    )
    return values


def _read(path: Path) -> dict[str, str]:
    os.chmod(path, 0o600)  # owner only, even if someone loosened it
    values = json.loads(path.read_text())
    if not isinstance(values, dict) or not all(isinstance(values.get(k), str) for k in KEYS):
        raise ValueError(f"{path} is not a secrets file of this app; move it away to remake it")
    return {k: values[k] for k in KEYS}


def instance_secrets(directory: Path) -> dict[str, str]:
    """The secret key and admin code kept in ``directory``, made on first use."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / SECRETS_FILE
    return _read(path) if path.exists() else _create(path)


__all__ = ["PUBLISHED", "instance_secrets", "is_published", "new_admin_code"]
