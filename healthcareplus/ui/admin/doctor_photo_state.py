"""Admin: one doctor's photo, on the doctor's page: upload one (replacing any) and remove
it. Every handler is admin-only; the doctor is the page's (``load`` reads it from the URL
and keeps it server-side), never one the browser names.

The upload arrives through Reflex's upload endpoint (``rx.upload_files``), which hands
``upload`` the files as ``rx.UploadFile``s through the same access guard as every event.
Checking and processing the picture is the domain's (``catalog.doctor_photos``); the
files go to Reflex's upload folder (``rx.get_upload_dir()``: ``REFLEX_UPLOADED_FILES_DIR``,
``uploaded_files/`` by default), which the app serves at ``/_upload``.
"""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.catalog import doctor_photos as photos
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import last_path_id, to_row
from healthcareplus.ui.shared.typed import Field, event, field

ONE_PHOTO = "Choose one photo."
NO_DOCTOR = "Open a doctor's page first."


class AdminDoctorPhotoState(rx.State):
    # doctor_id, name, initials, photo_url ("" without a photo), as the avatar reads them
    photo: Field[dict[str, str]] = field(default_factory=dict)
    error: Field[str] = field("")
    _doctor_id: int = 0

    def _show(self, photo: photos.DoctorPhoto) -> None:
        self.photo = to_row(photo)
        self._doctor_id = photo.doctor_id

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.photo, self.error, self._doctor_id = {}, "", 0
        doctor_id = last_path_id(self.router.url.path) or 0
        found = in_session(photos.doctor_photo, doctor_id=doctor_id)
        if not isinstance(found, Failed):
            self._show(found)

    def _refuse(self, message: str) -> EventSpec:
        self.error = message
        return rx.toast.error(message)

    @event
    @requires(Role.ADMIN)
    async def upload(self, files: list[rx.UploadFile]) -> EventSpec:
        """Set the doctor's photo from the one uploaded file."""
        self.error = ""
        if not self._doctor_id:
            return self._refuse(NO_DOCTOR)
        if not isinstance(files, list) or len(files) != 1:
            return self._refuse(ONE_PHOTO)
        if not isinstance(files[0], rx.UploadFile):
            return self._refuse(ONE_PHOTO)
        # One byte over the limit is enough for the domain to refuse a file as too big.
        try:
            data = await files[0].read(photos.MAX_BYTES + 1)
        except (OSError, ValueError):  # the upload's temporary file is gone or closed
            return self._refuse(photos.EMPTY)
        change = {"doctor_id": self._doctor_id, "upload_dir": rx.get_upload_dir(), **actor()}
        # Decoding a big picture takes a while: off the event loop.
        result = await asyncio.to_thread(
            lambda: in_session(photos.set_doctor_photo, data=data, **change, now=utcnow())
        )
        if isinstance(result, Failed):
            return self._refuse(result.field(photos.FIELD))
        self._show(result)
        return rx.toast.success(f"Photo of {result.name} saved.")

    @event
    @requires(Role.ADMIN)
    def remove(self) -> EventSpec:
        """Remove the doctor's photo: patients see the initials again."""
        self.error = ""
        if not self._doctor_id:
            return self._refuse(NO_DOCTOR)
        result = in_session(
            photos.remove_doctor_photo,
            doctor_id=self._doctor_id,
            upload_dir=rx.get_upload_dir(),
            **actor(),
            now=utcnow(),
        )
        if isinstance(result, Failed):
            return self._refuse(result.message)
        self._show(result)
        return rx.toast.success(f"Photo of {result.name} removed.")
