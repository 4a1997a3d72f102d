"""Doctors' photos: an admin (or the doctor, on their own profile: ``doctor_self_service``)
sets, replaces or removes the picture patients see on the doctor's cards, profile and
booking page (``Doctor.photo_url``; without one, or when its
file is gone, the page shows the doctor's initials).

An upload is trusted only once Pillow has decoded it: a JPEG, PNG or WebP image of at
most ``MAX_BYTES`` and ``MAX_PIXELS``; anything else is refused with a message fit for the
admin. The decoded picture is turned upright (its EXIF orientation), centre-cropped to a
square, resized to ``SIZE`` x ``SIZE`` and encoded afresh as a JPEG from its pixels alone,
so none of the upload's metadata (EXIF with its GPS position and camera, ICC profile,
comments) and none of its bytes survive. It is stored in the upload folder under
``doctors/`` with a random name (never the uploader's), which the app serves at
``/_upload/doctors/<name>.jpg``.

Files and the transaction: the new file is written before the row changes; the file it
replaces is deleted only once the change has committed, and the new one if the change
rolls back, so a failed save never leaves a doctor pointing at a missing file. Only files
this module named are ever deleted.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlmodel import Session

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.db import require_row
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import initials
from healthcareplus.core.models import Doctor, Role
from healthcareplus.domain.accounts.actors import acting_admin

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # decoded size cap (a 5 MB file may hold a huge, flat image)
SIZE = 256
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP")
# Where Reflex serves the app's upload folder (``rx.get_upload_dir()``).
UPLOAD_URL = "/_upload"
FOLDER = "doctors"
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.jpg")

FIELD = "photo"
EMPTY = "Choose a photo to upload."
TOO_BIG = "The photo is larger than 5 MB. Please choose a smaller one."
TOO_LARGE = "The photo has too many pixels. Please choose a smaller one."
NOT_AN_IMAGE = "That file is not a JPEG, PNG or WebP image."
NOT_FOUND = "Doctor not found."


@dataclass(frozen=True)
class DoctorPhoto:
    doctor_id: int
    name: str
    initials: str
    photo_url: str  # "" when the doctor has no photo


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed({FIELD: message})


def _decode(data: bytes) -> Image.Image:
    """The upload's picture, upright; ``ValidationFailed`` unless it is a JPEG, PNG or
    WebP image within the limits that decodes in full."""
    if not isinstance(data, bytes) or not data:
        raise _refuse(EMPTY)
    if len(data) > MAX_BYTES:
        raise _refuse(TOO_BIG)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(TOO_LARGE)
            image.load()  # decodes every byte: a truncated or corrupt file fails here
            return ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise _refuse(NOT_AN_IMAGE) from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError) as exc:
        raise _refuse(NOT_AN_IMAGE) from exc


def _on_white(picture: Image.Image) -> Image.Image:
    """RGB pixels, transparent parts on white (JPEG has no transparency)."""
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return picture.convert("RGB")


def portrait_jpeg(data: bytes) -> bytes:
    """The upload as a ``SIZE`` x ``SIZE`` JPEG of its centre square, with no metadata;
    ``ValidationFailed`` (field ``photo``) for anything but a JPEG, PNG or WebP image
    within the limits."""
    square = ImageOps.fit(_on_white(_decode(data)), (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the upload's info comes along.
    clean = Image.frombytes("RGB", square.size, square.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def stored_file(upload_dir: Path, photo_url: str | None) -> Path | None:
    """The file behind ``photo_url`` if it is one this module stored, else None."""
    prefix = f"{UPLOAD_URL}/{FOLDER}/"
    if not photo_url or not photo_url.startswith(prefix):
        return None
    name = photo_url.removeprefix(prefix)
    return upload_dir / FOLDER / name if _STORED_NAME.fullmatch(name) else None


def _delete(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _after(session: Session, *, commit: Callable[[], None], rollback: Callable[[], None]) -> None:
    """Run ``commit`` once the session's transaction commits, or ``rollback`` if it rolls
    back instead (whichever comes first, once)."""
    done = False

    def finish(action: Callable[[], None]) -> None:
        nonlocal done
        if not done:
            done = True
            action()

    event.listen(session, "after_commit", lambda _s: finish(commit), once=True)
    event.listen(session, "after_rollback", lambda _s: finish(rollback), once=True)


def _photo(doctor: Doctor) -> DoctorPhoto:
    assert doctor.id is not None
    return DoctorPhoto(doctor.id, doctor.name, initials(doctor.name), doctor.photo_url or "")


def _change(
    session: Session, by: Actor, doctor: Doctor, photo_url: str | None, upload_dir: Path
) -> DoctorPhoto:
    """Point the doctor at ``photo_url`` (audited); the file it replaces is deleted once
    the change commits, the new one if it rolls back."""
    previous = doctor.photo_url
    if previous == photo_url:
        return _photo(doctor)
    doctor.photo_url = photo_url
    session.add(doctor)
    action = "doctor_photo_removed" if photo_url is None else "doctor_photo_set"
    detail = {"photo_url": photo_url, "previous": previous}
    audit(session, by, action, entity="doctor", entity_id=doctor.id, detail=detail)
    session.flush()
    new_file = stored_file(upload_dir, photo_url)
    _after(
        session,
        commit=lambda: _delete(stored_file(upload_dir, previous)),
        rollback=lambda: _delete(new_file),
    )
    return _photo(doctor)


def doctor_photo(session: Session, *, doctor_id: int) -> DoctorPhoto:
    """The doctor's name, initials and photo; ``NotFound`` for an unknown id."""
    return _photo(require_row(session, Doctor, doctor_id, NOT_FOUND))


