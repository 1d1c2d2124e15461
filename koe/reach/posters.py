"""Posters and flyers: the invite link's QR code, what Koe offers and its privacy promise, as PDF.

One HTML template for both; WeasyPrint lays it out. A poster is one sheet; a flyer is the same
sheet holding four copies to cut (A6 on A4, A5 on A3), so a company prints whichever fits its
notice board or its break room table. Fonts are chosen per language with ``:lang()`` in the
template (Debian's Noto fonts), so that Burmese and Nepali shape correctly and Chinese does not
fall back to the Japanese forms of shared characters.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.languages import LANGUAGES
from koe.core.links import site_link
from koe.core.pdf import html_to_pdf
from koe.reach.models import InviteLink

LANGUAGE_NAMES = dict(LANGUAGES)


@dataclass(frozen=True)
class Sheet:
    width_mm: float
    height_mm: float
    base_pt: float  # the poster's type size: a larger sheet is read from further away


SIZES = {"a4": Sheet(210, 297, 15), "a3": Sheet(297, 420, 21)}
KINDS = ("poster", "flyer")
# What the company page offers, with the column headings of its download table.
DOWNLOADS = [
    ("poster", "a4", gettext_lazy("Poster A4")),
    ("poster", "a3", gettext_lazy("Poster A3")),
    ("flyer", "a4", gettext_lazy("Flyer A4, four A6 copies")),
    ("flyer", "a3", gettext_lazy("Flyer A3, four A5 copies")),
]
FLYER_COPIES = 4  # 2 x 2: each copy is half the sheet's width and height, the next A size down


def join_url(request: HttpRequest, link: InviteLink, language: str) -> str:
    """The landing page's absolute address in ``language``, as printed and encoded in the QR code."""
    with translation.override(language):
        path = reverse("join:landing", args=[link.token])
    return site_link(path) if settings.KOE_SITE_URL else request.build_absolute_uri(path)


def qr_svg(url: str, title: str) -> SafeString:
    # segno's SVG holds only paths and the title we give it (escaped by segno); no scripts.
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", title=title)
    return mark_safe(svg)  # noqa: S308 - generated here from our own URL


def poster_pdf(*, link: InviteLink, kind: str, size: str, language: str, url: str) -> bytes:
    """The PDF of one poster or flyer sheet in ``language`` (a code from config/languages.py).
    The QR code is a ``data:`` URL, the only kind ``html_to_pdf`` fetches."""
    sheet = SIZES[size]
    copies = FLYER_COPIES if kind == "flyer" else 1
    with translation.override(language):
        html = render_to_string("reach/poster.html", _poster_context(link, sheet, copies, language, url))
    return html_to_pdf(html)


def _poster_context(
    link: InviteLink, sheet: Sheet, copies: int, language: str, url: str
) -> dict[str, object]:
    scale = 0.5 if copies > 1 else 1.0
    return {
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "employer": link.employer.name,
        "url": url,
        "qr": segno.make(url, error="m").svg_data_uri(dark="#000", light="#fff"),
        "copies": range(copies),
        "page_width": sheet.width_mm,
        "page_height": sheet.height_mm,
        "copy_width": sheet.width_mm * scale,
        "copy_height": sheet.height_mm * scale,
        "base_pt": sheet.base_pt * scale,
        "qr_title": _("QR code of the Koe invitation"),
    }
