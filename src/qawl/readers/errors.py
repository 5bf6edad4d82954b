"""Errors raised by the readers; every message names the input it is about."""

from __future__ import annotations


class ReaderError(ValueError):
    """An input (file, URL, record) that cannot be read into a document."""


class FetchError(ReaderError):
    """A URL that could not be fetched (HTTP error, network failure, too large, not HTML)."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None, transient: bool = False):
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient  # worth retrying on a later poll


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids our user agent from fetching the URL."""
