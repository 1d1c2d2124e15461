"""Local HTTP servers that speak the providers' protocols, for tests: no provider is reachable
from the machines Koe is built on, and a test must see exactly what Koe sent."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    json: Any


@dataclass
class FakeProvider:
    """What the server received, and how it answers: ``status``, ``delay`` (seconds) and ``body``
    (None: a translation computed by ``translate``)."""

    translate: Callable[[Any], Any]
    url: str = ""
    received: list[Received] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0
    body: Any = None


def libretranslate_answer(request: Any) -> Any:
    """Each text marked with the target language, as a LibreTranslate server answers a batch."""
    return {"translatedText": [f"[{request['target']}] {text}" for text in request["q"]]}


def deepl_answer(request: Any) -> Any:
    return {
        "translations": [
            {
                "detected_source_language": request.get("source_lang", "VI"),
                "text": f"[{request['target_lang']}] {text}",
            }
            for text in request["text"]
        ]
    }


def _handler(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            sent = json.loads(self.rfile.read(length) or b"null")
            fake.received.append(Received(self.path, dict(self.headers.items()), sent))
            time.sleep(fake.delay)
            answer = fake.body if fake.body is not None else fake.translate(sent)
            payload = json.dumps(answer).encode()
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # Koe gave up waiting (a timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@contextmanager
def fake_provider(translate: Callable[[Any], Any]) -> Iterator[FakeProvider]:
    """A server on 127.0.0.1 and a free port, in a thread, for the length of the block."""
    fake = FakeProvider(translate)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
