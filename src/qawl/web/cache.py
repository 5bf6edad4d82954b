"""A response cache for read-only GET pages and API answers.

The store changes only when something is ingested, so a rendered page stays valid until
then. An entry is reused while (a) it is younger than ``ttl`` seconds and (b) the store's
signature is unchanged: for SQLite the size and modification time of the database file and
its write-ahead log, so an ingest by another process (``qawl ingest``) is seen at once; for
PostgreSQL only the TTL applies. Writing through the app clears the cache.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from qawl.web.security import ASGIApp, Message, Receive, Scope, Send

CACHEABLE_PREFIXES = ("/article/", "/speaker/", "/statement/", "/api/articles", "/api/statements",
                      "/api/speakers", "/api/search", "/api/network", "/api/stats")
CACHEABLE_PATHS = {"/", "/search", "/speakers", "/articles", "/network"}


def sqlite_signature(path: str) -> Callable[[], Any]:
    def sig() -> Any:
        out = []
        for p in (path, path + "-wal"):
            try:
                st = os.stat(p)
                out.append((st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    return sig


class ResponseCache:
    def __init__(self, app: ASGIApp, signature: Callable[[], Any] | None = None, ttl: float = 60.0,
                 max_entries: int = 4000, max_bytes: int = 96_000_000, registry: list | None = None) -> None:
        self.app = app
        if registry is not None:
            registry.append(self)  # so the app can clear it after a write
        self.signature = signature or (lambda: None)
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.data: OrderedDict[Any, tuple[float, Any, int, list, bytes]] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        with self.lock:
            self.data.clear()
            self.bytes = 0

    def _key(self, scope: Scope) -> Any:
        path = scope.get("path", "")
        if scope.get("method") != "GET" or not (path in CACHEABLE_PATHS or path.startswith(CACHEABLE_PREFIXES)):
            return None
        lang = b""
        for k, v in scope.get("headers", []):
            if k == b"cookie" and b"lang=" in v:
                lang = v  # pages depend on the interface language cookie
        return (path, scope.get("query_string", b""), lang)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope) if scope["type"] == "http" else None
        if key is None:
            await self.app(scope, receive, send)
            return
        sig = self.signature()
        now = time.monotonic()
        with self.lock:
            hit = self.data.get(key)
            if hit is not None and (now - hit[0] > self.ttl or hit[1] != sig):
                self._drop(key)
                hit = None
            if hit is not None:
                self.data.move_to_end(key)
                self.hits += 1
        if hit is not None:
            await send({"type": "http.response.start", "status": hit[2], "headers": hit[3]})
            await send({"type": "http.response.body", "body": hit[4]})
            return
        self.misses += 1
        start: Message | None = None
        chunks: list[bytes] = []
        cacheable = True

        async def capture(message: Message) -> None:
            nonlocal start, cacheable
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200 or any(k == b"set-cookie" for k, _ in message.get("headers", [])):
                    cacheable = False
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if not cacheable or start is None:
            return
        body = b"".join(chunks)
        if len(body) > self.max_bytes // 20:
            return
        with self.lock:
            if key in self.data:
                self._drop(key)
            self.data[key] = (now, sig, start["status"], list(start.get("headers", [])), body)
            self.bytes += len(body)
            while self.data and (len(self.data) > self.max_entries or self.bytes > self.max_bytes):
                self._drop(next(iter(self.data)))

    def _drop(self, key: Any) -> None:
        entry = self.data.pop(key, None)
        if entry is not None:
            self.bytes -= len(entry[4])
