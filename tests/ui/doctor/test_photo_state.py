"""The doctor's own photo on My profile: the signed-in doctor uploads, replaces and
removes their own photo only (audited as the doctor); nothing the tab sends names
another doctor, and bad uploads are refused with a message. (Wrong roles are turned away
for every handler in ``test_doctor_states``.)"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
from PIL import Image
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.models import AuditEvent, Doctor
from healthcareplus.domain.admin import doctor_self_service as own
from healthcareplus.domain.catalog import doctor_photos as photos
from healthcareplus.ui.doctor.photo_state import ONE_PHOTO, DoctorOwnPhotoState
from tests.factories import create_doctor, link_doctor_user
from tests.ui.harness import Client, Users, has_toast

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
P = DoctorOwnPhotoState


def png(colour: tuple[int, int, int] = (220, 20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, "PNG")
    return out.getvalue()


def upload_file(data: bytes, name: str = "me.png") -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploaded_files"
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(folder))
    return folder


@pytest.fixture
def doctors(session: Session, users: Users) -> tuple[Doctor, Doctor]:
    mine = create_doctor(session, name="Dr. Dev Iyer")
    mine.user_id = users.doctor.id
    session.add(mine)
    other = create_doctor(session, name="Dr. Rao")
    link_doctor_user(session, other)
    session.commit()
    return mine, other


def stored(uploads: Path) -> list[str]:
    folder = uploads / "doctors"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def photo_of(fresh_session: FreshSession, doctor: Doctor) -> str | None:
    with fresh_session() as db:
        row = db.get(Doctor, doctor.id)
        assert row is not None
        return row.photo_url


async def opened(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.doctor, url=routes.DOCTOR_PROFILE)
    assert await client.call(P, "load") == []
    return client


async def test_the_doctor_sets_replaces_and_removes_their_own_photo(
    make_client: MakeClient,
    users: Users,
    doctors: tuple[Doctor, Doctor],
    uploads: Path,
    fresh_session: FreshSession,
) -> None:
    mine, other = doctors
    client = await opened(make_client, users)
    state = await client.state(P)
    assert state.photo == {"name": "Dr. Dev Iyer", "initials": "DI", "photo_url": ""}

    events = await client.call(P, "upload", files=[upload_file(png())])
    assert has_toast(events, "Your photo is saved. Patients see it at once.")
    [first] = stored(uploads)
    assert state.photo["photo_url"] == f"/_upload/doctors/{first}" == photo_of(fresh_session, mine)

    await client.call(P, "upload", files=[upload_file(png((0, 0, 200)), "../../x.jpg")])
    [second] = stored(uploads)  # the replaced file is gone once the change committed
    assert second != first and photo_of(fresh_session, mine) == f"/_upload/doctors/{second}"

    events = await client.call(P, "remove")
    assert has_toast(events, "Your photo is removed.")
    assert (state.photo["photo_url"], stored(uploads)) == ("", [])
    assert photo_of(fresh_session, mine) is None and photo_of(fresh_session, other) is None
    with fresh_session() as db:
        audit = db.exec(
            select(AuditEvent).where(AuditEvent.entity == "doctor").order_by(AuditEvent.id)
        ).all()
    assert [(a.action, a.actor_user_id, a.actor_role, a.entity_id) for a in audit] == [
        ("doctor_photo_set", users.doctor.id, "doctor", str(mine.id)),
        ("doctor_photo_set", users.doctor.id, "doctor", str(mine.id)),
        ("doctor_photo_removed", users.doctor.id, "doctor", str(mine.id)),
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], ONE_PHOTO),
        (None, ONE_PHOTO),
        ("me.png", ONE_PHOTO),
        (["iVBORw0KGgo="], ONE_PHOTO),
        ([{"file": "x"}], ONE_PHOTO),
        ("two", ONE_PHOTO),
        ([b"not an image"], ONE_PHOTO),
        ("text", photos.NOT_AN_IMAGE),
        ("empty", photos.EMPTY),
    ],
)
async def test_bad_uploads_are_refused_and_change_nothing(
    make_client: MakeClient,
    users: Users,
    doctors: tuple[Doctor, Doctor],
    uploads: Path,
    fresh_session: FreshSession,
    files: Any,
    message: str,
) -> None:
    client = await opened(make_client, users)
    made = {
        "two": [upload_file(png()), upload_file(png())],
        "text": [upload_file(b"hello, not a picture")],
        "empty": [upload_file(b"")],
    }
    events = await client.call(
        P, "upload", files=made.get(files, files) if isinstance(files, str) else files
    )
    assert has_toast(events, message)
    assert (await client.state(P)).error == message
    assert stored(uploads) == [] and photo_of(fresh_session, doctors[0]) is None


async def test_a_doctor_account_without_a_practice_changes_nothing(
    make_client: MakeClient,
    users: Users,
    doctors: tuple[Doctor, Doctor],
    uploads: Path,
    session: Session,
    fresh_session: FreshSession,
) -> None:
    mine, other = doctors
    mine.user_id = None
    session.add(mine)
    session.commit()
    client = await opened(make_client, users)
    assert (await client.state(P)).photo == {}
    events = await client.call(P, "upload", files=[upload_file(png())])
    assert has_toast(events, own.NOT_A_DOCTOR)
    events = await client.call(P, "remove")
    assert has_toast(events, own.NOT_A_DOCTOR)
    assert stored(uploads) == []
    assert photo_of(fresh_session, mine) is None and photo_of(fresh_session, other) is None
