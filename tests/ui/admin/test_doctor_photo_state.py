"""The admin's doctor photo state, driven as the admin's browser would (the upload
endpoint hands ``upload`` the files) and as a crafted browser could (any event, any
arguments, any role), through the access guard where it matters."""

from __future__ import annotations

import asyncio
import copy
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
from PIL import Image
from reflex.state import BaseState, StateUpdate
from reflex_base.constants import Endpoint
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler
from sqlmodel import Session, select

from healthcareplus.core.models import AuditEvent, Doctor
from healthcareplus.domain.catalog import doctor_photos as photos
from healthcareplus.ui.admin.doctor_photo_state import NO_DOCTOR, ONE_PHOTO, AdminDoctorPhotoState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE, AccessGuard
from tests.factories import create_doctor
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
P = AdminDoctorPhotoState
HANDLERS = ("load", "upload", "remove")
UPLOAD_EVENT = format_event_handler(P.event_handlers["upload"])


def png(colour: tuple[int, int, int] = (220, 20, 20), size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def upload_file(data: bytes, name: str = "portrait.png") -> rx.UploadFile:
    """A file as Reflex's upload endpoint hands it to the handler."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Reflex's upload folder (``rx.get_upload_dir()``) for this test only."""
    folder = tmp_path / "uploaded_files"
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(folder))
    return folder


@pytest.fixture
def doctor(session: Session) -> Doctor:
    return create_doctor(session, name="Dr. Kavya Menon")


def page(doctor: Doctor) -> str:
    return f"/admin/doctors/{doctor.id}"


def stored(uploads: Path) -> list[str]:
    folder = uploads / "doctors"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def state_values(state: BaseState) -> dict[str, Any]:
    names = sorted(set(P.get_fields()) - set(rx.State.get_fields()))
    return copy.deepcopy({name: state.get_value(name) for name in names})


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (Doctor, AuditEvent)
        }


def photo_url_of(fresh_session: FreshSession, doctor: Doctor) -> str | None:
    with fresh_session() as db:
        row = db.get(Doctor, doctor.id)
        assert row is not None
        return row.photo_url


def test_the_cases_cover_every_handler() -> None:
    assert set(P.event_handlers) - {"setvar"} == set(HANDLERS)


def test_photo_urls_are_where_reflex_serves_the_upload_folder() -> None:
    assert str(Endpoint.UPLOAD) == photos.UPLOAD_URL


# --- wrong callers ---------------------------------------------------------------------------


def payload_for(name: str) -> dict[str, Any]:
    return {"files": [upload_file(png())]} if name == "upload" else {}


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    uploads: Path,
    fresh_session: FreshSession,
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    path = page(doctor)
    client = make_client(getattr(users, who) if who else None, url=path)
    state = await client.state(P)
    if primed:  # as an admin's tab holds it: an unguarded body would act on this doctor
        state.photo = {"doctor_id": str(doctor.id), "name": doctor.name, "photo_url": ""}
        state._doctor_id = doctor.id
    before, rows = state_values(state), db_rows(fresh_session)

    events = await client.call(P, name, **payload_for(name))

    login = "/admin/login?next=" + path.replace("/", "%2F")
    assert redirects(events) == [login if who is None else HOME_FOR_ROLE[who]]
    assert state_values(state) == before
    assert db_rows(fresh_session) == rows
    assert stored(uploads) == []


async def guard(client: Client, payload: dict[str, Any]) -> StateUpdate | None:
    event = Event(name=UPLOAD_EVENT, payload=payload)
    return await AccessGuard().preprocess(app=None, state=client.root, event=event)  # type: ignore[arg-type]


async def test_the_guard_passes_an_admins_upload_and_turns_others_away(
    make_client: MakeClient, users: Users, doctor: Doctor
) -> None:
    files = [upload_file(png())]
    payload = {"files": files}
    assert await guard(make_client(users.admin, url=page(doctor)), payload) is None
    assert payload["files"] == files  # the handler gets the very files
    for who in (None, users.patient, users.doctor):
        refused = await guard(make_client(who, url=page(doctor)), {"files": [upload_file(png())]})
        assert isinstance(refused, StateUpdate) and refused.events  # the sign-in / home redirect


@pytest.mark.parametrize(
    "payload",
    [
        {"files": [{"file": "iVBORw0KGgo=", "path": "x.png", "size": 8}]},
        {"files": ["iVBORw0KGgo="]},
        {"files": "portrait.png"},
        {"files": [], "doctor_id": 1},
        {},
    ],
    ids=["file-as-object", "file-as-text", "not-a-list", "extra-doctor-id", "missing"],
)
async def test_the_guard_refuses_files_made_up_in_an_events_json(
    make_client: MakeClient, users: Users, doctor: Doctor, payload: dict[str, Any]
) -> None:
    """Only Reflex's upload endpoint makes ``UploadFile``s: a websocket event cannot."""
    refused = await guard(make_client(users.admin, url=page(doctor)), payload)
    assert refused == StateUpdate(delta={}, events=[])


