"""Doctors' photos set by an admin: only real JPEG, PNG and WebP images within the limits
are taken; each is stored as a square JPEG without metadata under a random name; a
replaced or removed photo's file goes once the change commits; only admins may change
them, and patients see the photo on the doctor's card and profile."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from sqlmodel import Session, select

from healthcareplus.core.errors import Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import AuditEvent, Doctor, Role, User
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog import doctor_photos as photos
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from tests.factories import create_doctor, create_user, local

NOW = local(date(2030, 1, 7), "09:00")
STORED_URL = re.compile(r"/_upload/doctors/[0-9a-f]{32}\.jpg")
RED, GREEN, BLUE = (220, 20, 20), (20, 200, 20), (20, 20, 220)
ORIENTATION, MAKE, GPS_INFO = 0x0112, 0x010F, 0x8825


def stripes(size: tuple[int, int], colours: tuple[tuple[int, int, int], ...]) -> Image.Image:
    """An image of vertical stripes of equal width, left to right."""
    image = Image.new("RGB", size)
    width = size[0] // len(colours)
    for i, colour in enumerate(colours):
        image.paste(colour, (i * width, 0, (i + 1) * width, size[1]))
    return image


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def camera_jpeg(image: Image.Image, orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: EXIF (camera, GPS position, orientation), an ICC
    profile and a comment."""
    exif = Image.Exif()
    exif[MAKE] = "PhoneCam"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_INFO).update({1: "N", 2: (12.0, 58.0, 20.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(image, "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=b"at home")


def close_to(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Meera Iyer")


@pytest.fixture
def doctor(session: Session) -> Doctor:
    return create_doctor(session, name="Dr. Kavya Menon")


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploaded_files"


def set_photo(session: Session, doctor: Doctor, admin: User, uploads: Path, data: bytes):  # noqa: ANN201
    assert doctor.id is not None and admin.id is not None
    return photos.set_doctor_photo(
        session, doctor_id=doctor.id, data=data, upload_dir=uploads, actor_id=admin.id, now=NOW
    )


def remove_photo(session: Session, doctor: Doctor, admin: User, uploads: Path):  # noqa: ANN201
    assert doctor.id is not None and admin.id is not None
    return photos.remove_doctor_photo(
        session, doctor_id=doctor.id, upload_dir=uploads, actor_id=admin.id, now=NOW
    )


def stored(uploads: Path) -> list[Path]:
    folder = uploads / "doctors"
    return sorted(folder.iterdir()) if folder.exists() else []


def file_of(uploads: Path, photo_url: str) -> Path:
    assert STORED_URL.fullmatch(photo_url), photo_url
    return uploads / "doctors" / photo_url.rsplit("/", 1)[-1]


def audit(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


# --- what is stored ---------------------------------------------------------------------


def test_a_camera_jpeg_is_stored_as_its_centre_square_resized_without_metadata(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    upload = camera_jpeg(stripes((900, 300), (GREEN, RED, BLUE)))
    photo = set_photo(session, doctor, admin, uploads, upload)
    session.commit()

    session.refresh(doctor)
    assert doctor.photo_url == photo.photo_url
    path = file_of(uploads, photo.photo_url)
    assert stored(uploads) == [path]
    image = opened(path)
    assert image.format == "JPEG" and image.size == (photos.SIZE, photos.SIZE)
    # Only the middle third (red) is left: the crop is the centre square.
    for xy in [(3, 3), (128, 128), (252, 252), (3, 252)]:
        assert close_to(image.getpixel(xy), RED), xy
    assert len(image.getexif()) == 0
    assert "icc_profile" not in image.info and "comment" not in image.info
    assert b"PhoneCam" not in path.read_bytes() and b"at home" not in path.read_bytes()
    assert path.read_bytes() != upload


def test_a_photo_is_turned_upright_by_its_exif_orientation(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    # Stored sideways (red left, blue right) with "rotate 90° clockwise to view":
    # upright it is red on top, blue below.
    upload = camera_jpeg(stripes((400, 200), (RED, BLUE)), orientation=6)
    photo = set_photo(session, doctor, admin, uploads, upload)
    image = opened(file_of(uploads, photo.photo_url))
    assert close_to(image.getpixel((128, 20)), RED)
    assert close_to(image.getpixel((128, 236)), BLUE)


def test_a_transparent_png_is_stored_square_on_white(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    portrait = Image.new("RGBA", (120, 480), (0, 0, 0, 0))
    portrait.paste((20, 20, 220, 255), (0, 200, 120, 280))  # a blue band across the middle
    photo = set_photo(session, doctor, admin, uploads, encoded(portrait, "PNG"))
    image = opened(file_of(uploads, photo.photo_url))
    assert image.format == "JPEG" and image.size == (photos.SIZE, photos.SIZE)
    assert close_to(image.getpixel((128, 128)), BLUE)
    assert close_to(image.getpixel((128, 5)), (255, 255, 255))


def test_a_webp_is_accepted(session: Session, doctor: Doctor, admin: User, uploads: Path) -> None:
    photo = set_photo(session, doctor, admin, uploads, encoded(stripes((64, 64), (RED,)), "WEBP"))
    image = opened(file_of(uploads, photo.photo_url))
    assert image.size == (photos.SIZE, photos.SIZE) and close_to(image.getpixel((9, 9)), RED)


def test_each_photo_gets_a_new_random_name(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    upload = encoded(stripes((64, 64), (RED,)), "PNG")
    first = set_photo(session, doctor, admin, uploads, upload).photo_url
    second = set_photo(session, doctor, admin, uploads, upload).photo_url
    assert first != second
    assert STORED_URL.fullmatch(first) and STORED_URL.fullmatch(second)


# --- what is refused ---------------------------------------------------------------------


def _gif() -> bytes:
    return encoded(Image.new("RGB", (32, 32), RED), "GIF")


def _truncated_jpeg() -> bytes:
    whole = encoded(stripes((300, 300), (RED, BLUE)), "JPEG")
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"", photos.EMPTY),
        (b"%PDF-1.7 not a photo at all", photos.NOT_AN_IMAGE),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", photos.NOT_AN_IMAGE),
        (_gif(), photos.NOT_AN_IMAGE),
        (_truncated_jpeg(), photos.NOT_AN_IMAGE),
    ],
    ids=["empty", "pdf", "svg", "gif", "truncated-jpeg"],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused_and_nothing_changes(
    session: Session, doctor: Doctor, admin: User, uploads: Path, upload: bytes, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        set_photo(session, doctor, admin, uploads, upload)
    assert refused.value.fields == {"photo": message}
    assert stored(uploads) == []
    session.refresh(doctor)
    assert doctor.photo_url is None
    assert audit(session, "doctor_photo_set") == []


def test_a_file_over_5_mb_is_refused_even_if_it_is_a_good_image(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    good = encoded(stripes((64, 64), (RED,)), "JPEG")
    # Bytes after the end of a JPEG are ignored by decoders: only the size check stops it.
    padded = good + b"\0" * (photos.MAX_BYTES + 1 - len(good))
    with pytest.raises(ValidationFailed) as refused:
        set_photo(session, doctor, admin, uploads, padded)
    assert refused.value.fields == {"photo": photos.TOO_BIG}
    assert stored(uploads) == []
    # Exactly at the limit it is taken.
    assert set_photo(session, doctor, admin, uploads, padded[: photos.MAX_BYTES]).photo_url


def test_an_image_of_too_many_pixels_is_refused_before_decoding(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    flat = encoded(Image.new("1", (8000, 5001)), "PNG")  # a few kB, 40 million pixels
    assert len(flat) < photos.MAX_BYTES
    with pytest.raises(ValidationFailed) as refused:
        set_photo(session, doctor, admin, uploads, flat)
    assert refused.value.fields == {"photo": photos.TOO_LARGE}


# --- replace and remove: the files follow the committed change ---------------------------


def test_replacing_deletes_the_old_file_once_the_change_commits(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    first = set_photo(session, doctor, admin, uploads, camera_jpeg(stripes((90, 90), (RED,))))
    session.commit()
    old = file_of(uploads, first.photo_url)

    second = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (BLUE,)), "PNG"))
    new = file_of(uploads, second.photo_url)
    assert old.exists() and new.exists()  # until the commit, the old photo is still shown
    session.commit()

    assert stored(uploads) == [new]
    session.refresh(doctor)
    assert doctor.photo_url == second.photo_url
    [entry, _] = sorted(audit(session, "doctor_photo_set"), key=lambda e: e.id or 0, reverse=True)
    assert entry.detail == {"photo_url": second.photo_url, "previous": first.photo_url}
    assert entry.entity == "doctor" and entry.entity_id == str(doctor.id)
    assert entry.actor_user_id == admin.id


def test_a_replacement_that_rolls_back_keeps_the_old_photo_and_drops_the_new_file(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    first = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    session.commit()
    old = file_of(uploads, first.photo_url)

    set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (BLUE,)), "PNG"))
    session.rollback()

    assert stored(uploads) == [old]
    session.refresh(doctor)
    assert doctor.photo_url == first.photo_url


def test_removing_goes_back_to_initials_and_deletes_the_file(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    first = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    session.commit()

    removed = remove_photo(session, doctor, admin, uploads)
    session.commit()

    assert removed.photo_url == "" and removed.initials == "KM"
    session.refresh(doctor)
    assert doctor.photo_url is None
    assert stored(uploads) == []
    [entry] = audit(session, "doctor_photo_removed")
    assert entry.detail == {"photo_url": None, "previous": first.photo_url}
    # Removing no photo changes nothing.
    remove_photo(session, doctor, admin, uploads)
    session.commit()
    assert len(audit(session, "doctor_photo_removed")) == 1


@pytest.mark.parametrize(
    "photo_url",
    [
        "https://images.example.com/doctor.jpg",
        "/_upload/doctors/../../healthcareplus.db",
        "/_upload/doctors/report.pdf",
        "/_upload/other/0123456789abcdef0123456789abcdef.jpg",
    ],
)
def test_only_files_this_module_named_are_ever_deleted(
    session: Session, doctor: Doctor, admin: User, uploads: Path, photo_url: str
) -> None:
    keep = uploads / "doctors" / "report.pdf"
    keep.parent.mkdir(parents=True)
    keep.write_bytes(b"%PDF")
    doctor.photo_url = photo_url
    session.add(doctor)
    session.commit()

    assert photos.stored_file(uploads, photo_url) is None
    remove_photo(session, doctor, admin, uploads)
    session.commit()
    assert keep.exists()


def test_a_photo_whose_file_is_gone_can_still_be_replaced_and_removed(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    first = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    session.commit()
    file_of(uploads, first.photo_url).unlink()
    second = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    session.commit()
    assert stored(uploads) == [file_of(uploads, second.photo_url)]
    file_of(uploads, second.photo_url).unlink()
    remove_photo(session, doctor, admin, uploads)
    session.commit()
    assert doctor.photo_url is None


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_only_an_admin_may_set_or_remove_a_photo(
    session: Session, doctor: Doctor, uploads: Path, role: str
) -> None:
    admin = create_user(session, role=Role.ADMIN)
    first = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    session.commit()
    someone = create_user(session, role=role)
    upload = encoded(stripes((90, 90), (BLUE,)), "PNG")
    with pytest.raises(Forbidden):
        set_photo(session, doctor, someone, uploads, upload)
    with pytest.raises(Forbidden):
        remove_photo(session, doctor, someone, uploads)
    session.rollback()
    session.refresh(doctor)
    assert doctor.photo_url == first.photo_url
    assert stored(uploads) == [file_of(uploads, first.photo_url)]


def test_a_blocked_admin_may_not(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    admin.is_blocked = True
    session.add(admin)
    session.commit()
    with pytest.raises(Forbidden):
        set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    assert stored(uploads) == []


@pytest.mark.parametrize("doctor_id", [0, -1, 999_999, "1", None])
def test_an_unknown_doctor_is_not_found_and_no_file_is_written(
    session: Session, doctor: Doctor, admin: User, uploads: Path, doctor_id: object
) -> None:
    assert admin.id is not None
    upload = encoded(stripes((90, 90), (RED,)), "PNG")
    with pytest.raises(NotFound):
        photos.set_doctor_photo(
            session,
            doctor_id=doctor_id,  # type: ignore[arg-type]
            data=upload,
            upload_dir=uploads,
            actor_id=admin.id,
            now=NOW,
        )
    with pytest.raises(NotFound):
        photos.doctor_photo(session, doctor_id=doctor_id)  # type: ignore[arg-type]
    assert stored(uploads) == []


# --- what patients see ----------------------------------------------------------------------


def test_patients_see_the_photo_on_the_card_and_profile_until_it_is_removed(
    session: Session, doctor: Doctor, admin: User, uploads: Path
) -> None:
    assert doctor.id is not None
    photo = set_photo(session, doctor, admin, uploads, encoded(stripes((90, 90), (RED,)), "PNG"))
    session.commit()

    [card] = search_doctors(session, filters=DoctorFilters(q="Kavya"), now=NOW).items
    profile = discovery.get_doctor_profile(session, doctor_id=doctor.id, now=NOW)
    assert card.photo_url == profile.photo_url == photo.photo_url

    remove_photo(session, doctor, admin, uploads)
    session.commit()
    [card] = search_doctors(session, filters=DoctorFilters(q="Kavya"), now=NOW).items
    assert card.photo_url is None and card.initials == "KM"
