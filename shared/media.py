"""The one list of image and TV media types: what an upload may be and what the server serves.

Uploads are judged by their content, not their name: an image must open in Pillow as one of
the listed formats, a video must start like one. Logos are kept in the database
(:class:`UploadedImage`), TV media under generated names in ``<instance>/media``; neither is ever
looked up by a path someone typed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Agency, Site, UploadedImage
from shared.queue.errors import N_, DomainError


@dataclass(frozen=True)
class MediaType:
    mime: str
    label: str
    suffixes: tuple[str, ...]  # the first is the one a stored file gets
    pillow: str = ""  # Pillow's format name, for images


IMAGES = (
    MediaType("image/png", "PNG", (".png",), "PNG"),
    MediaType("image/jpeg", "JPG", (".jpg", ".jpeg"), "JPEG"),
    MediaType("image/webp", "WebP", (".webp",), "WEBP"),
)
VIDEOS = (
    MediaType("video/mp4", "MP4", (".mp4",)),
    MediaType("video/webm", "WebM", (".webm",)),
)
TV_MEDIA = IMAGES + VIDEOS

LOGO_LIMIT = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a photo from a good camera; beyond is a decompression bomb


class UploadRefused(DomainError):
    status = 422
    code = "bad_upload"


def labels(types: tuple[MediaType, ...]) -> str:
    return ", ".join(t.label for t in types)


def accept_attribute(types: tuple[MediaType, ...]) -> str:
    """For ``<input type=file accept=…>``."""
    return ",".join(suffix for t in types for suffix in t.suffixes)


def type_of_name(name: str, types: tuple[MediaType, ...]) -> MediaType | None:
    lowered = name.lower()
    return next((t for t in types if lowered.endswith(t.suffixes)), None)


def type_of_mime(mime: str, types: tuple[MediaType, ...]) -> MediaType | None:
    return next((t for t in types if t.mime == mime), None)


def _video_type(head: bytes) -> MediaType | None:
    if head[4:8] == b"ftyp":  # ISO base media: an MP4's first box
        return VIDEOS[0]
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:  # EBML, doctype webm
        return VIDEOS[1]
    return None


def inspect_image(data: bytes) -> tuple[MediaType, int, int] | None:
    """(type, width, height) when Pillow reads ``data`` as one of the listed images."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = next((t for t in IMAGES if t.pillow == image.format), None)
            width, height = image.size
            image.verify()  # reads the structure (a PNG's chunks and checksums), not just a header
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if found is None or width * height > MAX_PIXELS:
        return None
    return found, width, height


def check_upload(name: str, stream: IO[bytes], types: tuple[MediaType, ...]) -> MediaType:
    """The type of an uploaded file, from its content; UploadRefused (in the user's words) if
    its name or its content is not one of ``types``. The stream is left at its start."""
    kinds = labels(types)
    if not name:
        raise UploadRefused(N_("Choose a file to upload."))
    if type_of_name(name, types) is None:
        raise UploadRefused(N_("Only %(kinds)s files."), kinds=kinds)
    head = stream.read(64)
    stream.seek(0)
    found = _video_type(head) if any(t in VIDEOS for t in types) else None
    if found is None:
        inspected = inspect_image(stream.read())
        stream.seek(0)
        found = inspected[0] if inspected else None
    if found is None or found not in types:
        raise UploadRefused(
            N_("This file is not a real %(kinds)s file (only its name says so)."), kinds=kinds
        )
    return found


def store_image(session: Session, name: str, stream: IO[bytes]) -> UploadedImage:
    """A logo or emblem, checked and kept in the database (every app and process can serve it)."""
    data = stream.read(LOGO_LIMIT + 1)
    if len(data) > LOGO_LIMIT:
        raise UploadRefused(N_("The image is larger than %(mb)s MB."), mb=LOGO_LIMIT // 2**20)
    check_upload(name, io.BytesIO(data), IMAGES)
    kind, width, height = inspect_image(data)
    image = UploadedImage(content_type=kind.mime, data=data, width=width, height=height)
    session.add(image)
    session.flush()
    return image


def servable_image(session: Session, image_id: int | None) -> UploadedImage | None:
    """The image, if it is one of the listed types (whatever a row may hold, nothing else)."""
    image = session.get(UploadedImage, image_id) if image_id is not None else None
    if image is None or type_of_mime(image.content_type, IMAGES) is None:
        return None
    return image


def drop_image_if_unused(session: Session, image_id: int | None) -> None:
    """Delete a replaced logo unless the mall or an agency still shows it."""
    if image_id is None:
        return
    session.flush()
    used = (
        session.execute(select(Site.id).where(Site.logo_image_id == image_id).limit(1)).first()
        or session.execute(
            select(Agency.id).where(Agency.logo_image_id == image_id).limit(1)
        ).first()
    )
    if not used:
        image = session.get(UploadedImage, image_id)
        if image is not None:
            session.delete(image)