def change_photo(
    session: Session, *, by: Actor, doctor: Doctor, data: bytes | None, upload_dir: Path
) -> DoctorPhoto:
    """Set (or replace) ``doctor``'s photo from an upload's bytes, or remove it when
    ``data`` is None, audited as ``by``: the change its callers made once they checked
    who may make it (``set_doctor_photo``: an admin; ``doctor_self_service``: the doctor
    themselves). ``ValidationFailed`` (field ``photo``) for a file that is not a usable
    image."""
    if data is None:
        return _change(session, by, doctor, None, upload_dir)
    jpeg = portrait_jpeg(data)
    folder = upload_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.jpg"
    path.write_bytes(jpeg)
    try:
        return _change(session, by, doctor, f"{UPLOAD_URL}/{FOLDER}/{path.name}", upload_dir)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def set_doctor_photo(
    session: Session,
    *,
    doctor_id: int,
    data: bytes,
    upload_dir: Path,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> DoctorPhoto:
    """Set (or replace) the doctor's photo from an uploaded file's bytes, checked and
    processed as the module says and stored in ``upload_dir``/doctors/. ``Forbidden`` for
    anyone but an active admin, ``NotFound`` for an unknown doctor, ``ValidationFailed``
    (field ``photo``) for a file that is not a usable image."""
    by = acting_admin(session, actor_id, actor_role, now)
    doctor = require_row(session, Doctor, doctor_id, NOT_FOUND)
    return change_photo(session, by=by, doctor=doctor, data=data, upload_dir=upload_dir)


def remove_doctor_photo(
    session: Session,
    *,
    doctor_id: int,
    upload_dir: Path,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> DoctorPhoto:
    """Remove the doctor's photo (patients see the initials again); its file is deleted
    once the change commits. Removing no photo changes nothing."""
    by = acting_admin(session, actor_id, actor_role, now)
    doctor = require_row(session, Doctor, doctor_id, NOT_FOUND)
    return change_photo(session, by=by, doctor=doctor, data=None, upload_dir=upload_dir)


__all__ = [
    "MAX_BYTES",
    "SIZE",
    "DoctorPhoto",
    "change_photo",
    "doctor_photo",
    "portrait_jpeg",
    "remove_doctor_photo",
    "set_doctor_photo",
    "stored_file",
]
