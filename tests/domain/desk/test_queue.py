"""The day's queue: check-in gives tokens in arrival order per doctor per clinic day; only
today's confirmed visits of the desk's own hospitals; stages move forward by
compare-and-set; the waiting-room screen shows first names and tokens only."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    Hospital,
    QueueEntry,
    Role,
    User,
)
from healthcareplus.domain.desk import queue, queue_views
from tests.factories import (
    create_appointment,
    create_desk_user,
    create_doctor,
    create_hospital,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)

MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "10:00")


@dataclasses.dataclass
class Clinic:
    hospital: Hospital
    doctor: Doctor
    other_doctor: Doctor
    desk: User


@pytest.fixture
def clinic(session: Session) -> Clinic:
    hospital = create_hospital(session, name="Sunrise Clinic")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Meera Pillai")
    other = create_doctor(session, hospital=hospital, name="Dr. Arjun Rao")
    desk = create_desk_user(session, hospitals=[hospital])
    return Clinic(hospital, doctor, other, desk)


def visit(
    session: Session,
    doctor: Doctor,
    hhmm: str = "09:00",
    *,
    day: date = MONDAY,
    name: str | None = None,
    status: str = AppointmentStatus.CONFIRMED,
) -> Appointment:
    patient = create_patient(session, name=name)
    return create_appointment(
        session, doctor=doctor, patient=patient, start_at=local(day, hhmm), status=status
    )


def check_in(session: Session, desk: User, appointment: Appointment, now=NOW) -> int:  # noqa: ANN001
    done = queue.check_in(session, actor_id=desk.id, appointment_id=appointment.id, now=now)
    session.commit()
    return done.token


# --- check-in and tokens --------------------------------------------------------------------


def test_tokens_follow_arrival_order_per_doctor(session: Session, clinic: Clinic) -> None:
    early = visit(session, clinic.doctor, "09:00")
    late = visit(session, clinic.doctor, "11:30")
    third = visit(session, clinic.doctor, "12:00")
    theirs = visit(session, clinic.other_doctor, "09:00")
    # The late visit arrives first: arrival order, not booking time, decides the token.
    assert check_in(session, clinic.desk, late) == 1
    assert check_in(session, clinic.desk, early) == 2
    assert check_in(session, clinic.desk, theirs) == 1  # each doctor counts on his own
    assert check_in(session, clinic.desk, third) == 3
    entry = session.get(QueueEntry, late.id)
    assert entry is not None
    assert (entry.stage, entry.clinic_date, entry.checked_in_by_user_id) == (
        "waiting",
        MONDAY,
        clinic.desk.id,
    )
    assert entry.hospital_id == clinic.hospital.id and entry.arrived_at == NOW
    audit = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "queue_check_in", AuditEvent.appointment_id == late.id
        )
    ).one()
    assert audit.actor_user_id == clinic.desk.id and audit.actor_role == Role.FRONT_DESK
    assert audit.detail["token"] == 1


def test_tokens_start_again_at_one_the_next_day(session: Session, clinic: Clinic) -> None:
    assert check_in(session, clinic.desk, visit(session, clinic.doctor, "09:00")) == 1
    assert check_in(session, clinic.desk, visit(session, clinic.doctor, "09:15")) == 2
    tuesday = MONDAY + timedelta(days=1)
    next_day = visit(session, clinic.doctor, "09:00", day=tuesday)
    assert check_in(session, clinic.desk, next_day, now=local(tuesday, "08:30")) == 1


def test_the_clinic_day_is_clinic_time(session: Session, clinic: Clinic) -> None:
    """Just after midnight in India it is still the day before in UTC: the visit of the
    clinic day is today's."""
    tuesday = MONDAY + timedelta(days=1)
    early = visit(session, clinic.doctor, "00:30", day=tuesday)
    assert check_in(session, clinic.desk, early, now=local(tuesday, "00:10")) == 1
    assert session.get(QueueEntry, early.id).clinic_date == tuesday  # type: ignore[union-attr]


def test_only_todays_visits_can_be_checked_in(session: Session, clinic: Clinic) -> None:
    tomorrow = visit(session, clinic.doctor, "09:00", day=MONDAY + timedelta(days=1))
    yesterday = visit(session, clinic.doctor, "09:00", day=MONDAY - timedelta(days=1))
    for appointment in (tomorrow, yesterday):
        with pytest.raises(Conflict, match="today"):
            queue.check_in(session, actor_id=clinic.desk.id, appointment_id=appointment.id, now=NOW)
    assert session.exec(select(QueueEntry)).all() == []


