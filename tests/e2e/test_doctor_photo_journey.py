"""An admin gives a doctor a photo: uploads one on the doctor's admin page (a file that is
not an image is refused with a message), patients then see it on the doctor's card, profile
and booking page; the admin removes it and the initials are back everywhere, as they are
when a photo's file is missing. At phone and desktop sizes.

Each size works on its own seeded doctor, whose photo is cleared again at the end.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import initials
from healthcareplus.core.models import Doctor
from tests.e2e.conftest import DESKTOP, PHONE, WORK, Journey, log_in
from tests.e2e.test_admin_actions_journey import admin_login

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
PHOTO_SRC = re.compile(r"^/_upload/doctors/[0-9a-f]{32}\.jpg$")
UPLOADS = WORK / "uploaded_files" / "doctors"  # the e2e server's REFLEX_UPLOADED_FILES_DIR
NOT_AN_IMAGE = "That file is not a JPEG, PNG or WebP image."
# The seeded doctors this journey uses, one per size (by rank; the other journeys use
# lower ids or the highest one).
RANK_AT_PHONE, RANK_AT_DESKTOP = 12, 13


@dataclass(frozen=True)
class Pictured:
    id: int
    name: str
    initials: str


def _set_photo_url(e2e_db_url: str, doctor_id: int, photo_url: str | None) -> None:
    """Point the doctor at ``photo_url`` straight in the database; the file of the photo it
    had is deleted (a failed run leaves nothing behind)."""
    with Session(get_engine(e2e_db_url)) as db:
        doctor = db.get(Doctor, doctor_id)
        assert doctor is not None
        if doctor.photo_url and PHOTO_SRC.match(doctor.photo_url):
            (UPLOADS / doctor.photo_url.rsplit("/", 1)[-1]).unlink(missing_ok=True)
        doctor.photo_url = photo_url
        db.add(doctor)
        db.commit()


@pytest.fixture
def doctor(e2e_db_url: str, viewport: dict[str, int]) -> Iterator[Pictured]:
    with Session(get_engine(e2e_db_url)) as db:
        row = db.exec(
            select(Doctor)
            .where(col(Doctor.is_active).is_(True))
            .order_by(col(Doctor.id))
            .offset(RANK_AT_PHONE if viewport == PHONE else RANK_AT_DESKTOP)
        ).first()
        assert row is not None and row.id is not None
        picked = Pictured(row.id, row.name, initials(row.name))
    _set_photo_url(e2e_db_url, picked.id, None)
    yield picked
    _set_photo_url(e2e_db_url, picked.id, None)


def portrait_png() -> bytes:
    """A landscape picture (the server crops it square): teal with a white band."""
    image = Image.new("RGB", (640, 400), (0, 128, 128))
    image.paste((255, 255, 255), (0, 180, 640, 220))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_input(page: Page) -> Locator:
    """The upload's file input (hidden behind its button, as file inputs of drop zones are)."""
    return page.get_by_label("Doctor's photo file")


def shows_photo(where: Locator, src: str, doctor: Pictured) -> None:
    """The avatar shows the photo (Radix renders the <img> only once it has loaded)."""
    image = where.get_by_role("img", name=doctor.name)
    expect(image).to_be_visible()
    expect(image).to_have_attribute("src", src)


def shows_initials(where: Locator, doctor: Pictured) -> None:
    """The avatar shows the initials: no photo of the doctor is shown."""
    expect(where.get_by_text(doctor.initials, exact=True).first).to_be_visible()
    expect(where.get_by_role("img", name=doctor.name)).to_have_count(0)


def public_pages_show(j: Journey, doctor: Pictured, check: Callable[[Locator], None]) -> None:
    """The doctor's search card and profile."""
    page = j.page
    j.goto(f"/doctors?q={doctor.name.removeprefix('Dr. ')}")
    card = page.get_by_test_id("doctor-card").filter(has_text=doctor.name)
    expect(card).to_have_count(1)
    check(card)
    j.goto(f"/doctor/{doctor.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(doctor.name)
    check(page.locator("main"))


@SIZES
def test_admin_uploads_and_removes_a_doctors_photo_which_patients_see(
    open_journey, viewport, doctor: Pictured, e2e_db_url: str, new_patient
) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    admin_login(j)
    j.goto(f"/admin/doctors/{doctor.id}")
    preview = page.get_by_test_id("doctor-photo-preview")
    shows_initials(preview, doctor)
    expect(page.get_by_role("button", name="Remove photo")).to_have_count(0)
    j.shot("no photo yet")

    # Upload: the file is sent as soon as it is chosen.
    photo_input(page).set_input_files(
        files=[{"name": "IMG_2041 family.png", "mimeType": "image/png", "buffer": portrait_png()}]
    )
    expect(page.get_by_text(f"Photo of {doctor.name} saved.")).to_be_visible()
    image = preview.get_by_role("img", name=doctor.name)
    expect(image).to_have_attribute("src", PHOTO_SRC)
    src = image.get_attribute("src") or ""
    shows_photo(preview, src, doctor)
    expect(page.get_by_role("button", name="Replace photo")).to_be_visible()
    j.shot("photo uploaded")

    # What the server serves: the square JPEG it made, not the upload.
    served = page.request.get(j.base_url + src)
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(served.body()))
    assert (picture.format, picture.size) == ("JPEG", (256, 256))

    # A file that only claims to be a photo is refused; the photo stays.
    photo_input(page).set_input_files(
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.7 a letter"}]
    )
    expect(page.get_by_test_id("doctor-photo-error")).to_have_text(NOT_AN_IMAGE)
    shows_photo(preview, src, doctor)
    j.shot("not an image refused")

    # Patients see it on the card, the profile and the booking page.
    public_pages_show(j, doctor, lambda where: shows_photo(where, src, doctor))
    j.shot("profile with photo")
    patient = open_journey(viewport, name=f"{j.folder.name}-patient")
    log_in(patient, new_patient())
    patient.goto(f"/book/{doctor.id}")
    shows_photo(patient.page.locator("main"), src, doctor)
    patient.shot("booking page with photo")

    # The admin removes it: the initials are back, the file is gone.
    j.goto(f"/admin/doctors/{doctor.id}")
    shows_photo(preview, src, doctor)
    page.get_by_role("button", name="Remove photo").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Patients will see the doctor's initials instead.")
    dialog.get_by_role("button", name="Remove photo").click()
    expect(page.get_by_text(f"Photo of {doctor.name} removed.")).to_be_visible()
    shows_initials(preview, doctor)
    expect(page.get_by_role("button", name="Upload photo")).to_be_visible()
    assert not (UPLOADS / src.rsplit("/", 1)[-1]).exists()
    j.shot("photo removed")
    public_pages_show(j, doctor, lambda where: shows_initials(where, doctor))
    j.shot("profile with initials")

    # A photo whose file has gone missing shows the initials too.
    _set_photo_url(e2e_db_url, doctor.id, src)
    public_pages_show(j, doctor, lambda where: shows_initials(where, doctor))
    j.shot("missing file shows initials")
