"""The payment gateway interface and its two implementations.

``MockGateway`` stands in for a real provider (success with a configured probability; the
test instruments always decline); ``ScriptedGateway`` gives tests fixed outcomes. Both
remember each idempotency key's result, so one key is never charged twice.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class GatewayResult:
    success: bool
    reference: str = ""
    failure_reason: str = ""


class PaymentGateway(Protocol):
    def charge(
        self, *, amount_paise: int, details: PaymentDetails, idempotency_key: str
    ) -> GatewayResult: ...


class _IdempotentGateway:
    """Remembers each idempotency key's result: the same key is charged only once."""

    def __init__(self) -> None:
        self._results: dict[str, GatewayResult] = {}
        self._lock = threading.Lock()
        self.calls: list[str] = []  # every charge() call's idempotency key
        self.charged: list[tuple[str, int]] = []  # (key, amount) actually processed

    def charge(
        self, *, amount_paise: int, details: PaymentDetails, idempotency_key: str
    ) -> GatewayResult:
        with self._lock:
            self.calls.append(idempotency_key)
            known = self._results.get(idempotency_key)
            if known is not None:
                return known
            result = self._decide(amount_paise, details)
            self._results[idempotency_key] = result
            self.charged.append((idempotency_key, amount_paise))
            return result

    def _decide(self, amount_paise: int, details: PaymentDetails) -> GatewayResult:
        raise NotImplementedError


class MockGateway(_IdempotentGateway):
    """Succeeds with probability ``success_rate``; the test instruments always decline."""

    def __init__(self, success_rate: float, rng: random.Random | None = None) -> None:
        if not 0.0 <= success_rate <= 1.0:
            raise ValueError("success_rate must be between 0 and 1")
        super().__init__()
        self.success_rate = success_rate
        self._rng = rng or random.Random()

    def _decide(self, amount_paise: int, details: PaymentDetails) -> GatewayResult:
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


class ScriptedGateway(_IdempotentGateway):
    """For tests: the n-th new charge succeeds when ``outcomes[n]`` is true.

    ``delay`` (seconds) holds each new charge inside the gateway, to overlap callers.
    """

    def __init__(
        self,
        outcomes: list[bool],
        *,
        failure_reason: str = "Payment declined by the bank",
        delay: float = 0.0,
    ) -> None:
        super().__init__()
        self._outcomes = list(outcomes)
        self._failure_reason = failure_reason
        self._delay = delay

    def _decide(self, amount_paise: int, details: PaymentDetails) -> GatewayResult:
        if self._delay:
            time.sleep(self._delay)
        if not self._outcomes:
            raise RuntimeError("ScriptedGateway ran out of outcomes")
        if self._outcomes.pop(0):
            return GatewayResult(True, reference=f"SCRIPT{len(self.charged) + 1}")
        return GatewayResult(False, failure_reason=self._failure_reason)


@lru_cache(maxsize=4)
def _shared_mock(success_rate: float) -> MockGateway:
    return MockGateway(success_rate)


def gateway_from_settings() -> MockGateway:
    """The app's gateway: one shared mock per success rate (so its memory of keys lasts)."""
    return _shared_mock(get_settings().payment_success_rate)


__all__ = [
    "DECLINE_CARD_NUMBER",
    "DECLINE_UPI_PREFIX",
    "GatewayResult",
    "MockGateway",
    "PaymentGateway",
    "ScriptedGateway",
    "gateway_from_settings",
]
