"""Test support for the readers: a real HTTP server on 127.0.0.1 (port 0) whose routes each test
programs, recording every request. (Not named conftest: test modules import it by name.)"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).parent

FIXTURES = HERE / "fixtures"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (slow server)
    delays: list[float] | None = None  # per-request delays, consumed in order; then `delay`
    statuses: list[int] | None = None  # per-request statuses, consumed in order; then `status`
    etag: bool = False  # send an ETag and answer 304 to a matching If-None-Match


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], Route]] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 — http.server's naming
                with server._lock:
                    server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                time.monotonic()))
                    route = server.routes.get(self.path)
                    if callable(route):
                        route = route(self)
                    delay = status = None
                    if route is not None:
                        delay = route.delays.pop(0) if route.delays else route.delay
                        status = route.statuses.pop(0) if route.statuses else route.status
                if route is None:
                    body = b"<html><body><h1>404 Not Found</h1></body></html>"
                    self._send(404, {"Content-Type": "text/html"}, body)
                    return
                if delay:
                    time.sleep(delay)
                headers = {"Content-Type": route.content_type, **route.headers}
                if route.etag and status == 200:
                    tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                    headers["ETag"] = tag
                    if self.headers.get("If-None-Match") == tag:
                        self._send(304, {"ETag": tag}, b"")
                        return
                self._send(status or 200, headers, route.body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if body and status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                import sys

                if not isinstance(sys.exc_info()[1], ConnectionError):  # clients that time out hang up on us
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
