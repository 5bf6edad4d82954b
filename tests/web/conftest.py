"""Fixtures for the web tests: a store in a temp dir, a live uvicorn server, a chromium browser."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from web_fixtures import annotated
from web_hostile import hostile_extraction
from web_support import CHROMIUM, CHROMIUM_ARGS, TOKEN, LiveServer

from qawl.store import open_store
from qawl.web.app import create_app
from qawl.web.cli import sample_articles


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