@pytest.mark.parametrize(
    "status",
    [
        AppointmentStatus.PENDING_PAYMENT,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.COMPLETED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.EXPIRED,
    ],
)
def test_only_confirmed_visits_can_be_checked_in(
    session: Session, clinic: Clinic, status: str
) -> None:
    appointment = visit(session, clinic.doctor, status=status)
    with pytest.raises(Conflict, match="confirmed"):
        queue.check_in(session, actor_id=clinic.desk.id, appointment_id=appointment.id, now=NOW)


def test_a_second_check_in_of_the_same_visit_is_refused_with_its_token(
    session: Session, clinic: Clinic
) -> None:
    appointment = visit(session, clinic.doctor)
    check_in(session, clinic.desk, visit(session, clinic.doctor, "09:15"))
    assert check_in(session, clinic.desk, appointment) == 2
    with pytest.raises(Conflict, match="Already checked in: token 2"):
        queue.check_in(session, actor_id=clinic.desk.id, appointment_id=appointment.id, now=NOW)


def test_unknown_or_crafted_appointment_ids_are_not_found(session: Session, clinic: Clinic) -> None:
    for bad in ("no-such-visit", 7, None, ["x"]):
        with pytest.raises(NotFound):
            queue.check_in(session, actor_id=clinic.desk.id, appointment_id=bad, now=NOW)


def test_a_desk_of_another_hospital_reaches_nothing_here(session: Session, clinic: Clinic) -> None:
    elsewhere = create_desk_user(session, hospitals=[create_hospital(session)])
    appointment = visit(session, clinic.doctor)
    with pytest.raises(NotFound):
        queue.check_in(session, actor_id=elsewhere.id, appointment_id=appointment.id, now=NOW)
    check_in(session, clinic.desk, appointment)
    for move in (queue.call_in, queue.finish, queue.undo_check_in):
        with pytest.raises(NotFound):
            move(session, actor_id=elsewhere.id, appointment_id=appointment.id, now=NOW)
    for read in (queue_views.day_queue,):
        with pytest.raises(NotFound):
            read(
                session, actor_id=elsewhere.id, hospital_id=clinic.hospital.id, day=MONDAY, now=NOW
            )
    with pytest.raises(NotFound):
        queue_views.screen_key_for(
            session, actor_id=elsewhere.id, hospital_id=clinic.hospital.id, now=NOW
        )


def test_an_admin_reaches_every_hospital(session: Session, clinic: Clinic) -> None:
    admin = create_user(session, role=Role.ADMIN)
    appointment = visit(session, clinic.doctor)
    assert check_in(session, admin, appointment) == 1


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_patients_and_doctors_are_refused(session: Session, clinic: Clinic, role: str) -> None:
    appointment = visit(session, clinic.doctor)
    user = (
        session.get(User, appointment.patient_id)
        if role == Role.PATIENT
        else link_doctor_user(session, clinic.doctor)
    )
    assert user is not None
    with pytest.raises(Forbidden):
        queue.check_in(session, actor_id=user.id, appointment_id=appointment.id, now=NOW)
    with pytest.raises(Forbidden):
        queue_views.day_queue(
            session, actor_id=user.id, hospital_id=clinic.hospital.id, day=MONDAY, now=NOW
        )
    with pytest.raises(Forbidden):
        queue_views.screen_key_for(
            session, actor_id=user.id, hospital_id=clinic.hospital.id, now=NOW
        )
    check_in(session, clinic.desk, appointment)
    for move in (queue.call_in, queue.finish, queue.undo_check_in):
        with pytest.raises(Forbidden):
            move(session, actor_id=user.id, appointment_id=appointment.id, now=NOW)


def test_a_blocked_desk_user_is_refused(session: Session, clinic: Clinic) -> None:
    clinic.desk.is_blocked = True
    session.add(clinic.desk)
    session.commit()
    with pytest.raises(Forbidden):
        queue.check_in(
            session,
            actor_id=clinic.desk.id,
            appointment_id=visit(session, clinic.doctor).id,
            now=NOW,
        )


