"""Database connections (SQLite, PostgreSQL) and the numbered-migration runner."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any


class StoreError(Exception):
    """A store that cannot be opened or used (message says what to do)."""


def default_db_path() -> Path:
    """The platform's user data directory + ``qawl/qawl.db``."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "qawl" / "qawl.db"


def resolve_url(url: str | os.PathLike[str] | None) -> tuple[str, str]:
    """(dialect, target): ``None`` → ``$QAWL_DB`` → default SQLite file."""
    u = str(url) if url is not None else (os.environ.get("QAWL_DB") or "")
    if not u:
        return "sqlite", str(default_db_path())
    if u.startswith(("postgresql://", "postgres://")):
        return "postgresql", u
    if u.startswith("sqlite:///"):
        return "sqlite", u[len("sqlite:///"):] or ":memory:"
    if u.startswith("sqlite://"):
        return "sqlite", ":memory:"
    return "sqlite", u


class DB:
    """A thin wrapper: ``?`` placeholders on both dialects, dict rows, explicit transactions."""

    def __init__(self, url: str | os.PathLike[str] | None):
        self.dialect, self.target = resolve_url(url)
        self.lock = threading.RLock()
        self._depth = 0
        if self.dialect == "sqlite":
            if self.target != ":memory:":
                Path(self.target).expanduser().parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = sqlite3.connect(str(Path(self.target).expanduser()) if self.target != ":memory:"
                                       else ":memory:", isolation_level=None, check_same_thread=False,
                                       timeout=30)
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA busy_timeout=30000")
            except sqlite3.DatabaseError as e:
                raise StoreError(f"cannot open SQLite database {self.target}: {e}") from e
            self.conn: Any = conn
        else:
            import psycopg
            from psycopg.rows import dict_row

            try:
                self.conn = psycopg.connect(self.target, autocommit=True, row_factory=dict_row)
            except psycopg.Error as e:
                raise StoreError(f"cannot connect to PostgreSQL ({_redact(self.target)}): {e}") from e

    @property
    def is_pg(self) -> bool:
        return self.dialect == "postgresql"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.is_pg else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if os.environ.get("QAWL_STORE_PROFILE"):  # developer aid: time each bulk statement
            import time

            t = time.perf_counter()
            self._executemany(sql, rows)
            print(f"{time.perf_counter() - t:8.3f}s {len(rows):6d} {sql[:70]}", file=sys.stderr)
            return
        self._executemany(sql, rows)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.is_pg:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)
        else:
            self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(sql, params)
        rows = cur.fetchall()
        return rows if self.is_pg else [dict(r) for r in rows]

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        if row is None:
            return None
        return next(iter(row.values())) if self.is_pg else row[0]

    @contextlib.contextmanager
    def tx(self) -> Iterator[None]:
        """One transaction (nested calls join the outer one). Rolled back on any exception."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                if self.is_pg:
                    with self.conn.transaction():
                        yield
                else:
                    self.conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield
                    except BaseException:
                        self.conn.execute("ROLLBACK")
                        raise
                    self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def run_script(self, script: str) -> None:
        if self.is_pg:
            self.conn.execute(script)
            return
        buf = ""
        for line in script.splitlines(keepends=True):
            buf += line
            if buf.strip() and sqlite3.complete_statement(buf):
                self.conn.execute(buf)
                buf = ""
        if buf.strip() and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf.splitlines()):
            self.conn.execute(buf)

    def table_exists(self, name: str) -> bool:
        if self.is_pg:
            return bool(self.scalar("SELECT to_regclass(?) IS NOT NULL", (name,)))
        return self.scalar("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", (name,)) > 0

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()


def _redact(url: str) -> str:
    import re

    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


# -- migrations --------------------------------------------------------------

Hook = Callable[[DB], None]


def migrations(dialect: str) -> list[tuple[int, str, str]]:
    """(version, name, sql) of the packaged migrations for one dialect, in order."""
    base = resources.files("qawl.store") / "migrations" / dialect
    out = []
    for f in base.iterdir():
        if f.name.endswith(".sql") and f.name[:4].isdigit():
            out.append((int(f.name[:4]), f.name, f.read_text(encoding="utf-8")))
    return sorted(out)


def latest_version(dialect: str = "sqlite") -> int:
    return migrations(dialect)[-1][0]


def current_version(db: DB) -> int:
    if not db.table_exists("schema_version"):
        return 0
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0)


def migrate(db: DB, target: int | None = None, hooks: dict[int, Hook] | None = None) -> list[int]:
    """Apply the migrations above the current version (up to ``target``), each in its own transaction.

    A migration's SQL and its Python hook (data backfill) commit together or not at all.
    """
    applied = []
    cur = current_version(db)
    for version, _name, sql in migrations(db.dialect):
        if version <= cur or (target is not None and version > target):
            continue
        with db.tx():
            db.run_script(sql)
            if hooks and version in hooks:
                hooks[version](db)
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                       (version, now_iso()))
        applied.append(version)
    return applied


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
