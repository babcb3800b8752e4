"""Checks and cleans an uploaded photo without an imaging library.

Pillow is not a dependency of DXBoard, so the photo is checked by its structure: a JPEG
must be a well-formed chain of segments with a frame header and a scan, a PNG a chain
of chunks with correct checksums, an IHDR header and an IEND end. The file is then
written again without the segments and chunks that carry metadata (EXIF with GPS
position, XMP, IPTC, comments, PNG text and eXIf chunks, trailing data), so nothing but
the picture itself is stored.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput

DEFAULT_MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 50_000_000
JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# APP0 (JFIF) and APP14 (Adobe colour transform) carry no personal data; every other APPn
# segment (EXIF, XMP, ICC, IPTC, maker notes) and COM are dropped.
JPEG_KEEP_APP = {0xE0, 0xEE}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT"}
PNG_KEEP |= {b"pHYs", b"bKGD"}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


class NotAnImage(ValueError):
    pass


def max_photo_bytes() -> int:
    return int(getattr(settings, "DXBOARD_FEEDBACK_MAX_PHOTO_BYTES", DEFAULT_MAX_PHOTO_BYTES))


def clean_photo(data: bytes, *, label: str) -> CleanImage:
    """The photo without metadata, or InvalidInput naming the photo (`label`)."""
    limit = max_photo_bytes()
    if len(data) > limit:
        raise InvalidInput(
            _("Ảnh quá lớn."),
            [
                ErrorDetail(
                    label,
                    _("Ảnh dung lượng %(size)s MB, vượt mức tối đa %(limit)s MB.")
                    % {"size": f"{len(data) / 1048576:.1f}", "limit": f"{limit / 1048576:g}"},
                )
            ],
        )
    try:
        if data.startswith(b"\xff\xd8"):
            image = _clean_jpeg(data)
        elif data.startswith(PNG_SIGNATURE):
            image = _clean_png(data)
        else:
            raise NotAnImage("unknown")
    except (NotAnImage, struct.error, IndexError) as error:
        raise InvalidInput(
            _("Tệp không phải ảnh JPEG hoặc PNG."),
            [ErrorDetail(label, _("Chỉ nhận ảnh JPEG hoặc PNG còn nguyên vẹn."))],
        ) from error
    if image.width * image.height > MAX_PIXELS:
        raise InvalidInput(
            _("Ảnh quá lớn."),
            [ErrorDetail(label, _("Ảnh có quá nhiều điểm ảnh (tối đa 50 triệu)."))],
        )
    return image


def _clean_jpeg(data: bytes) -> CleanImage:
    out = bytearray(b"\xff\xd8")
    pos = 2
    width = height = 0
    while True:
        if data[pos] != 0xFF:
            raise NotAnImage("segment without marker")
        while data[pos] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            raise NotAnImage("no scan before the end")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > len(data):
            raise NotAnImage("segment runs past the end")
        segment = data[pos - 2 : pos + length]
        if marker in JPEG_SOF:
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
        if marker == 0xDA:  # start of scan: the rest is image data up to the end marker
            if not (width and height):
                raise NotAnImage("scan before the frame header")
            end = data.find(b"\xff\xd9", pos + length)
            if end < 0:
                raise NotAnImage("no end marker")
            out += b"\xff\xda" + data[pos : end + 2]
            return CleanImage(bytes(out), "image/jpeg", "jpg", width, height)
        keep = not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in JPEG_KEEP_APP
        if keep:
            out += b"\xff" + bytes([marker]) + segment[2:]
        pos += length


def _clean_png(data: bytes) -> CleanImage:
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    width = height = 0
    first = True
    while True:
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body_end = pos + 8 + length
        if body_end + 4 > len(data):
            raise NotAnImage("chunk runs past the end")
        body = data[pos + 8 : body_end]
        (crc,) = struct.unpack(">I", data[body_end : body_end + 4])
        if zlib.crc32(kind + body) != crc:
            raise NotAnImage("bad checksum")
        if first:
            if kind != b"IHDR" or length != 13:
                raise NotAnImage("no IHDR")
            width, height = struct.unpack(">II", body[:8])
            if not (width and height):
                raise NotAnImage("empty image")
            first = False
        if kind in PNG_KEEP:
            out += data[pos : body_end + 4]
        if kind == b"IEND":
            return CleanImage(bytes(out), "image/png", "png", width, height)
        pos = body_end + 4
