"""Helpers shared by the web tests (a module name of its own: `conftest` is ambiguous across test dirs)."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

TOKEN = "test-token-0123456789abcdef"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The browser tests save what they saw here; the images in docs/ change only when asked:
# QAWL_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/web/test_web_browser.py
SCREENSHOTS = Path(os.environ.get("QAWL_SCREENSHOTS") or Path(tempfile.gettempdir()) / "qawl-screenshots")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
