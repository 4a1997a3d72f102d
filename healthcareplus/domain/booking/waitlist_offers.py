"""Offers of freed slots to waiting patients, made by the job worker.

A freed slot (``scheduling.freed_slots``) goes to the first matching waiter: the slot's
doctor, the slot's clinic day within their range, first joined first; a waiter who was
offered this slot before, already has an open offer, or cannot book it (an overlapping
visit of their own, a blocked account) is passed over. The offer's hold is a pending
booking made as the waiter's (``appointments.book``) that lasts
``HCP_WAITLIST_OFFER_MINUTES``, so the slot index keeps everyone else off the slot; the
unique indexes of ``slot_offers`` allow one open offer per slot, entry and patient.

Accepting keeps the booking and sends the waiter to payment; declining gives the booking
up (the lifecycle records the slot as freed again, and the next waiter gets it); an offer
not answered in time lapses with its hold, the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core import routes
from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, DomainError, NotFound, SlotUnavailable
from healthcareplus.core.formatting import (
    format_local_date,
    format_local_time,
    to_local,
    utc,
)
from healthcareplus.core.i18n import N_, use_language
from healthcareplus.core.models import Appointment, Doctor, Role, User
from healthcareplus.core.waitlist_models import (
    EntryStatus,
    FreedSlot,
    OfferStatus,
    SlotOffer,
    WaitlistEntry,
)
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.languages import language_of
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.notifications.account_news import AccountNote, account_message
from healthcareplus.domain.notifications.preferences import channels_for
from healthcareplus.domain.scheduling import lifecycle, tallies

OPEN = OfferStatus.OPEN.value
OFFER_REASON = "Waitlist offer"
OFFER_ENDED = "This offer has ended."
OFFER_MISSING = "Offer not found."
CANDIDATES = 50  # waiters tried per freed slot


def unhandled_freed_slots(session: Session, *, limit: int = 100) -> list[int]:
    """Ids of freed slots no worker has handled yet, oldest first."""
    rows = session.exec(
        select(FreedSlot.id)
        .where(col(FreedSlot.handled_at).is_(None))
        .order_by(col(FreedSlot.id))
        .limit(limit)
    ).all()
    return [int(i) for i in rows if i is not None]


def _claim(session: Session, freed_id: int, now: datetime) -> FreedSlot | None:
    """Mark the freed slot handled, unless another worker did (it waits for theirs)."""
    changed = session.execute(
        update(FreedSlot)
        .where(col(FreedSlot.id) == freed_id, col(FreedSlot.handled_at).is_(None))
        .values(handled_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(changed, "rowcount", 0):
        return None
    return session.get(FreedSlot, freed_id, populate_existing=True)


def _waiters(session: Session, doctor_id: int, start_at: datetime) -> list[WaitlistEntry]:
    """The active entries this slot matches, first joined first, without those offered
    this slot before or holding an open offer."""
    day = to_local(start_at).date()
    offered_before = exists().where(
        col(SlotOffer.entry_id) == col(WaitlistEntry.id),
        col(SlotOffer.doctor_id) == doctor_id,
        col(SlotOffer.start_at) == start_at,
    )
    has_open = exists().where(
        col(SlotOffer.patient_id) == col(WaitlistEntry.patient_id), col(SlotOffer.status) == OPEN
    )
    return list(
        session.exec(
            select(WaitlistEntry)
            .where(
                col(WaitlistEntry.doctor_id) == doctor_id,
                col(WaitlistEntry.status) == EntryStatus.ACTIVE.value,
                col(WaitlistEntry.from_day) <= day,
                col(WaitlistEntry.to_day) >= day,
                ~offered_before,
                ~has_open,
            )
            .order_by(col(WaitlistEntry.joined_at), col(WaitlistEntry.id))
            .limit(CANDIDATES)
        ).all()
    )


def offer_freed_slot(session: Session, *, freed_id: int, now: datetime) -> SlotOffer | None:
    """Handle one freed slot: offer it to the first waiter who can take it (None: nobody
    waits, the slot is taken again, or it is too soon). Flushed, not committed."""
    now = utc(now)
    freed = _claim(session, freed_id, now)
    if freed is None:
        return None
    settle_offers(session, now=now, doctor_id=freed.doctor_id, start_at=freed.start_at)
    if freed.start_at - now < timedelta(minutes=get_settings().min_notice_minutes):
        return None
    tallies.write_pending(session)
    for entry in _waiters(session, freed.doctor_id, freed.start_at):
        try:
            with session.begin_nested():
                offer = _make_offer(session, entry, freed.start_at, now)
                tallies.write_pending(session)
        except SlotUnavailable:  # someone took the slot: nothing to offer
            tallies.discard_pending(session)
            return None
        except (DomainError, IntegrityError):  # this waiter cannot take it: the next one
            tallies.discard_pending(session)
            continue
        _tell_waiter(session, offer, now)
        return offer
    return None


def _make_offer(
    session: Session, entry: WaitlistEntry, start_at: datetime, now: datetime
) -> SlotOffer:
    minutes = get_settings().waitlist_offer_minutes
    held = book(
        session,
        patient_id=entry.patient_id,
        doctor_id=entry.doctor_id,
        start_at=start_at,
        reason=OFFER_REASON,
        now=now,
        hold_minutes=minutes,
    )
    offer = SlotOffer(
        entry_id=entry.id or 0,
        patient_id=entry.patient_id,
        doctor_id=entry.doctor_id,
        start_at=start_at,
        appointment_id=held.id,
        offered_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    session.add(offer)
    session.flush()
    audit(
        session,
        Actor(None, lifecycle.SYSTEM, now),
        "waitlist_offered",
        appointment_id=held.id,
        detail={"entry_id": entry.id, "offer_id": offer.id},
    )
    return offer


def _tell_waiter(session: Session, offer: SlotOffer, now: datetime) -> None:
    """The offer by the waiter's chosen channels and in their notification centre."""
    user = session.get(User, offer.patient_id)
    doctor = session.get(Doctor, offer.doctor_id)
    if user is None or doctor is None:
        return
    with use_language(language_of(user)):  # the date as the waiter reads it
        when = f"{format_local_date(offer.start_at)}, {format_local_time(offer.start_at)}"
    note = AccountNote(
        event="waitlist_offer",
        subject=N_("Slot free: {doctor}, {when}"),
        paragraphs=(
            N_("A slot you were waiting for opened up: {doctor} on {when}."),
            N_(
                "We are holding it for you for {minutes} minutes. Accept it and pay to book "
                "it, or decline it so the next patient can have it."
            ),
        ),
        action_label=N_("See the offer"),
        action_path=routes.WAITLIST,
        about=N_("your waitlist"),
        values={
            "doctor": doctor.name,
            "when": when,
            "minutes": get_settings().waitlist_offer_minutes,
        },
    )
    channels = channels_for(session, user, "updates")
    account_message(
        session,
        user,
        note,
        now=now,
        channels=channels,
        ref=f"offer{offer.id}",
        appointment_id=offer.appointment_id,
    )


