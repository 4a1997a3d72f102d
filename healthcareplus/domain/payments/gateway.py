"""The payment gateway interface and the mock that stands in for a real provider.

A real gateway (Razorpay, PayU, ...) fills the same three calls: ``charge`` an amount for
an idempotency key (the same key is never charged twice), ``status`` of a key (what
happened to a charge whose answer we never got), and ``refund`` the charge made under a
key (idempotent too).

``MockGateway`` keeps its ledger in a small SQLite file of its own (like a bank, it
outlives the app's processes: a worker killed mid-payment, or another worker, can still
ask what happened), or in memory for a single process. It succeeds with the configured
probability; the test instruments always decline.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import PaymentMethod
from healthcareplus.domain.payments.methods import PaymentDetails, card_token

DECLINE_CARD_NUMBER = "4000000000000002"  # test card: always declined
DECLINE_UPI_PREFIX = "fail"  # test UPI ids ("fail@okaxis"): always declined
_RANDOM_FAILURES = (
    "Payment declined by the bank",
    "Insufficient balance",
    "The bank did not respond in time",
)


class ChargeState(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"  # received, no final answer yet
    UNKNOWN = "unknown"  # never received: nothing was charged


@dataclass(frozen=True)
class GatewayResult:
    success: bool
    reference: str = ""
    failure_reason: str = ""


@dataclass(frozen=True)
class ChargeStatus:
    state: ChargeState
    reference: str = ""
    failure_reason: str = ""
    refunded: bool = False


class PaymentGateway(Protocol):
    def charge(
        self, *, amount_paise: int, details: PaymentDetails, idempotency_key: str
    ) -> GatewayResult: ...

    def status(self, *, idempotency_key: str) -> ChargeStatus: ...

    def refund(self, *, idempotency_key: str, amount_paise: int) -> bool: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS charges (
    key TEXT PRIMARY KEY,
    amount_paise INTEGER NOT NULL,
    state TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    failure_reason TEXT NOT NULL DEFAULT '',
    refunded_paise INTEGER NOT NULL DEFAULT 0
)
"""


class LedgerGateway:
    """The bookkeeping of a gateway: one row per idempotency key, in SQLite.

    Subclasses decide each new charge in ``_decide``. ``net_charged_paise`` (charges that
    succeeded minus refunds) is what the patients actually paid.
    """

    def __init__(self, path: str = ":memory:") -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def charge(
        self, *, amount_paise: int, details: PaymentDetails, idempotency_key: str
    ) -> GatewayResult:
        with self._lock:
            inserted = self._db.execute(
                "INSERT OR IGNORE INTO charges (key, amount_paise, state) VALUES (?, ?, ?)",
                (idempotency_key, amount_paise, ChargeState.PENDING.value),
            ).rowcount
            self._db.commit()
        if not inserted:  # a retried key: the first answer stands
            known = self.status(idempotency_key=idempotency_key)
            return GatewayResult(
                known.state == ChargeState.SUCCEEDED, known.reference, known.failure_reason
            )
        try:
            result = self._decide(amount_paise, details, idempotency_key)
        except Exception:  # the provider broke while processing: nothing was charged
            result = GatewayResult(False, failure_reason="The payment could not be completed.")
            self._finish(idempotency_key, result)
            raise
        self._finish(idempotency_key, result)
        return result

    def _finish(self, idempotency_key: str, result: GatewayResult) -> None:
        state = ChargeState.SUCCEEDED if result.success else ChargeState.FAILED
        with self._lock:
            self._db.execute(
                "UPDATE charges SET state = ?, reference = ?, failure_reason = ? WHERE key = ?",
                (state.value, result.reference, result.failure_reason, idempotency_key),
            )
            self._db.commit()

    def status(self, *, idempotency_key: str) -> ChargeStatus:
        with self._lock:
            row = self._db.execute(
                "SELECT state, reference, failure_reason, refunded_paise FROM charges"
                " WHERE key = ?",
                (idempotency_key,),
            ).fetchone()
        if row is None:
            return ChargeStatus(ChargeState.UNKNOWN)
        return ChargeStatus(ChargeState(row[0]), row[1], row[2], row[3] > 0)

    def refund(self, *, idempotency_key: str, amount_paise: int) -> bool:
        """Give back a succeeded charge (once; later calls change nothing and say True)."""
        with self._lock:
            row = self._db.execute(
                "SELECT state, amount_paise FROM charges WHERE key = ?", (idempotency_key,)
            ).fetchone()
            if row is None or row[0] != ChargeState.SUCCEEDED.value:
                return False
            self._db.execute(
                "UPDATE charges SET refunded_paise = ? WHERE key = ?",
                (min(amount_paise, row[1]), idempotency_key),
            )
            self._db.commit()
        return True

    def net_charged_paise(self, key_prefix: str = "") -> int:
        """Charged minus refunded, over the keys starting with ``key_prefix``."""
        with self._lock:
            (total,) = self._db.execute(
                "SELECT COALESCE(SUM(amount_paise - refunded_paise), 0) FROM charges"
                " WHERE state = 'succeeded' AND key LIKE ? || '%'",
                (key_prefix,),
            ).fetchone()
        return int(total)

    def _decide(self, amount_paise: int, details: PaymentDetails, key: str) -> GatewayResult:
        raise NotImplementedError


class MockGateway(LedgerGateway):
    """Succeeds with probability ``success_rate``; the test instruments always decline."""

    def __init__(
        self, success_rate: float, rng: random.Random | None = None, path: str = ":memory:"
    ) -> None:
        if not 0.0 <= success_rate <= 1.0:
            raise ValueError("success_rate must be between 0 and 1")
        super().__init__(path)
        self.success_rate = success_rate
        self._rng = rng or random.Random()

    def _decide(self, amount_paise: int, details: PaymentDetails, key: str) -> GatewayResult:
        if details.method == PaymentMethod.CARD and details.card_token == card_token(
            DECLINE_CARD_NUMBER
        ):
            return GatewayResult(False, failure_reason="Card declined by the issuing bank")
        if details.method == PaymentMethod.UPI and (details.upi_vpa or "").lower().startswith(
            DECLINE_UPI_PREFIX
        ):
            return GatewayResult(False, failure_reason="UPI request declined")
        if self._rng.random() < self.success_rate:
            return GatewayResult(True, reference=f"MOCK{self._rng.getrandbits(48):012X}")
        return GatewayResult(False, failure_reason=self._rng.choice(_RANDOM_FAILURES))


@lru_cache(maxsize=4)
def _shared_mock(success_rate: float, path: str) -> MockGateway:
    return MockGateway(success_rate, path=path)


def gateway_from_settings() -> PaymentGateway:
    """The app's gateway: the mock, its ledger shared by every worker through its file."""
    settings = get_settings()
    return _shared_mock(settings.payment_success_rate, settings.mock_gateway_path)


__all__ = [
    "DECLINE_CARD_NUMBER",
    "DECLINE_UPI_PREFIX",
    "ChargeState",
    "ChargeStatus",
    "GatewayResult",
    "LedgerGateway",
    "MockGateway",
    "PaymentGateway",
    "gateway_from_settings",
]
