"""Fixtures for the web tests: a store in a temp dir, a live uvicorn server, a chromium browser."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from web_fixtures import annotated
from web_hostile import hostile_extraction

from qawl.store import open_store
from qawl.web.app import create_app
from qawl.web.cli import sample_articles

TOKEN = "test-token-0123456789abcdef"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with hand-annotated articles, a hostile article and the 30 demo articles."""
    path = str(tmp_path_factory.mktemp("webstore") / "web.db")
    st = open_store(path)
    try:
        hostile = hostile_extraction()
        meta = {k: hostile[k] for k in ("id", "title", "url", "outlet", "published", "lang")}
        summary = st.add_extracted([*annotated(), (meta, hostile)])
        assert summary["added"] == 4, summary
        summary = st.ingest(sample_articles())
        assert summary["failed"] == 0, summary
    finally:
        st.close()
    return path


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


@pytest.fixture(scope="session")
def live(store_path: str) -> Iterator[LiveServer]:
    with LiveServer(create_app(store_path, token=TOKEN)) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")  # type: ignore[attr-defined]
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # Console errors include CSP violations (an inline script or style that was blocked); HTTP error
    # statuses that a test provokes on purpose are not JavaScript errors.
    pg.on("console", lambda m: errors.append(m.text)
          if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()
