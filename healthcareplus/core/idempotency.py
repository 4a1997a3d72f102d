"""Idempotency keys of the REST API: the first answer to a request sent with an
``Idempotency-Key``, kept so that a retry gets that answer again instead of running twice.

The table (re-exported by ``models``) and its storage, in plain SQL; the HTTP side (the
header, what a request's fingerprint covers, replaying an answer) is
``api.v1.idempotency``.

How the answer and the change stay consistent, under crashes and under concurrency:

1. **Claim, committed on its own.** The request inserts its key row "in flight" (no
   answer yet, a random ``lease`` and ``locked_until``) in a transaction of its own,
   with ``INSERT … ON CONFLICT DO NOTHING`` on (owner, key): of two requests racing with
   one key exactly one inserts; the other reads the row and is told "in flight" (409) at
   once, instead of waiting on a lock or running the change a second time.
2. **Change and answer in one unit of work.** The endpoint makes its change and, before
   that unit of work commits, ``complete_key`` writes the answer into the row (only
   while this request still holds the lease). Both commit, or neither: a crash before
   the commit leaves no change and a key still "in flight", never a change without its
   answer. A refusal of the domain (nothing changed) is stored as the answer too, in a
   transaction of its own; an unexpected failure (500) releases the key, since its
   unit of work rolled back and running again is safe.
3. **A crashed request's claim lapses.** ``locked_until`` lies past the longest a request
   can run (``LEASE``); after it a retry takes the claim over with a compare-and-set on
   the lease, so one retry wins and the loser's late answer (if the first request was
   only slow) cannot overwrite it: its ``complete_key`` finds the lease gone and its unit
   of work rolls back.

The one endpoint whose domain commits part of its work early, paying (the payment attempt
is committed before the gateway is called, ``payments.checkout``), is safe to run again
by design: a settled booking answers with its settlement and never charges twice.

The alternative, holding a row lock on the key for the whole request, would make a
duplicate wait and then replay, but ties a database connection to every slow gateway call
and cannot tell a client "in progress". Keys (and their answers) are kept for
``HCP_API_IDEMPOTENCY_HOURS`` from the first use; ``prune_idempotency_keys`` (the
background sweep) deletes them after that, and an expired key may be used afresh.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, Column, Text, UniqueConstraint, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col, select

from healthcareplus.core.dbtypes import instant_column as _instant
from healthcareplus.core.dbtypes import utcnow

# Longer than any request runs (the gateway timeout is at most two minutes): a claim
# older than this belongs to a request that died.
LEASE = timedelta(minutes=5)
OWNER_MAX, KEY_MAX = 40, 255


class IdempotencyKey(SQLModel, table=True):
    """One key of one caller (``owner``: ``user:<id>`` or ``key:<API key id>``): the
    request it was first used with (``fingerprint``) and, once answered, the answer. While
    in flight, ``lease`` names the request holding it until ``locked_until``."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner", "key", name="uq_idempotency_keys_owner_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=OWNER_MAX)
    key: str = Field(max_length=KEY_MAX)
    fingerprint: str = Field(max_length=64)
    lease: str | None = Field(default=None, max_length=32)
    locked_until: datetime | None = Field(default=None, sa_column=_instant())
    status_code: int | None = None
    response_body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    response_headers: dict[str, str] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=_instant())
    expires_at: datetime = Field(sa_column=_instant(nullable=False, index=True))


class Busy(StrEnum):
    """Why a key cannot be claimed now."""

    OTHER_REQUEST = "other_request"  # first used with another request (body, path, method)
    IN_FLIGHT = "in_flight"  # a request with this key is still running


@dataclass(frozen=True)
class Claim:
    """This request holds the key: its answer goes into row ``row_id`` under ``lease``."""

    row_id: int
    lease: str


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer given to the key's request."""

    status_code: int
    body: str
    headers: dict[str, str]


