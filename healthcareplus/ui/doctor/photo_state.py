"""The doctor's own photo, on /doctor-portal/profile: upload one (replacing any) and
remove it. Every handler acts only on the signed-in doctor's own profile
(``doctor_self_service.set_own_photo`` / ``remove_own_photo`` resolve it from the caller):
no handler takes a doctor id.

The upload arrives through Reflex's upload endpoint (``rx.upload_files``), as for the
admins' photo card; checking and processing the picture is ``catalog.doctor_photos``'s.
"""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import initials
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import doctor_self_service as own
from healthcareplus.domain.catalog import doctor_photos as photos
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import to_row
from healthcareplus.ui.shared.typed import Field, event, field

ONE_PHOTO = "Choose one photo."


class DoctorOwnPhotoState(rx.State):
    # name, initials, photo_url ("" without a photo), as the avatar reads them
    photo: Field[dict[str, str]] = field(default_factory=dict)
    error: Field[str] = field("")

    def _refuse(self, message: str) -> EventSpec:
        self.error = message
        return rx.toast.error(message)

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.photo, self.error = {}, ""
        profile = in_session(own.own_profile, actor_id=current_viewer().id)
        if not isinstance(profile, Failed):
            self.photo = {
                "name": profile.name,
                "initials": initials(profile.name),
                "photo_url": profile.photo_url or "",
            }

    @event
    @requires(Role.DOCTOR)
    async def upload(self, files: list[rx.UploadFile]) -> EventSpec:
        """Set the caller's own photo from the one uploaded file."""
        self.error = ""
        if not isinstance(files, list) or len(files) != 1:
            return self._refuse(ONE_PHOTO)
        if not isinstance(files[0], rx.UploadFile):
            return self._refuse(ONE_PHOTO)
        # One byte over the limit is enough for the domain to refuse a file as too big.
        try:
            data = await files[0].read(photos.MAX_BYTES + 1)
        except (OSError, ValueError):  # the upload's temporary file is gone or closed
            return self._refuse(photos.EMPTY)
        actor_id, upload_dir = current_viewer().id, rx.get_upload_dir()
        # Decoding a big picture takes a while: off the event loop.
        result = await asyncio.to_thread(
            lambda: in_session(
                own.set_own_photo,
                actor_id=actor_id,
                data=data,
                upload_dir=upload_dir,
                now=utcnow(),
            )
        )
        if isinstance(result, Failed):
            return self._refuse(result.field(photos.FIELD))
        self.photo = to_row(result)
        return rx.toast.success("Your photo is saved. Patients see it at once.")

    @event
    @requires(Role.DOCTOR)
    def remove(self) -> EventSpec:
        """Remove the caller's own photo: patients see their initials again."""
        self.error = ""
        result = in_session(
            own.remove_own_photo,
            actor_id=current_viewer().id,
            upload_dir=rx.get_upload_dir(),
            now=utcnow(),
        )
        if isinstance(result, Failed):
            return self._refuse(result.message)
        self.photo = to_row(result)
        return rx.toast.success("Your photo is removed.")
