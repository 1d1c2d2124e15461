"""Files at the desk: what is accepted, how it is cleaned, and the form field that takes them.

A file is judged by its content, never by its name or the type the browser claims: photos
(JPEG, PNG, WebP, and HEIC when a Pillow plugin for it is installed) and PDFs. A photo is
decoded and re-encoded from its pixels alone, turned upright and shrunk to a size a phone
needs, so no metadata (EXIF, GPS, the camera, the original name) survives. A PDF is drawn page
by page (pdfium) and written again as pictures only, so its metadata, hidden text and active
content are left behind too; one that names scripts, launch actions or embedded files is refused
outright first (``ACTIVE_PDF_NAMES``), as a second line of defence.
"""

import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.functional import lazy
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILES = 5
LONG_SIDE = 4096
JPEG_QUALITY = 85
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
PDF_MAGIC = b"%PDF-"
PDF_DPI = 150  # sharp enough to read a payslip, small enough to keep
MAX_PDF_PAGES = 20
# Names that make a PDF act (run a script, start a program, carry another file). Compressed
# object streams can hide them from this check: the download headers (attachment, nosniff)
# remain the protection for what slips through.
ACTIVE_PDF_NAMES = (b"/JS", b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class Refusal:
    """Why a file is refused, as a message that names the file by its place in the form."""

    TOO_LARGE = _("File %(number)s is too large. Files can be up to %(limit)s MB.")
    NOT_ALLOWED = _("File %(number)s is not a photo or a PDF. Please send a photo (JPEG, PNG) or a PDF.")
    ACTIVE_PDF = _(
        "File %(number)s is a PDF with scripts or other files inside, which the desk cannot open "
        "safely. Please send a photo of the pages instead."
    )
    TOO_MANY_PIXELS = _("File %(number)s is a picture too large to open. Please send a smaller photo.")


class AttachmentRefused(ValueError):
    def __init__(self, reason: Any):
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class CleanFile:
    """A file fit to store: the bytes to keep and what they are."""

    data: bytes
    content_type: str
    extension: str

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")


def max_bytes() -> int:
    return int(settings.KOE_ATTACHMENT_MAX_BYTES)


def clean_upload(file: UploadedFile | Any) -> CleanFile:
    """The file as Koe keeps it, or ``AttachmentRefused`` saying why not."""
    limit = max_bytes()
    if (getattr(file, "size", 0) or 0) > limit:
        raise AttachmentRefused(Refusal.TOO_LARGE)
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefused(Refusal.TOO_LARGE)
    if data.startswith(PDF_MAGIC):
        return _clean_pdf(data)
    return _clean_photo(data)


def _clean_pdf(data: bytes) -> CleanFile:
    # "/J#61vaScript" is "/JavaScript" to a PDF reader: undo such escapes before looking.
    names = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)
    if any(name in names for name in ACTIVE_PDF_NAMES):
        raise AttachmentRefused(Refusal.ACTIVE_PDF)
    return _rasterised(data)


def _rasterised(data: bytes) -> CleanFile:
    """The PDF drawn page by page and written again as pictures only: its metadata (author,
    creator, XMP), hidden text, forms, links, scripts and the EXIF of embedded photos are all
    left behind, as for a photo (PRODUCT rule 3)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise AttachmentRefused(Refusal.NOT_ALLOWED) from error
    try:
        if len(document) > MAX_PDF_PAGES:
            raise AttachmentRefused(Refusal.TOO_LARGE)
        pages = [_page_pixels(document[index]) for index in range(len(document))]
    finally:
        document.close()
    if not pages:
        raise AttachmentRefused(Refusal.NOT_ALLOWED)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=PDF_DPI)
    return CleanFile(out.getvalue(), "application/pdf", "pdf")


def _page_pixels(page: Any) -> Image.Image:
    width, height = page.get_size()
    scale = min(PDF_DPI / 72, LONG_SIDE / max(width, height, 1))
    rendered = page.render(scale=scale).to_pil().convert("RGB")
    return Image.frombytes("RGB", rendered.size, rendered.tobytes())


def _clean_photo(data: bytes) -> CleanFile:
    formats = [name for name in PHOTO_FORMATS if name in Image.OPEN]
    try:
        with warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns; a decompression bomb must be refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as image:
                image.load()
                return _reencode(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AttachmentRefused(Refusal.TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        # Not an image at all, or a truncated or malformed one.
        raise AttachmentRefused(Refusal.NOT_ALLOWED) from error


def _reencode(image: Image.Image) -> CleanFile:
    upright = ImageOps.exif_transpose(image) or image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    upright.thumbnail((LONG_SIDE, LONG_SIDE))
    # A new image from the pixels alone: nothing of the original's info (EXIF, XMP, ICC,
    # comments) can be carried over by a save option's default.
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    if has_alpha:
        pixels.save(out, format="PNG", optimize=True)
        return CleanFile(out.getvalue(), "image/png", "png")
    pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanFile(out.getvalue(), "image/jpeg", "jpg")


def display_name(clean: CleanFile, number: int) -> str:
    """A name that says nothing about the worker: the original may carry their name."""
    return f"{'photo' if clean.is_photo else 'document'}-{number}.{clean.extension}"


# The form field ---------------------------------------------------------------------------------


def _limits_text() -> str:
    return str(HELP_TEXT) % {"count": MAX_FILES, "limit": max_bytes() // (1024 * 1024)}


# Filled in when shown, in the language of the page (the field is built at import time).
HELP_TEXT = _(
    "Up to %(count)s photos (for example of a payslip or a contract) or PDF files, each up to "
    "%(limit)s MB. Details about where and how a photo was taken are removed."
)
_help_text = lazy(_limits_text, str)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``MAX_FILES`` files, each cleaned; the value is a list of ``CleanFile``. Errors name
    a file by its place ("File 2"), never by its name."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos or documents (optional)"))
        kwargs.setdefault("help_text", _help_text())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,image/heic,application/pdf")

    def clean(self, data: Any, initial: Any = None) -> list[CleanFile]:
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Please send no more than %(count)s files at a time."), params={"count": MAX_FILES}
            )
        cleaned, errors = [], []
        for number, file in enumerate(files, start=1):
            try:
                cleaned.append(clean_upload(file))
            except AttachmentRefused as refused:
                params = {"number": number, "limit": max_bytes() // (1024 * 1024)}
                errors.append(forms.ValidationError(refused.reason, params=params))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def download_response(attachment: Any, data: bytes) -> HttpResponse:
    """Always a download under the generic name, never shown inline, never sniffed as HTML."""
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.display_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
