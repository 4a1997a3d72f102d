"""The background sweep, run by the job worker (``healthcareplus.worker``), not the web app."""

from __future__ import annotations

import logging
from collections.abc import Callable

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.idempotency import prune_idempotency_keys
from healthcareplus.domain.accounts.api_tokens import prune_api_tokens
from healthcareplus.domain.accounts.password_links import prune_password_links
from healthcareplus.domain.accounts.throttle import prune_login_attempts
from healthcareplus.domain.booking import waitlist, waitlist_offers
from healthcareplus.domain.payments import reconciliation
from healthcareplus.domain.payments.gateway import PaymentGateway, gateway_from_settings
from healthcareplus.domain.reports.download_links import prune_download_grants
from healthcareplus.domain.scheduling.lifecycle import expire_lapsed_holds

log = logging.getLogger(__name__)
# Rows kept only for a while: (what they are, the function deleting those past use).
PRUNES: tuple[tuple[str, Callable[..., int]], ...] = (
    ("old sign-in attempts", prune_login_attempts),
    ("old download grants", prune_download_grants),
    ("ended password links", prune_password_links),
    ("expired API tokens", prune_api_tokens),
    ("expired idempotency keys", prune_idempotency_keys),
)


def sweep_once(gateway: PaymentGateway | None = None) -> int:
    """Reconcile stuck payment attempts, push unacknowledged refunds, prune sign-in
    attempts no throttling rule reads any more and download grants long expired, expire
    lapsed holds.

    Each attempt and refund gets its own unit of work, so one gateway failure does not undo
    the others, and a failed prune does not stop the rest. Returns how many holds expired.
    """
    gateway = gateway or gateway_from_settings()
    with session_scope() as db:
        keys = reconciliation.stuck_attempt_keys(db, now=utcnow())
        refunds = reconciliation.unsettled_refund_ids(db)
    for key in keys:
        try:
            with session_scope() as db:
                reconciliation.reconcile_attempt(db, key=key, gateway=gateway, now=utcnow())
        except Exception:  # the gateway or the database failed: ask again next sweep
            log.exception("could not reconcile payment attempt %s", key)
    for payment_id in refunds:
        try:
            with session_scope() as db:
                reconciliation.push_refund(db, payment_id=payment_id, gateway=gateway, now=utcnow())
        except Exception:
            log.exception("could not push refund %s", payment_id)
    for what, prune in PRUNES:
        try:
            with session_scope() as db:
                pruned = prune(db, now=utcnow())
            if pruned:
                log.info("pruned %d %s", pruned, what)
        except Exception:  # the next sweep prunes them
            log.exception("could not prune %s", what)
    with session_scope() as db:
        return expire_lapsed_holds(db, now=utcnow())


def waitlist_once(limit: int = 100) -> int:
    """Close offers whose hold ended, end past waitlist entries, then offer each freed
    slot to its first waiter, one unit of work per slot (a failure leaves the others be).
    Returns how many offers were made."""
    with session_scope() as db:
        waitlist_offers.settle_offers(db, now=utcnow())
        waitlist.end_past_entries(db, now=utcnow())
        freed = waitlist_offers.unhandled_freed_slots(db, limit=limit)
    made = 0
    for freed_id in freed:
        try:
            with session_scope() as db:
                made += (
                    waitlist_offers.offer_freed_slot(db, freed_id=freed_id, now=utcnow())
                    is not None
                )
        except Exception:  # the slot is handled again only if this unit rolled back
            log.exception("could not offer freed slot %s", freed_id)
    return made
