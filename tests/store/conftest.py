"""Store test fixtures: every store test runs on SQLite and on a real PostgreSQL server started here.

The server: ``$QAWL_TEST_PG_URL`` if set; otherwise initdb + pg_ctl (PostgreSQL 15 binaries) into a
temporary directory as an unprivileged user (``postgres`` when the tests run as root), on a free
127.0.0.1 port with its socket in that directory; stopped at session end. With ``CI=true`` a missing
PostgreSQL fails the tests instead of skipping them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

PG_BIN_CANDIDATES = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]


def _pg_bin() -> Path | None:
    for c in PG_BIN_CANDIDATES:
        if Path(c, "initdb").exists():
            return Path(c)
    exe = shutil.which("initdb")
    return Path(exe).parent if exe else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable(msg: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL tests must run in CI: {msg}")
    pytest.skip(msg)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    url = os.environ.get("QAWL_TEST_PG_URL")
    if url:
        yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        _unavailable("PostgreSQL binaries (initdb, pg_ctl) not found")
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="qawl-pg-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    prefix: list[str] = []
    if as_root:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            _unavailable("running as root and there is no `postgres` user to run initdb as")
        for p in (base, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        os.chmod(base, 0o755)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-locale", "--no-sync"], check=True, capture_output=True, timeout=120)
        if as_root:
            subprocess.run(["chown", "postgres", str(base)], check=True)
        opts = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections=50")
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(data / "server.log"),
                        "-w", "-t", "60", "start"], check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        out = getattr(e, "stderr", b"") or b""
        logtxt = (data / "server.log").read_text(errors="replace") if (data / "server.log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"could not start PostgreSQL: {e}: {out.decode(errors='replace')} {logtxt}")
    del log
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def _pg_database(admin_url: str) -> Iterator[str]:
    import psycopg

    name = "qawl_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="pg", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / "qawl.db")
        return
    admin = request.getfixturevalue("pg_admin_url")
    with _pg_database(admin) as url:
        yield url


@pytest.fixture
def second_store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another empty database on the same backend (to compare two ways of filling one)."""
    if backend == "sqlite":
        yield str(tmp_path / "qawl-2.db")
        return
    admin = request.getfixturevalue("pg_admin_url")
    with _pg_database(admin) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    from qawl.store import open_store

    s = open_store(store_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(autouse=True)
def _no_env_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QAWL_ALIASES", raising=False)
    monkeypatch.delenv("QAWL_DB", raising=False)


CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")


@pytest.fixture(scope="session")
def corpus_docs() -> list[dict]:
    """The first 300 real articles of the shared corpus (tests may read /work/shared)."""
    import gzip
    import json

    if not CORPUS.exists():
        pytest.skip("shared corpus not available")
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
            if len(out) >= 300:
                break
    return out