def settle_offers(
    session: Session,
    *,
    now: datetime,
    doctor_id: int | None = None,
    start_at: datetime | None = None,
) -> int:
    """Close open offers whose hold ended: paid ones are accepted (their entry booked),
    lapsed holds expire (freeing the slot for the next waiter) and their offers lapse."""
    now = utc(now)
    where = [col(SlotOffer.status) == OPEN]
    if doctor_id is not None and start_at is not None:
        where += [col(SlotOffer.doctor_id) == doctor_id, col(SlotOffer.start_at) == start_at]
    else:
        where.append(col(SlotOffer.expires_at) <= now)
    rows = session.exec(
        select(SlotOffer, Appointment)
        .join(Appointment, col(Appointment.id) == col(SlotOffer.appointment_id))
        .where(*where)
    ).all()
    settled = 0
    for offer, appointment in rows:
        if appointment.status in lifecycle.SETTLED_STATUSES:
            _answer(session, offer, OfferStatus.ACCEPTED, now)
        elif appointment.status == lifecycle.PENDING and lifecycle.holds_slot(appointment, now):
            continue  # still held (a payment may be under way)
        else:
            on_hold = (col(Appointment.id) == appointment.id,)
            lifecycle.expire_lapsed_holds(session, now=now, where=on_hold)
            _answer(session, offer, OfferStatus.LAPSED, now)
        settled += 1
    session.flush()
    return settled


def _answer(session: Session, offer: SlotOffer, status: OfferStatus, now: datetime) -> None:
    offer.status, offer.answered_at = status.value, now
    session.add(offer)
    if status == OfferStatus.ACCEPTED:
        session.execute(
            update(WaitlistEntry)
            .where(
                col(WaitlistEntry.id) == offer.entry_id,
                col(WaitlistEntry.status) == EntryStatus.ACTIVE.value,
            )
            .values(status=EntryStatus.BOOKED.value, ended_at=now)
            .execution_options(synchronize_session=False)
        )
    session.flush()