# --- the admin -------------------------------------------------------------------------------


async def test_admin_uploads_replaces_and_removes_a_photo(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    uploads: Path,
    fresh_session: FreshSession,
) -> None:
    client = make_client(users.admin, url=page(doctor))
    assert await client.call(P, "load") == []
    state = await client.state(P)
    assert state.photo == {
        "doctor_id": str(doctor.id),
        "name": "Dr. Kavya Menon",
        "initials": "KM",
        "photo_url": "",
    }

    events = await client.call(P, "upload", files=[upload_file(png())])

    assert has_toast(events, "Photo of Dr. Kavya Menon saved.") and state.error == ""
    [first] = stored(uploads)
    assert state.photo["photo_url"] == f"/_upload/doctors/{first}"
    assert photo_url_of(fresh_session, doctor) == state.photo["photo_url"]

    await client.call(P, "upload", files=[upload_file(png((20, 20, 220)), "../../x.jpg")])
    [second] = stored(uploads)
    assert second != first and state.photo["photo_url"] == f"/_upload/doctors/{second}"

    events = await client.call(P, "remove")
    assert has_toast(events, "Photo of Dr. Kavya Menon removed.")
    assert state.photo["photo_url"] == "" and stored(uploads) == []
    assert photo_url_of(fresh_session, doctor) is None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], ONE_PHOTO),
        ([upload_file(png()), upload_file(png())], ONE_PHOTO),
        ([upload_file(b"")], photos.EMPTY),
        ([upload_file(b"MZ\x90\x00 not a picture", "photo.jpg")], photos.NOT_AN_IMAGE),
        ([upload_file(b"\xff\xd8\xff" + b"\0" * photos.MAX_BYTES)], photos.TOO_BIG),
    ],
    ids=["none", "two", "empty", "not-an-image", "over-5-mb"],
)
async def test_a_bad_upload_is_refused_with_a_message_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    uploads: Path,
    fresh_session: FreshSession,
    files: list[rx.UploadFile],
    message: str,
) -> None:
    client = make_client(users.admin, url=page(doctor))
    await client.call(P, "load")
    state = await client.state(P)
    shown, rows = dict(state.photo), db_rows(fresh_session)

    events = await client.call(P, "upload", files=files)

    assert state.error == message and has_toast(events, message)
    assert state.photo == shown
    assert db_rows(fresh_session) == rows and stored(uploads) == []


async def test_an_upload_whose_file_is_gone_is_a_message_not_a_crash(
    make_client: MakeClient, users: Users, doctor: Doctor, uploads: Path
) -> None:
    client = make_client(users.admin, url=page(doctor))
    await client.call(P, "load")
    gone = upload_file(png())
    gone.file.close()
    events = await client.call(P, "upload", files=[gone])
    assert has_toast(events, photos.EMPTY) and stored(uploads) == []


@pytest.mark.parametrize("path", ["/admin/doctors/999999", "/admin/doctors/abc", "/admin"])
async def test_no_doctor_on_the_page_means_nothing_to_change(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    uploads: Path,
    fresh_session: FreshSession,
    path: str,
) -> None:
    client = make_client(users.admin, url=path)
    await client.call(P, "load")
    state = await client.state(P)
    assert state.photo == {} and state._doctor_id == 0
    rows = db_rows(fresh_session)
    for name, payload in (("upload", {"files": [upload_file(png())]}), ("remove", {})):
        events = await client.call(P, name, **payload)
        assert has_toast(events, NO_DOCTOR)
    assert db_rows(fresh_session) == rows and stored(uploads) == []


async def test_a_deleted_doctor_after_load_is_a_message_not_a_crash(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    uploads: Path,
    session: Session,
) -> None:
    client = make_client(users.admin, url=page(doctor))
    await client.call(P, "load")
    (await client.state(P))._doctor_id = 999_999  # as if the row went away meanwhile
    events = await client.call(P, "upload", files=[upload_file(png())])
    assert has_toast(events, photos.NOT_FOUND)
    events = await client.call(P, "remove")
    assert has_toast(events, photos.NOT_FOUND)
    assert stored(uploads) == []


def test_the_upload_runs_off_the_event_loop(
    make_client: MakeClient, users: Users, doctor: Doctor, uploads: Path
) -> None:
    """Decoding happens in a worker thread: the loop stays free for other tabs."""
    threads: list[bool] = []
    original = photos.portrait_jpeg

    def spy(data: bytes) -> bytes:
        try:
            asyncio.get_running_loop()
            threads.append(False)
        except RuntimeError:
            threads.append(True)
        return original(data)

    client = make_client(users.admin, url=page(doctor))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(photos, "portrait_jpeg", spy)
        asyncio.run(client.call(P, "load"))
        asyncio.run(client.call(P, "upload", files=[upload_file(png())]))
    assert threads == [True]
