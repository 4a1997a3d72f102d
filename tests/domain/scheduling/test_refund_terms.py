"""What the payment page promises about refunds: the whole fee, until the visit starts."""

from __future__ import annotations

from datetime import UTC, datetime

from healthcareplus.domain.scheduling.refunds import refund_terms


def test_the_terms_name_the_fee_the_deadline_in_clinic_time_and_the_wait() -> None:
    visit = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)  # 10:30 AM in the clinic's zone
    terms = refund_terms(fee_paise=123_450, start_at=visit)
    assert "the full ₹1,234.50" in terms
    assert "until your visit at 10:30 AM on Sun, 29 Nov 2026" in terms
    assert "5–7 working days" in terms
    assert "Pay at Clinic charges nothing now" in terms
