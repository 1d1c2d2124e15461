"""PDFs fetch nothing from outside the document: no server file attached, no request made."""

import base64
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from koe.core.pdf import css_string, html_to_pdf

# A one-pixel red PNG.
RED_PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
        "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
    )
).decode()


@contextmanager
def listening_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on a random port: its address, and the paths it was asked for."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"x")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def attachments(pdf: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    return [bytes(document.get_attachment(index).get_data()) for index in range(document.count_attachments())]


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))


def hostile_name(server: str, secret: Path) -> str:
    """The security review's company name (under the 200 characters a name may have): it leaves
    the <style> element of a naive template."""
    return (
        f"Evil</style><img src={server}/s><link rel=attachment href={secret.as_uri()}><h1>FORGED</h1><style>"
    )


def test_a_file_url_is_not_attached_and_an_http_url_is_not_requested(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    with listening_server() as (server, hits):
        pdf = html_to_pdf(
            f"<p>Report</p><link rel=attachment href={secret.as_uri()}>"
            f"<img src={server}/ssrf><link rel=stylesheet href={server}/sheet.css>"
            f'<svg><image href="{server}/svg.png" width="5" height="5"/></svg>'
            f"<style>@import url({server}/import.css); p {{ background: url({server}/bg.png) }}</style>"
        )
    assert pdf.startswith(b"%PDF")
    assert attachments(pdf) == []
    assert hits == []
    assert "Report" in text_of(pdf)


def test_a_relative_url_under_a_base_url_is_not_fetched_either(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("the server's secret")
    pdf = html_to_pdf("<p>x</p><link rel=attachment href=secret.txt>", base_url=tmp_path.as_uri() + "/")
    assert attachments(pdf) == []


def test_a_data_url_image_is_still_drawn() -> None:
    pdf = html_to_pdf(f'<img src="data:image/png;base64,{RED_PIXEL}" style="width: 50mm; height: 50mm">')
    image = pdfium.PdfDocument(pdf)[0].render(scale=0.5).to_pil().convert("RGB")
    red, green, blue = image.getpixel((40, 40))
    assert red > 200 and green < 60 and blue < 60


def test_a_css_string_cannot_end_the_string_the_rule_or_the_style_element() -> None:
    quoted = css_string('Evil"; } </style><script>x</script> \\ さくら')
    assert quoted.count('"') == 2
    assert "</style>" not in quoted and "<" not in quoted and ";" not in quoted and "}" not in quoted
    assert "さくら" in quoted
    pdf = html_to_pdf(f"<style>p::before {{ content: {quoted} }}</style><p></p>")
    assert 'Evil"; } </style><script>x</script> \\ さくら' in text_of(pdf)
