"""The statement store: SQLite (default) or PostgreSQL. See docs/store.md.

    from qawl.store import open_store
    with open_store("qawl.db") as store:
        store.ingest(docs)
        store.search("الحكومة", speaker="ويتكوف")
"""

from __future__ import annotations

from qawl.identity import Aliases
from qawl.store.core import Store
from qawl.store.db import StoreError, default_db_path, latest_version, resolve_url


def open_store(url: str | None = None, *, aliases: Aliases | str | None = None) -> Store:
    """Open (creating if new) a store: ``None`` → ``$QAWL_DB`` → SQLite file in the user data dir;
    ``path.db`` / ``sqlite:///path`` / ``postgresql://…``. ``aliases``: an alias file path or
    :class:`~qawl.identity.Aliases` (default ``$QAWL_ALIASES``)."""
    return Store(url, aliases=aliases)


__all__ = ["open_store", "Store", "StoreError", "default_db_path", "latest_version", "resolve_url"]