# --- stages ------------------------------------------------------------------------------


def test_stages_move_forward_and_a_stale_stage_is_a_conflict(
    session: Session, clinic: Clinic
) -> None:
    appointment = visit(session, clinic.doctor)
    check_in(session, clinic.desk, appointment)
    desk, later = clinic.desk.id, NOW + timedelta(minutes=5)
    with pytest.raises(Conflict):  # not with the doctor yet
        queue.finish(session, actor_id=desk, appointment_id=appointment.id, now=later)
    called = queue.call_in(session, actor_id=desk, appointment_id=appointment.id, now=later)
    session.commit()
    assert (called.token, called.stage) == (1, "with_doctor")
    with pytest.raises(Conflict, match="no longer waiting"):  # a second desk, a stale page
        queue.call_in(session, actor_id=desk, appointment_id=appointment.id, now=later)
    with pytest.raises(Conflict):  # called in: no undo
        queue.undo_check_in(session, actor_id=desk, appointment_id=appointment.id, now=later)
    done = queue.finish(session, actor_id=desk, appointment_id=appointment.id, now=later)
    session.commit()
    assert done.stage == "done"
    with pytest.raises(Conflict):
        queue.finish(session, actor_id=desk, appointment_id=appointment.id, now=later)
    entry = session.get(QueueEntry, appointment.id)
    assert entry is not None
    assert (entry.stage, entry.called_at, entry.done_at) == ("done", later, later)
    actions = session.exec(
        select(AuditEvent.action)
        .where(AuditEvent.appointment_id == appointment.id)
        .order_by(col(AuditEvent.id))
    ).all()
    assert actions[-3:] == ["queue_check_in", "queue_call_in", "queue_done"]


def test_a_visit_not_checked_in_cannot_move(session: Session, clinic: Clinic) -> None:
    appointment = visit(session, clinic.doctor)
    for move in (queue.call_in, queue.finish, queue.undo_check_in):
        with pytest.raises(NotFound):
            move(session, actor_id=clinic.desk.id, appointment_id=appointment.id, now=NOW)


def test_undo_a_mistaken_check_in(session: Session, clinic: Clinic) -> None:
    first, mistaken = visit(session, clinic.doctor), visit(session, clinic.doctor, "09:15")
    check_in(session, clinic.desk, first)
    assert check_in(session, clinic.desk, mistaken) == 2
    undone = queue.undo_check_in(
        session, actor_id=clinic.desk.id, appointment_id=mistaken.id, now=NOW
    )
    session.commit()
    assert undone.token == 2
    assert session.get(QueueEntry, mistaken.id) is None
    assert check_in(session, clinic.desk, mistaken) == 2  # can be checked in again


def test_a_cancelled_visit_cannot_be_called_in(session: Session, clinic: Clinic) -> None:
    appointment = visit(session, clinic.doctor)
    check_in(session, clinic.desk, appointment)
    appointment.status = AppointmentStatus.CANCELLED
    session.add(appointment)
    session.commit()
    with pytest.raises(Conflict, match="no longer confirmed"):
        queue.call_in(session, actor_id=clinic.desk.id, appointment_id=appointment.id, now=NOW)


# --- the desk's day ------------------------------------------------------------------------


def day(session: Session, clinic: Clinic, on: date = MONDAY) -> queue_views.DayQueue:
    return queue_views.day_queue(
        session, actor_id=clinic.desk.id, hospital_id=clinic.hospital.id, day=on, now=NOW
    )


def by_doctor(view: queue_views.DayQueue, doctor: Doctor) -> queue_views.DoctorQueue:
    return next(d for d in view.doctors if d.doctor_id == doctor.id)


