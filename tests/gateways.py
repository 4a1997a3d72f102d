"""Test doubles for the payment gateway: fixed outcomes, and a gateway that blocks."""

from __future__ import annotations

import threading
import time

from healthcareplus.domain.payments.gateway import GatewayResult, LedgerGateway
from healthcareplus.domain.payments.methods import PaymentDetails


class ScriptedGateway(LedgerGateway):
    """The n-th new charge succeeds when ``outcomes[n]`` is true.

    ``delay`` (seconds) holds each new charge inside the gateway, to overlap callers.
    ``calls`` lists every charge() call's key; ``charged`` the (key, amount) it decided.
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
        self.calls: list[str] = []
        self.charged: list[tuple[str, int]] = []

    def charge(
        self, *, amount_paise: int, details: PaymentDetails, idempotency_key: str
    ) -> GatewayResult:
        self.calls.append(idempotency_key)
        return super().charge(
            amount_paise=amount_paise, details=details, idempotency_key=idempotency_key
        )

    def _decide(self, amount_paise: int, details: PaymentDetails, key: str) -> GatewayResult:
        if self._delay:
            time.sleep(self._delay)
        if not self._outcomes:
            raise RuntimeError("ScriptedGateway ran out of outcomes")
        succeeded = self._outcomes.pop(0)
        self.charged.append((key, amount_paise))
        if succeeded:
            return GatewayResult(True, reference=f"SCRIPT{len(self.charged)}")
        return GatewayResult(False, failure_reason=self._failure_reason)


class BlockingGateway(LedgerGateway):
    """Every charge waits inside the gateway until ``release()``; then all succeed (or
    fail, with ``succeed=False``). Models a bank that answers late."""

    def __init__(self, *, succeed: bool = True) -> None:
        super().__init__()
        self._gate = threading.Event()
        self._succeed = succeed
        self.entered = threading.Semaphore(0)

    def release(self) -> None:
        self._gate.set()

    def _decide(self, amount_paise: int, details: PaymentDetails, key: str) -> GatewayResult:
        self.entered.release()
        if not self._gate.wait(timeout=30):
            raise RuntimeError("BlockingGateway was never released")
        if self._succeed:
            return GatewayResult(True, reference="LATE")
        return GatewayResult(False, failure_reason="Declined late")
