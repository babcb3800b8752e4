import pytest

from dxboard.errors import InvalidInput
from dxboard.feedback import services
from dxboard.feedback.images import clean_photo
from dxboard.feedback.models import FieldReport, ReportPhoto

from .factories import JPEG_WITH_EXIF, make_report, png_bytes


def test_it_strips_exif_and_gps_from_a_jpeg():
    assert b"Exif" in JPEG_WITH_EXIF and b"DXBoardCam" in JPEG_WITH_EXIF
    image = clean_photo(JPEG_WITH_EXIF, label="Ảnh 1")
    assert image.content_type == "image/jpeg"
    assert (image.width, image.height) == (16, 12)
    assert b"Exif" not in image.content
    assert b"DXBoardCam" not in image.content
    assert image.content.startswith(b"\xff\xd8") and image.content.endswith(b"\xff\xd9")
    assert len(image.content) < len(JPEG_WITH_EXIF)


def test_it_drops_data_appended_after_the_jpeg():
    image = clean_photo(JPEG_WITH_EXIF + b"GPS 10.37,105.43 hidden trailer", label="Ảnh 1")
    assert b"hidden trailer" not in image.content


def test_it_strips_text_chunks_from_a_png():
    image = clean_photo(png_bytes(text=b"GPS 10.37 105.43"), label="Ảnh 1")
    assert image.content_type == "image/png"
    assert (image.width, image.height) == (4, 3)
    assert b"tEXt" not in image.content and b"GPS" not in image.content


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00",
        b"%PDF-1.7 not a picture",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        png_bytes()[:-6],  # truncated
        png_bytes().replace(b"IDAT", b"IDAx"),  # checksum no longer matches
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",  # JPEG header and nothing else
    ],
)
def test_it_refuses_what_is_not_an_intact_jpeg_or_png(data):
    with pytest.raises(InvalidInput) as error:
        clean_photo(data, label="Ảnh 2")
    assert error.value.details[0].path == "Ảnh 2"
    assert "JPEG hoặc PNG" in error.value.details[0].message


def test_it_refuses_an_oversized_photo(settings):
    settings.DXBOARD_FEEDBACK_MAX_PHOTO_BYTES = 500
    with pytest.raises(InvalidInput) as error:
        clean_photo(JPEG_WITH_EXIF, label="Ảnh 1")
    assert "vượt mức tối đa" in error.value.details[0].message


def test_a_report_with_a_bad_photo_saves_nothing(world, settings):
    photos = [("a.jpg", JPEG_WITH_EXIF), ("b.jpg", b"not an image")]
    with pytest.raises(InvalidInput) as error:
        make_report(world, photos=photos)
    assert [d.path for d in error.value.details] == ["Ảnh 2"]
    assert FieldReport.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.jpg"))


def test_more_than_five_photos_are_refused(world):
    with pytest.raises(InvalidInput) as error:
        make_report(world, photos=[("a.jpg", JPEG_WITH_EXIF)] * 6)
    assert "Tối đa 5 ảnh" in str(error.value)
    assert FieldReport.objects.count() == 0


def test_stored_photos_have_no_metadata(world):
    report = make_report(world, photos=[("a.jpg", JPEG_WITH_EXIF), ("b.png", png_bytes(text=b"x"))])
    photos = list(report.photos.all())
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    stored = photos[0].image.open("rb").read()
    assert b"Exif" not in stored and stored.startswith(b"\xff\xd8")
    assert services.MAX_PHOTOS == 5
