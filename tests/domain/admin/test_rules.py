"""Which admin actions an appointment allows, and the message for each refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from healthcareplus.domain.admin.rules import AllowedActions, allowed_actions

NOW = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
FUTURE = NOW + timedelta(hours=3)
PAST = NOW - timedelta(hours=3)
LIVE_HOLD = NOW + timedelta(minutes=5)
RUN_OUT_HOLD = NOW - timedelta(minutes=1)

CANCEL_OK = ""
NO_SHOW_TOO_EARLY = "This appointment has not started yet, so it cannot be marked as a no-show."
HOLD_RAN_OUT = "This booking's payment hold has expired; its slot is free again."
CANCEL_INSTEAD = "This visit is still ahead. Cancel the appointment instead"


def no_show_refused(noun: str) -> str:
    return f"{noun} cannot be marked as a no-show."


REFUND_ONLY_SUCCESS = "Only successful payments can be refunded."
PAID_ONLY_CLINIC = "Only Pay-at-Clinic bookings can be marked paid."
PAID_NOT_AWAITING = "This booking is not awaiting payment."
PAID_ONLY_VISITS = "Only confirmed or completed visits can be marked paid."


def rules(
    status: str = "confirmed",
    payment_status: str = "Success",
    method: str | None = "upi",
    start_at: datetime = PAST,
    hold: datetime | None = None,
) -> AllowedActions:
    return allowed_actions(
        status=status,
        payment_status=payment_status,
        payment_method=method,
        start_at=start_at,
        hold_expires_at=hold,
        now=NOW,
    )


def flags(r: AllowedActions) -> tuple[bool, bool, bool, bool]:
    return (r.can_cancel, r.can_no_show, r.can_refund, r.can_mark_paid)


def test_flags_and_refusals_always_agree() -> None:
    for status in ("pending_payment", "confirmed", "completed", "no_show", "cancelled", "expired"):
        for payment in ("Pending", "Success", "Failed", "Refunded", "Processing"):
            for method in (None, "upi", "card", "pay_at_clinic"):
                for start in (PAST, NOW, FUTURE):
                    for hold in (None, LIVE_HOLD, RUN_OUT_HOLD):
                        r = rules(status, payment, method, start, hold)
                        assert r.can_cancel == (r.cancel_refusal == "")
                        assert r.can_no_show == (r.no_show_refusal == "")
                        assert r.can_refund == (r.refund_refusal == "")
                        assert r.can_mark_paid == (r.mark_paid_refusal == "")


def test_paid_confirmed_visit_in_the_past() -> None:
    r = rules()
    assert flags(r) == (True, True, True, False)
    assert r.mark_paid_refusal == PAID_ONLY_CLINIC


def test_paid_confirmed_visit_still_ahead_is_cancelled_not_refunded_or_a_no_show() -> None:
    r = rules(start_at=FUTURE)
    assert flags(r) == (True, False, False, False)
    assert r.no_show_refusal == NO_SHOW_TOO_EARLY
    assert r.refund_refusal.startswith(CANCEL_INSTEAD)


def test_no_show_allowed_from_the_start_instant() -> None:
    assert rules(start_at=NOW).can_no_show is True
    assert rules(start_at=NOW + timedelta(microseconds=1)).can_no_show is False


def test_pay_at_clinic_awaiting_payment() -> None:
    r = rules(payment_status="Pending", method="pay_at_clinic")
    assert flags(r) == (True, True, False, True)
    assert r.refund_refusal == REFUND_ONLY_SUCCESS


def test_pay_at_clinic_already_paid() -> None:
    r = rules(payment_status="Success", method="pay_at_clinic")
    assert flags(r) == (True, True, True, False)
    assert r.mark_paid_refusal == PAID_NOT_AWAITING


def test_completed_visit_paid_at_clinic_later() -> None:
    r = rules(status="completed", payment_status="Pending", method="pay_at_clinic")
    assert flags(r) == (False, False, False, True)
    assert r.cancel_refusal == "A completed appointment cannot be cancelled."
    assert r.no_show_refusal == no_show_refused("A completed appointment")


def test_completed_paid_visit_can_only_be_refunded() -> None:
    assert flags(rules(status="completed")) == (False, False, True, False)


def test_live_hold_can_be_cancelled_only() -> None:
    r = rules("pending_payment", "Pending", None, FUTURE, LIVE_HOLD)
    assert flags(r) == (True, False, False, False)
    assert r.no_show_refusal == no_show_refused("A booking awaiting payment")
    assert r.refund_refusal == REFUND_ONLY_SUCCESS
    assert r.mark_paid_refusal == PAID_ONLY_CLINIC


@pytest.mark.parametrize("hold", [RUN_OUT_HOLD, NOW])
def test_hold_that_ran_out_is_not_open(hold: datetime | None) -> None:
    r = rules("pending_payment", "Failed", "card", FUTURE, hold)
    assert flags(r) == (False, False, False, False)
    assert r.cancel_refusal == HOLD_RAN_OUT


def test_hold_without_an_expiry_never_lapses() -> None:
    """The one slot rule: a pending booking without an expiry keeps its slot (the unique
    index would refuse another booking anyway), so it can still be cancelled."""
    r = rules("pending_payment", "Failed", "card", FUTURE, None)
    assert flags(r) == (True, False, False, False)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("cancelled", "A cancelled appointment cannot be cancelled."),
        ("expired", "An expired booking cannot be cancelled."),
        ("no_show", "A no-show cannot be cancelled."),
    ],
)
def test_closed_appointments_cannot_be_cancelled(status: str, message: str) -> None:
    r = rules(status=status, payment_status="Refunded")
    assert r.cancel_refusal == message
    assert flags(r) == (False, False, False, False)
    assert r.no_show_refusal == no_show_refused(message.split(" cannot")[0])
    assert r.refund_refusal == REFUND_ONLY_SUCCESS


def test_no_show_that_paid_can_still_be_refunded() -> None:
    assert flags(rules(status="no_show")) == (False, False, True, False)


@pytest.mark.parametrize("payment", ["Pending", "Failed", "Refunded", "Processing"])
def test_only_a_successful_payment_is_refundable(payment: str) -> None:
    assert rules(payment_status=payment).refund_refusal == REFUND_ONLY_SUCCESS


@pytest.mark.parametrize("status", ["pending_payment", "no_show", "cancelled", "expired"])
def test_pay_at_clinic_is_marked_paid_only_for_visits(status: str) -> None:
    r = rules(status=status, payment_status="Pending", method="pay_at_clinic", hold=LIVE_HOLD)
    assert r.mark_paid_refusal == PAID_ONLY_VISITS
    assert r.can_mark_paid is False


@pytest.mark.parametrize("method", [None, "upi", "card", "netbanking", "wallet"])
def test_only_pay_at_clinic_bookings_are_marked_paid(method: str | None) -> None:
    r = rules(payment_status="Pending", method=method)
    assert r.mark_paid_refusal == PAID_ONLY_CLINIC


def test_result_is_frozen() -> None:
    r = rules()
    with pytest.raises(AttributeError):
        r.can_cancel = False  # type: ignore[misc]