def _own_open_offer(session: Session, patient_id: int, offer_id: object) -> SlotOffer:
    acting_user(session, patient_id, Role.PATIENT)
    offer = row_by_id(session, SlotOffer, offer_id)
    if offer is None or offer.patient_id != patient_id:
        raise NotFound(OFFER_MISSING)
    session.refresh(offer)
    if offer.status != OPEN:
        raise Conflict(OFFER_ENDED)
    return offer


def accept_offer(session: Session, *, patient_id: int, offer_id: object, now: datetime) -> str:
    """Take the offered slot: the held booking stays (for at least the usual payment hold)
    and the waitlist entry ends. Returns the booking's id, for the payment page."""
    now = utc(now)
    offer = _own_open_offer(session, patient_id, offer_id)
    appointment = session.get(Appointment, offer.appointment_id, populate_existing=True)
    if appointment is None or not lifecycle.holds_slot(appointment, now):
        settle_offers(session, now=now, doctor_id=offer.doctor_id, start_at=offer.start_at)
        raise Conflict(OFFER_ENDED)
    if appointment.status == lifecycle.PENDING and appointment.hold_expires_at is not None:
        hold = max(
            appointment.hold_expires_at, now + timedelta(minutes=get_settings().hold_minutes)
        )
        session.execute(
            update(Appointment)
            .where(
                col(Appointment.id) == appointment.id, col(Appointment.status) == lifecycle.PENDING
            )
            .values(hold_expires_at=hold)
            .execution_options(synchronize_session=False)
        )
    _answer(session, offer, OfferStatus.ACCEPTED, now)
    by = Actor(patient_id, Role.PATIENT, now)
    audit(session, by, "waitlist_accepted", appointment_id=offer.appointment_id)
    return offer.appointment_id


def decline_offer(session: Session, *, patient_id: int, offer_id: object, now: datetime) -> None:
    """Give the offered slot up: its booking is abandoned (the slot goes to the next
    waiter); the patient stays on the waitlist."""
    now = utc(now)
    offer = _own_open_offer(session, patient_id, offer_id)
    appointment = session.get(Appointment, offer.appointment_id, populate_existing=True)
    by = Actor(patient_id, Role.PATIENT, now)
    if appointment is not None and lifecycle.allowed(
        lifecycle.ABANDON, appointment, role=Role.PATIENT, now=now
    ):
        lifecycle.apply(
            session, appointment, lifecycle.ABANDON, by, reason="Waitlist offer declined"
        )
    elif appointment is not None and appointment.status in lifecycle.SETTLED_STATUSES:
        raise Conflict("This slot is already booked for you.")
    else:
        on_hold = (col(Appointment.id) == offer.appointment_id,)
        lifecycle.expire_lapsed_holds(session, now=now, where=on_hold)
    _answer(session, offer, OfferStatus.DECLINED, now)
    audit(session, by, "waitlist_declined", appointment_id=offer.appointment_id)


@dataclass(frozen=True)
class OfferView:
    id: int
    doctor_name: str
    when: str
    expires: str  # "10:45 AM"
    appointment_id: str


def my_offers(session: Session, *, patient_id: int, now: datetime) -> list[OfferView]:
    """The patient's open offers whose hold still lasts."""
    now = utc(now)
    acting_user(session, patient_id, Role.PATIENT)
    rows = session.exec(
        select(SlotOffer, Doctor.name)
        .join(Doctor, col(Doctor.id) == col(SlotOffer.doctor_id))
        .where(
            col(SlotOffer.patient_id) == patient_id,
            col(SlotOffer.status) == OPEN,
            col(SlotOffer.expires_at) > now,
        )
        .order_by(col(SlotOffer.start_at))
    ).all()
    return [
        OfferView(
            id=offer.id or 0,
            doctor_name=name,
            when=f"{format_local_date(offer.start_at)} · {format_local_time(offer.start_at)}",
            expires=format_local_time(offer.expires_at),
            appointment_id=offer.appointment_id,
        )
        for offer, name in rows
    ]


__all__ = [
    "OFFER_ENDED",
    "OFFER_MISSING",
    "OFFER_REASON",
    "OfferView",
    "accept_offer",
    "decline_offer",
    "my_offers",
    "offer_freed_slot",
    "settle_offers",
    "unhandled_freed_slots",
]
