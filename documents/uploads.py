"""Checks of an uploaded CV or photo before anything is stored. The content decides, never
the file's name: a CV must be a readable, unencrypted PDF without scripts or actions (an
employer opens it); a photo must be a JPEG or PNG Pillow can read, and is stored re-encoded
as a small JPEG, which leaves out what the camera wrote into it (EXIF: GPS position, time,
device)."""

import io
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

# Keys whose presence anywhere in a PDF means it can run something when opened.
ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/Launch"})
# Action types refused wherever an action (/A, /OpenAction, /AA) names them.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/Rendition",
                            "/SubmitForm"})
# The raw bytes as a belt: names a parser might not reach (broken cross-references).
RAW_MARKERS = re.compile(rb"/(?:JavaScript|JS|Launch)(?![A-Za-z0-9#])")
# A PDF's objects walked at most (a crafted file must not keep the server busy).
MAX_OBJECTS = 20000

PHOTO_FORMATS = {"JPEG", "PNG"}
PHOTO_MAX_SIDE = 600  # px, longest side as stored
PHOTO_MAX_PIXELS = 40_000_000  # what is opened at all (a 40-megapixel camera picture)


def megabytes(size: int) -> str:
    """A size limit in whole megabytes, as the messages name it."""
    return f"{size / (1024 * 1024):.0f}"


def _read(upload, limit: int, field: str) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError({field: _("The file is larger than %(mb)s MB.")
                               % {"mb": megabytes(limit)}})
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({field: _("The file is larger than %(mb)s MB.")
                               % {"mb": megabytes(limit)}})
    if not content:
        raise ValidationError({field: _("The file is empty.")})
    return content


def _is_active_action(action) -> bool:
    if isinstance(action, IndirectObject):
        action = action.get_object()
    if isinstance(action, ArrayObject):
        return any(_is_active_action(item) for item in action)
    if not isinstance(action, DictionaryObject):
        return False
    if action.get("/S") in ACTIVE_ACTIONS:
        return True
    following = action.get("/Next")
    return following is not None and _is_active_action(following)


def _has_active_content(reader: PdfReader) -> bool:
    """Walks every object reachable from the trailer: a JavaScript name tree, an
    /OpenAction or additional actions (/AA) of documents, pages and annotations, links
    (/A) that run scripts or programs, and any /JS key."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    walked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        walked += 1
        if walked > MAX_OBJECTS:
            return True  # too large to check: refused rather than let through
        if isinstance(obj, DictionaryObject):
            if ACTIVE_KEYS & set(obj.keys()):
                return True
            for key in ("/OpenAction", "/A", "/AA"):
                value = obj.get(key)
                if value is None:
                    continue
                if key == "/AA":
                    value = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(value, DictionaryObject) and any(
                            _is_active_action(v) for v in value.values()):
                        return True
                elif _is_active_action(value):
                    return True
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


def check_cv(upload) -> bytes:
    """The CV's content if it may be stored; else a ValidationError on the field "cv"."""
    content = _read(upload, settings.CV_MAX_BYTES, "cv")
    not_pdf = ValidationError({"cv": _("The file is not a PDF.")})
    if not content.startswith(b"%PDF-"):
        raise not_pdf
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError({"cv": _(
                "The PDF is protected by a password. Please upload it without protection.")})
        if not reader.pages:
            raise not_pdf
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError,
            OSError):
        logger.info("uploaded CV not readable as PDF", exc_info=True)
        raise not_pdf from None
    if active or RAW_MARKERS.search(content):
        raise ValidationError({"cv": _(
            "The PDF contains scripts or actions and is not accepted for security "
            "reasons.")})
    return content


def check_photo(upload) -> ContentFile:
    """The photo re-encoded as JPEG of at most PHOTO_MAX_SIDE px, without the original's
    metadata; else a ValidationError on the field "photo"."""
    content = _read(upload, settings.PHOTO_MAX_BYTES, "photo")
    refused = ValidationError({"photo": _("The file is not a JPEG or PNG picture.")})
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise refused
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError({"photo": _("The picture has too many pixels.")})
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = _upright(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        raise refused from None
    return ContentFile(out.getvalue(), name="photo.jpg")


def _upright(image: Image.Image) -> Image.Image:
    """Turned as the camera said it was held (the orientation goes with the EXIF data)."""
    from PIL import ImageOps

    return ImageOps.exif_transpose(image) or image