def test_day_queue_lists_arrivals_by_token_and_expected_visits_by_time(
    session: Session, clinic: Clinic
) -> None:
    a = visit(session, clinic.doctor, "09:00", name="Asha Rao")
    b = visit(session, clinic.doctor, "09:30", name="Bina Das")
    c = visit(session, clinic.doctor, "10:30", name="Chetan Shah")
    visit(session, clinic.doctor, "11:00", status=AppointmentStatus.PENDING_PAYMENT)
    visit(session, clinic.doctor, "11:15", status=AppointmentStatus.CANCELLED)
    visit(session, clinic.doctor, "09:00", day=MONDAY + timedelta(days=1))  # not today
    visit(session, create_doctor(session), "09:00")  # another hospital
    check_in(session, clinic.desk, b)
    check_in(session, clinic.desk, a)
    queue.call_in(session, actor_id=clinic.desk.id, appointment_id=b.id, now=NOW)
    session.commit()
    view = day(session, clinic)
    assert (view.hospital_name, view.day, view.is_today) == ("Sunrise Clinic", MONDAY, True)
    assert [d.doctor_name for d in view.doctors] == ["Dr. Arjun Rao", "Dr. Meera Pillai"]
    mine = by_doctor(view, clinic.doctor)
    assert [(r.token, r.patient_name, r.stage) for r in mine.arrived] == [
        (1, "Bina Das", "with_doctor"),
        (2, "Asha Rao", "waiting"),
    ]
    assert mine.arrived[0].arrived_label == "10:00 AM"
    assert mine.arrived[0].time_label == "09:30 AM"
    assert mine.arrived[0].stage_label == "With the doctor"
    assert [(r.appointment_id, r.token, r.stage) for r in mine.expected] == [(c.id, 0, "")]
    assert (mine.waiting, mine.with_doctor, mine.done) == (1, 1, 0)
    assert by_doctor(view, clinic.other_doctor).arrived == ()


def test_day_queue_shows_a_family_members_own_name(session: Session, clinic: Clinic) -> None:
    appointment = visit(session, clinic.doctor, name="Ravi Menon")
    child = Dependant(
        holder_id=appointment.patient_id,
        name="Anu Menon",
        relation="child",
        date_of_birth=date(2018, 5, 1),
    )
    session.add(child)
    session.flush()
    appointment.dependant_id = child.id
    session.add(appointment)
    session.commit()
    check_in(session, clinic.desk, appointment)
    assert by_doctor(day(session, clinic), clinic.doctor).arrived[0].patient_name == "Anu Menon"
    key = queue_views.screen_key_for(
        session, actor_id=clinic.desk.id, hospital_id=clinic.hospital.id, now=NOW
    )
    screen = queue_views.queue_screen(session, screen_key=key, now=NOW)
    assert screen.doctors[0].waiting == (queue_views.ScreenToken(1, "Anu"),)


def test_a_visit_closed_by_the_doctor_reads_as_done(session: Session, clinic: Clinic) -> None:
    seen, missed, cancelled = (
        visit(session, clinic.doctor, t) for t in ("09:00", "09:15", "09:30")
    )
    for appointment in (seen, missed, cancelled):
        check_in(session, clinic.desk, appointment)
    queue.call_in(session, actor_id=clinic.desk.id, appointment_id=seen.id, now=NOW)
    for appointment, status in (
        (seen, AppointmentStatus.COMPLETED),
        (missed, AppointmentStatus.NO_SHOW),
        (cancelled, AppointmentStatus.CANCELLED),
    ):
        appointment.status = status  # as the lifecycle leaves them
        session.add(appointment)
    session.commit()
    mine = by_doctor(day(session, clinic), clinic.doctor)
    assert [(r.token, r.stage, r.stage_label) for r in mine.arrived] == [
        (1, "done", "Done"),
        (2, "done", "Done"),
    ]
    assert mine.expected == ()
    assert (mine.waiting, mine.with_doctor, mine.done) == (0, 0, 2)
    key = queue_views.screen_key_for(
        session, actor_id=clinic.desk.id, hospital_id=clinic.hospital.id, now=NOW
    )
    shown = queue_views.queue_screen(session, screen_key=key, now=NOW).doctors
    assert [(d.doctor_name, d.now_calling, d.waiting) for d in shown] == [
        ("Dr. Meera Pillai", (), ())
    ]
    # A token is never given twice, even after a cancellation.
    assert check_in(session, clinic.desk, visit(session, clinic.doctor, "10:00")) == 4


def test_day_queue_refuses_bad_arguments(session: Session, clinic: Clinic) -> None:
    with pytest.raises(ValidationFailed):
        queue_views.day_queue(
            session, actor_id=clinic.desk.id, hospital_id=clinic.hospital.id, day="x", now=NOW
        )
    for bad in ("1", None, 10**6):
        with pytest.raises(NotFound):
            queue_views.day_queue(
                session, actor_id=clinic.desk.id, hospital_id=bad, day=MONDAY, now=NOW
            )


