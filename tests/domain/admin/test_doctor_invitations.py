"""A new doctor's emailed invitation, end to end in the domain: the link in the queued
email sets the password once, expires, is replaced by a resend, and two uses at once
set one password; the admin sees it pending and may resend it only while it is. On
SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import Conflict, Forbidden, NotFound
from healthcareplus.core.models import AuditEvent, Doctor, Notification, Role, User
from healthcareplus.domain.accounts import password_links as links
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import authenticate
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, verify_password
from healthcareplus.domain.admin import doctor_invitations as inv
from healthcareplus.domain.admin import doctors as ad
from tests.domain.accounts.sign_in import CHEAP_DUMMY
from tests.factories import create_doctor, create_hospital, create_user, link_doctor_user, local

NOW = local(date(2030, 1, 7), "06:00")
NEW = "Fresh#Start42"
TOKEN = re.compile(r"/set-password\?token=([A-Za-z0-9_-]+)")


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP_DUMMY)


@pytest.fixture
def session(either_db: Session) -> Session:
    return either_db


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Meera Iyer")


@pytest.fixture
def created(session: Session, admin: User) -> ad.CreatedDoctor:
    hospital = create_hospital(session, name="Apollo")
    made = ad.create_doctor(
        session,
        name="Priya Nair",
        specialization="Cardiologist",
        qualification="MBBS, MD (Cardiology)",
        experience_years="12",
        fee_rupees="800",
        gender="Female",
        languages="English",
        hospital_id=str(hospital.id),
        email="priya.nair@example.in",
        phone="98450 33333",
        about="",
        actor_id=admin.id,
        now=NOW,
    )
    session.commit()
    return made


def tokens(session: Session, user_id: int) -> list[str]:
    """The links of the invitations emailed to ``user_id``, oldest first."""
    emails = session.exec(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.event == "account_invite")
        .order_by(col(Notification.id))
    ).all()
    assert all(e.channel == "email" for e in emails)  # never in the in-app centre
    return [TOKEN.findall(e.body)[0] for e in emails]


def login_of(session: Session, created: ad.CreatedDoctor) -> User:
    session.expire_all()
    doctor = session.get(Doctor, created.doctor.id)
    return session.get(User, doctor.user_id)


def use(session: Session, token: str, *, now: Any = NOW, password: str = NEW) -> links.LinkHolder:
    try:
        holder = links.set_password_with_link(
            session, token=token, password=password, confirm=password, now=now
        )
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return holder


def resend(session: Session, created: ad.CreatedDoctor, admin: User, **kw: Any) -> inv.Invitation:
    sent = ad.resend_invitation(
        session, doctor_id=created.doctor.id, actor_id=admin.id, now=kw.get("now", NOW)
    )
    session.commit()
    return sent


def pending(session: Session, created: ad.CreatedDoctor) -> bool:
    return created.doctor.id in ad.pending_invitations(session, [created.doctor.id])


def test_the_emailed_link_sets_the_password_once_and_the_doctor_signs_in(
    session: Session, created: ad.CreatedDoctor
) -> None:
    user = login_of(session, created)
    [token] = tokens(session, user.id)
    assert pending(session, created)
    holder = links.link_holder(session, token, now=NOW)
    assert (holder.name, holder.role, holder.masked_email) == (
        "Dr. Priya Nair",
        "doctor",
        "pr•••r@example.in",
    )

    use(session, token, now=NOW + timedelta(hours=1))

    assert verify_password(NEW, login_of(session, created).password_hash)
    assert not pending(session, created)
    signed_in = authenticate(
        session,
        email="priya.nair@example.in",
        password=NEW,
        client_key="c",
        roles=(Role.PATIENT, Role.DOCTOR),
        now=NOW + timedelta(hours=1),
    )
    assert signed_in.id == user.id
    with pytest.raises(Forbidden, match="cannot be used"):
        use(session, token, now=NOW + timedelta(hours=2), password="Other#Pass77")


def test_the_link_expires_after_the_invitation_hours(
    session: Session, created: ad.CreatedDoctor
) -> None:
    [token] = tokens(session, login_of(session, created).id)
    with pytest.raises(Forbidden, match="cannot be used"):
        use(session, token, now=NOW + timedelta(hours=72))
    assert login_of(session, created).password_hash == NO_PASSWORD
    assert pending(session, created)  # still pending: the admin may resend


def test_a_resend_replaces_the_older_link_and_is_audited(
    session: Session, created: ad.CreatedDoctor, admin: User
) -> None:
    user_id = login_of(session, created).id
    later = NOW + timedelta(hours=80)  # the first link has expired meanwhile
    sent = resend(session, created, admin, now=later)

    assert sent == inv.Invitation(
        email="priya.nair@example.in", hours=72, expires_at=later + timedelta(hours=72)
    )
    first, second = tokens(session, user_id)
    assert first != second
    with pytest.raises(Forbidden, match="cannot be used"):
        use(session, first, now=later)
    # A second resend ends the second link before it was ever used.
    third = resend(session, created, admin, now=later + timedelta(minutes=1))
    assert third.email == "priya.nair@example.in"
    *_, newest = tokens(session, user_id)
    with pytest.raises(Forbidden, match="cannot be used"):
        use(session, second, now=later + timedelta(minutes=2))
    use(session, newest, now=later + timedelta(minutes=2))
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "doctor_invitation_resent")
    ).all()
    assert [(e.actor_user_id, e.entity_id) for e in events] == [
        (admin.id, str(created.doctor.id))
    ] * 2
    assert events[0].detail == {"email": "priya.nair@example.in", "link_hours": 72}

    with pytest.raises(Conflict) as refused:
        resend(session, created, admin, now=later + timedelta(minutes=3))
    assert str(refused.value) == inv.ALREADY_SET.format(name="Dr. Priya Nair")
    session.rollback()
    assert len(tokens(session, user_id)) == 3


def test_resending_is_refused_for_an_inactive_doctor_or_one_without_a_login(
    session: Session, created: ad.CreatedDoctor, admin: User
) -> None:
    ad.set_active(session, doctor_id=created.doctor.id, active=False, actor_id=admin.id, now=NOW)
    session.commit()
    with pytest.raises(Conflict, match="reactivate the doctor"):
        resend(session, created, admin)
    session.rollback()

    bare = create_doctor(session, name="Dr. Kavya Menon")  # a profile without a login
    with pytest.raises(Conflict, match="no sign-in account"):
        ad.resend_invitation(session, doctor_id=bare.id, actor_id=admin.id, now=NOW)
    with pytest.raises(NotFound):
        ad.resend_invitation(session, doctor_id=999_999, actor_id=admin.id, now=NOW)
    for crafted in ("1", None, 1.5, [1]):
        with pytest.raises(NotFound):
            ad.resend_invitation(session, doctor_id=crafted, actor_id=admin.id, now=NOW)  # type: ignore[arg-type]
    session.rollback()
    assert len(tokens(session, login_of(session, created).id)) == 1


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_only_an_admin_resends(session: Session, created: ad.CreatedDoctor, role: str) -> None:
    someone = create_user(session, role=role)
    with pytest.raises(Forbidden):
        ad.resend_invitation(session, doctor_id=created.doctor.id, actor_id=someone.id, now=NOW)
    session.rollback()
    assert len(tokens(session, login_of(session, created).id)) == 1


def test_pending_lists_only_logins_without_a_password(
    session: Session, created: ad.CreatedDoctor
) -> None:
    with_password = create_doctor(session)
    link_doctor_user(session, with_password)  # a login with a password (the seed's doctors)
    bare = create_doctor(session)
    asked = [created.doctor.id, with_password.id, bare.id, 999_999, "1", None]
    assert ad.pending_invitations(session, asked) == {created.doctor.id}  # type: ignore[arg-type]
    assert ad.pending_invitations(session, []) == set()


def test_two_uses_of_the_emailed_link_at_once_set_one_password(
    session: Session, created: ad.CreatedDoctor, either_db_url: str
) -> None:
    [token] = tokens(session, login_of(session, created).id)
    racers = [f"Racer#{n}Pass" for n in range(4)]
    start = threading.Barrier(len(racers))
    results: dict[str, object] = {}

    def run(password: str) -> None:
        start.wait()
        try:
            with session_scope(either_db_url) as own:
                results[password] = links.set_password_with_link(
                    own, token=token, password=password, confirm=password, now=NOW
                )
        except Forbidden as exc:
            results[password] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    winners = [p for p, r in results.items() if isinstance(r, links.LinkHolder)]
    assert len(results) == len(racers) and len(winners) == 1, results
    assert verify_password(winners[0], login_of(session, created).password_hash)
    assert not pending(session, created)
