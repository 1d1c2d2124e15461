"""HTML to PDF with WeasyPrint, fetching nothing from outside the document.

WeasyPrint's default URL fetcher opens ``file://``, ``http(s)://`` and ``ftp://`` addresses. A
template that prints a company's name, a chart or a label is one escaping mistake away from
``<link rel=attachment href=file:///etc/...>`` (a server file attached to the PDF) or
``<img src=http://10.0.0.1/...>`` (the server made to call an internal address). Every PDF of
Koe is therefore rendered with a fetcher that refuses everything but ``data:`` URLs (the QR
codes and inline images Koe builds itself); a refused resource is skipped and logged by
WeasyPrint, the rest of the page still renders. Fonts do not go through the fetcher: WeasyPrint
asks fontconfig for the installed faces (``font-family``), so every script still renders.
"""

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

ALLOWED_SCHEME = "data:"

# WeasyPrint logs every page at INFO, a refused resource and each SVG presentation property its
# CSS parser does not know (the SVG renderer still draws them) at WARNING: noise in a worker's log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class RefusedURL(ValueError):
    """Raised for any URL but ``data:``; WeasyPrint catches it and skips the resource."""


def _data_only_fetcher() -> Any:
    # WeasyPrint (imported late: Pango and fonts cost a second the other pages need not pay)
    # expects a URLFetcher: it reads ``_fail_on_errors`` from it when a fetch fails.
    from weasyprint.urls import URLFetcher

    class DataOnlyURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> "URLFetcherResponse":
            if not url.strip().lower().startswith(ALLOWED_SCHEME):
                raise RefusedURL(f"Koe PDFs fetch nothing but data: URLs, not {url[:80]!r}")
            return super().fetch(url, headers)

    # The parent's own check too (its scheme parser), and no redirects: data: has none.
    return DataOnlyURLFetcher(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of ``html``. ``base_url`` only resolves relative links; nothing is fetched from it."""
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=base_url, url_fetcher=_data_only_fetcher()).write_pdf())


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string, the rule or the <style> element.

    Every character outside plain letters, digits and spaces is written as a CSS escape
    (``\\3c `` for ``<``), so quotes, backslashes, braces, semicolons and ``</style>`` are inert.
    """
    escaped = "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text)
    return f'"{escaped}"'
