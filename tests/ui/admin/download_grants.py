"""Reading the one-time download grants the admin states hand out, without using them up."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlsplit

from sqlmodel import func, select

from healthcareplus.core.db import session_scope
from healthcareplus.core.models import DownloadGrant


def grant_of(url: str, purpose: str) -> DownloadGrant:
    """The unused grant behind a download link's ``grant`` id, for ``purpose``."""
    [token] = parse_qs(urlsplit(url).query)["grant"]
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    with session_scope() as db:
        row = db.exec(select(DownloadGrant).where(DownloadGrant.token_hash == token_hash)).one()
    assert (row.purpose, row.used_at) == (purpose, None)
    return row


def grant_count() -> int:
    with session_scope() as db:
        return db.exec(select(func.count()).select_from(DownloadGrant)).one()
