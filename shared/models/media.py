"""Uploaded images (the mall's and the agencies' logos), kept in the database and served by id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, UTCDateTime, utcnow


class UploadedImage(Base):
    """An image as uploaded, after shared.media found it to be one of the accepted types.

    Rows are never changed: a new logo is a new row, so its id can be part of a cached URL.
    """

    __tablename__ = "uploaded_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
