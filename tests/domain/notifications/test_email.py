"""The emails of appointment news: every event renders in text and HTML, in Indian
formats, with absolute links, and a patient's own text is escaped in HTML."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from healthcareplus.domain.notifications import outbox
from healthcareplus.domain.notifications.email import (
    KIND_OF,
    Audience,
    Letter,
    clinic_when,
    public_url,
    render_email,
)

# 10:30 AM in Asia/Kolkata on a Saturday.
START = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)
LETTER = Letter(
    event="payment_succeeded",
    audience="patient",
    recipient_name="Asha Rao",
    appointment_id="0b5c7e1e-7a0e-4b7a-9a55-1c2d3e4f5a6b",
    doctor="Dr. Meera Iyer",
    hospital="Apollo Greams Road",
    hospital_address="21 Greams Lane, Chennai",
    when=clinic_when(START),
    fee="₹1,25,000",
    transaction_id="TXN-20261120-0042",
    visit_reason="Fever and headache",
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]


def hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def test_every_news_event_has_an_email() -> None:
    assert set(KIND_OF) == set(outbox.NEWS)


@pytest.mark.parametrize("audience", ["patient", "doctor"])
@pytest.mark.parametrize("event", sorted(KIND_OF))
def test_every_event_renders_in_text_and_html(event: str, audience: Audience) -> None:
    email = render_email(replace(LETTER, event=event, audience=audience))

    assert "Sat, 28 Nov 2026, 10:30 AM" in email.subject
    for body in (email.text, email.html):
        assert "Dear Asha Rao," in body
        assert "Sat, 28 Nov 2026, 10:30 AM" in body and "Apollo Greams Road" in body
        assert "{{" not in body and "{%" not in body
    assert email.html.lstrip().startswith("<!DOCTYPE html>") and "</html>" in email.html
    assert "<" not in email.text
    links = hrefs(email.html)
    assert links and all(link.startswith(public_url() + "/") for link in links)
    assert all(link in email.text for link in links)  # the text part offers the same links


def test_clinic_time_is_indian_standard_time() -> None:
    assert clinic_when(START) == "Sat, 28 Nov 2026, 10:30 AM"
    assert clinic_when(datetime(2026, 11, 28, 12, 15, tzinfo=UTC)) == "Sat, 28 Nov 2026, 05:45 PM"


def test_a_confirmation_gives_amount_transaction_and_links_to_manage_it() -> None:
    email = render_email(LETTER)
    assert email.subject == "Appointment confirmed: Dr. Meera Iyer, Sat, 28 Nov 2026, 10:30 AM"
    for body in (email.text, email.html):
        assert "₹1,25,000" in body and "TXN-20261120-0042" in body
    assert hrefs(email.html) == [
        f"{public_url()}/appointments/{LETTER.appointment_id}",
        f"{public_url()}/reschedule/{LETTER.appointment_id}",
    ]
    assert "Fever and headache" not in email.text  # the patient's own reason goes to the doctor


def test_pay_at_clinic_says_the_fee_is_due_there() -> None:
    email = render_email(replace(LETTER, event="pay_at_clinic", transaction_id=""))
    assert "₹1,25,000, to be paid at the clinic" in email.text
    assert "transaction" not in email.text.lower()


def test_the_doctor_reads_the_reason_and_opens_the_visit() -> None:
    email = render_email(replace(LETTER, audience="doctor"))
    assert email.subject == "New appointment: Sat, 28 Nov 2026, 10:30 AM"
    assert "Reason for the visit: Fever and headache" in email.text
    assert hrefs(email.html) == [f"{public_url()}/doctor-portal/visits/{LETTER.appointment_id}"]


def test_a_cancellation_gives_the_reason_and_the_refund_line() -> None:
    cancelled = replace(LETTER, event="cancelled", cancel_reason="Feeling better", refund="₹500")
    email = render_email(cancelled)
    assert "Reason:    Feeling better" in email.text
    assert "₹500 is being refunded to the way you paid" in email.text
    assert "₹500</strong> is being refunded" in email.html
    unpaid = render_email(replace(cancelled, refund=""))
    assert "refund" not in unpaid.text and "refund" not in unpaid.html
    doctor = render_email(replace(cancelled, audience="doctor"))
    assert "Feeling better" in doctor.text and "refund" not in doctor.text


def test_a_patients_markup_is_escaped_in_html_and_kept_in_text() -> None:
    reason = '<script>alert("x")</script><b>Fever</b> & cough'
    email = render_email(replace(LETTER, audience="doctor", visit_reason=reason))
    assert "<script>" not in email.html and "<b>Fever" not in email.html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;Fever&lt;/b&gt; &amp; cough"
        in (email.html)
    )
    assert f"Reason for the visit: {reason}" in email.text  # plain text: shown as written
    cancelled = render_email(replace(LETTER, event="cancelled", cancel_reason="<img src=x>"))
    assert "<img" not in cancelled.html and "&lt;img src=x&gt;" in cancelled.html


def test_a_name_with_markup_is_escaped_too() -> None:
    email = render_email(replace(LETTER, recipient_name="<i>Asha</i>"))
    assert "Dear &lt;i&gt;Asha&lt;/i&gt;," in email.html