def test_another_day_is_read_only(session: Session, clinic: Clinic) -> None:
    visit(session, clinic.doctor, day=MONDAY + timedelta(days=1))
    view = day(session, clinic, MONDAY + timedelta(days=1))
    assert view.is_today is False
    assert len(by_doctor(view, clinic.doctor).expected) == 1


# --- the screen --------------------------------------------------------------------------


def test_the_screen_shows_first_names_and_tokens_only(session: Session, clinic: Clinic) -> None:
    a = visit(session, clinic.doctor, "09:00", name="Mrs. Asha Ramachandran")
    b = visit(session, clinic.doctor, "09:15", name="Bina Dasgupta")
    c = visit(session, clinic.doctor, "09:30", name="Chetan Shahani")
    d = visit(session, clinic.other_doctor, "09:30", name="Devika Kulkarni")
    for appointment in (b, a, c, d):
        check_in(session, clinic.desk, appointment)
    queue.call_in(session, actor_id=clinic.desk.id, appointment_id=b.id, now=NOW)
    session.commit()
    key = queue_views.screen_key_for(
        session, actor_id=clinic.desk.id, hospital_id=clinic.hospital.id, now=NOW
    )
    screen = queue_views.queue_screen(session, screen_key=key, now=NOW)
    assert screen.hospital_name == "Sunrise Clinic"
    assert [(s.doctor_name, s.now_calling, s.waiting) for s in screen.doctors] == [
        ("Dr. Arjun Rao", (), (queue_views.ScreenToken(1, "Devika"),)),
        (
            "Dr. Meera Pillai",
            (queue_views.ScreenToken(1, "Bina"),),
            (queue_views.ScreenToken(2, "Asha"), queue_views.ScreenToken(3, "Chetan")),
        ),
    ]
    text = repr(screen)
    for private in ("Ramachandran", "Dasgupta", "Shahani", "Kulkarni", "98450", "Check-up"):
        assert private not in text
    assert "@" not in text


def test_the_screen_key_is_made_once_audited_and_rotation_ends_the_old_one(
    session: Session, clinic: Clinic
) -> None:
    ask = dict(actor_id=clinic.desk.id, hospital_id=clinic.hospital.id, now=NOW)
    key = queue_views.screen_key_for(session, **ask)
    session.commit()
    assert queue_views.valid_screen_key(key) and len(key) >= 32
    assert queue_views.screen_key_for(session, **ask) == key  # the same screen every time
    assert (
        queue_views.queue_screen(session, screen_key=key, now=NOW).hospital_name == "Sunrise Clinic"
    )
    new = queue_views.screen_key_for(session, **ask, rotate=True)
    session.commit()
    assert new != key
    with pytest.raises(NotFound, match="not valid"):
        queue_views.queue_screen(session, screen_key=key, now=NOW)
    assert (
        queue_views.queue_screen(session, screen_key=new, now=NOW).hospital_name == "Sunrise Clinic"
    )
    audits = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "hospital").order_by(col(AuditEvent.id))
    ).all()
    assert [(a.action, a.entity_id) for a in audits] == [
        ("queue_screen_created", str(clinic.hospital.id)),
        ("queue_screen_rotated", str(clinic.hospital.id)),
    ]
    assert all(key not in repr(a.detail) and new not in repr(a.detail) for a in audits)


@pytest.mark.parametrize(
    "key", ["", "short", "x" * 32, "a b" * 10, None, 12345, "../../etc/passwd" * 2, "é" * 20]
)
def test_an_unknown_or_malformed_screen_key_is_not_found(session: Session, key: object) -> None:
    with pytest.raises(NotFound, match="This screen address is not valid"):
        queue_views.queue_screen(session, screen_key=key, now=NOW)


def test_first_names() -> None:
    assert queue_views.first_name("Mrs. Asha Rao") == "Asha"
    assert queue_views.first_name("Dr Ravi Kumar") == "Ravi"
    assert queue_views.first_name("Smt Lakshmi") == "Lakshmi"
    assert queue_views.first_name("Mr.") == "Mr"
    assert queue_views.first_name("") == ""
    assert queue_views.first_name("Venkatanarasimharajuvaripeta Rao") == "Venkatanarasimharaju"
