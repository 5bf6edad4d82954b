"""Fixtures of the readers tests: a local HTTP server per test and corpus articles."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pagegen and readers_support live beside the tests

from readers_support import LocalServer, Route  # noqa: E402


@pytest.fixture
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    s.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def articles() -> list[dict]:
    from pagegen import load_articles

    return load_articles(60)
