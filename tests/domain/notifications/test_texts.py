"""Texts: the short form a message takes on a phone, and the development provider that
records them (status "recorded", never "sent": nothing reached a phone)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import Notification
from healthcareplus.domain.notifications.delivery import (
    DeliveryReport,
    InAppSender,
    deliver_due,
    senders_from_settings,
)
from healthcareplus.domain.notifications.preferences import update_preferences
from healthcareplus.domain.notifications.texts import TEXT_MAX, RecordingTextSender, text_body
from tests.factories import create_booking, create_doctor, create_patient, local

NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(date(2026, 11, 23), "10:00")


def test_a_text_names_the_app_and_carries_the_whole_link() -> None:
    assert text_body("Appointment confirmed", "/appointments/abc") == (
        "HealthCarePlus: Appointment confirmed http://localhost:3000/appointments/abc"
    )
    long = text_body("x" * 1000, "/appointments/abc")
    assert len(long) == TEXT_MAX
    assert long.endswith("… http://localhost:3000/appointments/abc")
    assert text_body("Refund processed") == "HealthCarePlus: Refund processed"


def booked_with_texts(session: Session) -> str:
    """A booking whose patient wants news by SMS and WhatsApp only; their phone."""
    patient = create_patient(session)
    update_preferences(
        session,
        user_id=patient.id or 0,
        now=NOW,
        choices={"updates_email": False, "updates_sms": True, "updates_whatsapp": True},
    )
    session.commit()
    create_booking(session, doctor=create_doctor(session), start_at=SLOT, now=NOW, patient=patient)
    return patient.phone


def test_the_recording_provider_records_each_text_and_says_so(
    db_url: str, session: Session, tmp_path: Path
) -> None:
    phone = booked_with_texts(session)
    log = tmp_path / "texts.jsonl"
    senders = {
        "in_app": InAppSender(),
        "sms": RecordingTextSender("sms", log),
        "whatsapp": RecordingTextSender("whatsapp", log),
    }

    assert deliver_due(now=NOW, senders=senders, url=db_url) == DeliveryReport(sent=2, news=1)

    session.expire_all()
    texts = session.exec(select(Notification).where(Notification.channel != "in_app")).all()
    assert sorted((t.channel, t.status, t.sent_at) for t in texts) == [
        ("sms", "recorded", NOW),
        ("whatsapp", "recorded", NOW),
    ]
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["channel"] for line in lines) == ["sms", "whatsapp"]
    assert {line["to"] for line in lines} == {phone}
    assert all(line["text"].startswith("HealthCarePlus: Appointment confirmed") for line in lines)
    # A second pass finds nothing more to do: recorded is final.
    assert deliver_due(now=NOW, senders=senders, url=db_url) == DeliveryReport()


@pytest.mark.parametrize(
    ("provider", "channels"), [("record", {"sms", "whatsapp"}), ("off", set())]
)
def test_the_setting_picks_the_text_provider(
    monkeypatch: pytest.MonkeyPatch, provider: str, channels: set[str]
) -> None:
    monkeypatch.setenv("HCP_TEXT_PROVIDER", provider)
    get_settings.cache_clear()
    try:
        senders = senders_from_settings()
        assert set(senders) - {"in_app", "email", "webhook"} == channels
        for channel in channels:
            sender = senders[channel]
            assert isinstance(sender, RecordingTextSender)
            assert sender.path.name == "text-messages.jsonl"
    finally:
        get_settings.cache_clear()


def test_with_texts_off_they_are_kept_not_claimed_as_sent(db_url: str, session: Session) -> None:
    booked_with_texts(session)
    report = deliver_due(now=NOW, senders={"in_app": InAppSender()}, url=db_url)
    assert report == DeliveryReport(kept=2, news=1)
    session.expire_all()
    statuses = session.exec(
        select(Notification.status).where(col(Notification.channel).in_(["sms", "whatsapp"]))
    ).all()
    assert sorted(statuses) == ["kept", "kept"]