def _insert(session: Session, values: dict[str, object]) -> int | None:
    """INSERT the row unless (owner, key) exists; its id, or None."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(IdempotencyKey)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["owner", "key"])
        .returning(col(IdempotencyKey.id))
    )
    found = session.execute(statement).first()
    return None if found is None else int(found[0])


def claim_key(
    session: Session,
    *,
    owner: str,
    key: str,
    fingerprint: str,
    now: datetime,
    keep_for: timedelta,
) -> Claim | StoredAnswer | Busy:
    """Claim ``key`` for this request, or say why not: its stored answer (the same
    request again), ``Busy.OTHER_REQUEST`` or ``Busy.IN_FLIGHT``. The caller commits the
    claim at once (its own unit of work), before running the request."""
    mine = (col(IdempotencyKey.owner) == owner, col(IdempotencyKey.key) == key)
    for _ in range(3):  # a row deleted between our insert and read: try again
        expired = col(IdempotencyKey.expires_at) <= now
        session.exec(
            delete(IdempotencyKey)
            .where(*mine, expired)
            .execution_options(synchronize_session=False)
        )
        lease = secrets.token_hex(16)
        values: dict[str, object] = {
            "owner": owner,
            "key": key,
            "fingerprint": fingerprint,
            "lease": lease,
            "locked_until": now + LEASE,
            "created_at": now,
            "expires_at": now + keep_for,
        }
        row_id = _insert(session, values)
        if row_id is not None:
            return Claim(row_id, lease)
        row = session.exec(
            select(IdempotencyKey).where(*mine).execution_options(populate_existing=True)
        ).first()
        if row is None:
            continue
        if row.fingerprint != fingerprint:
            return Busy.OTHER_REQUEST
        if row.status_code is not None:
            return StoredAnswer(
                row.status_code, row.response_body or "", row.response_headers or {}
            )
        if row.locked_until is not None and row.locked_until > now:
            return Busy.IN_FLIGHT
        return _take_over(session, row, now)
    return Busy.IN_FLIGHT


def _take_over(session: Session, row: IdempotencyKey, now: datetime) -> Claim | Busy:
    """The claim of a request that died (its lease lapsed): ours, if no one beat us."""
    assert row.id is not None  # a loaded row
    lease = secrets.token_hex(16)
    taken = session.exec(
        update(IdempotencyKey)
        .where(
            col(IdempotencyKey.id) == row.id,
            col(IdempotencyKey.status_code).is_(None),
            col(IdempotencyKey.lease) == row.lease,
        )
        .values(lease=lease, locked_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    return Claim(row.id, lease) if taken.rowcount == 1 else Busy.IN_FLIGHT


def complete_key(session: Session, claim: Claim, answer: StoredAnswer, *, now: datetime) -> bool:
    """Store the answer, in the caller's unit of work; False when this request no longer
    holds the key (its lease lapsed and a retry took it over): then roll back."""
    done = session.exec(
        update(IdempotencyKey)
        .where(
            col(IdempotencyKey.id) == claim.row_id,
            col(IdempotencyKey.lease) == claim.lease,
            col(IdempotencyKey.status_code).is_(None),
        )
        .values(
            status_code=answer.status_code,
            response_body=answer.body,
            response_headers=dict(answer.headers),
            completed_at=now,
            lease=None,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)


def release_key(session: Session, claim: Claim) -> None:
    """Forget the claim of a request that failed without changing anything (a retry runs
    it afresh); a claim taken over since is left alone."""
    session.exec(
        delete(IdempotencyKey)
        .where(
            col(IdempotencyKey.id) == claim.row_id,
            col(IdempotencyKey.lease) == claim.lease,
            col(IdempotencyKey.status_code).is_(None),
        )
        .execution_options(synchronize_session=False)
    )


def prune_idempotency_keys(session: Session, *, now: datetime) -> int:
    """Delete the keys past their expiry (answered or not); how many."""
    result = session.exec(
        delete(IdempotencyKey)
        .where(col(IdempotencyKey.expires_at) <= now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


__all__ = [
    "LEASE",
    "Busy",
    "Claim",
    "IdempotencyKey",
    "StoredAnswer",
    "claim_key",
    "complete_key",
    "prune_idempotency_keys",
    "release_key",
]
