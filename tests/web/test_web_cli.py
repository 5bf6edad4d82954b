"""`qawl demo --no-serve` (bundled samples, idempotent) and `qawl serve` as a real process."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner
from web_support import free_port

from qawl.cli import app
from qawl.store import open_store
from qawl.web.cli import sample_articles

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "qawl" / "data" / "samples"
GOLD = Path(__file__).resolve().parents[3] / "shared" / "gold" / "dev.jsonl"


def test_samples_are_credited_saudinewsnet_and_not_gold() -> None:
    docs = sample_articles()
    assert 25 <= len(docs) <= 40
    assert all(d["id"].startswith("saudinewsnet-") and d["text"] and d["outlet"] for d in docs)
    assert len({d["id"] for d in docs}) == len(docs)
    credits = (SAMPLES / "CREDITS.md").read_text()
    assert "SaudiNewsNet (inparallel/SaudiNewsNet), CC BY-NC-SA 4.0, articles © their newspapers" in credits
    if GOLD.exists():  # the evaluation set must not leak into the demo
        import json

        gold = {json.loads(line)["id"] for line in GOLD.read_text().splitlines() if line.strip()}
        assert gold.isdisjoint(d["id"] for d in docs)


def test_demo_ingests_once(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    runner = CliRunner()
    r = runner.invoke(app, ["demo", "--no-serve", "--db", db])
    assert r.exit_code == 0, r.output
    assert "30 sample articles" in r.output and "30 new" in r.output and db in r.output
    r = runner.invoke(app, ["demo", "--no-serve", "--db", db])
    assert r.exit_code == 0 and "0 new" in r.output
    with open_store(db) as st:
        assert st.stats()["articles"] == 30


def test_demo_upgrades_a_store_made_by_an_older_qawl(tmp_path: Path) -> None:
    from qawl.store.core import HOOKS
    from qawl.store.db import DB, current_version, latest_version, migrate

    db = str(tmp_path / "demo.db")
    conn = DB(db)
    migrate(conn, target=2, hooks=HOOKS)  # the schema an earlier qawl created
    assert current_version(conn) == 2
    conn.close()
    r = CliRunner().invoke(app, ["demo", "--no-serve", "--db", db])
    assert r.exit_code == 0, r.output
    assert "upgraded the demo store's schema 2 →" in r.output and "30 new" in r.output
    conn = DB(db)
    assert current_version(conn) == latest_version(conn.dialect)
    conn.close()


def test_demo_under_ci_checks_the_app_and_exits(tmp_path: Path, monkeypatch) -> None:
    """The README's first command ends in `qawl demo`; under CI=true it must check the app and return."""
    monkeypatch.setenv("CI", "true")
    db = str(tmp_path / "demo.db")
    port = free_port()
    r = CliRunner().invoke(app, ["demo", "--db", db, "--port", str(port)])
    assert r.exit_code == 0, r.output
    assert f"the app answers at http://127.0.0.1:{port}/" in r.output
    with socket.socket() as s:  # and nothing is left listening
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_serve_process_read_only(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "QAWL_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-c", "from qawl.cli import main; main()", "serve", "--db",
                             str(tmp_path / "s.db"), "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.time() < deadline, "server did not start"
            time.sleep(0.2)
        assert 'dir="rtl"' in httpx.get(url + "/").text
        r = httpx.post(f"{url}/api/ingest", json={"documents": [{"text": "قال الوزير"}]},
                       headers={"Authorization": "Bearer guess"})
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in out and "read-only" in out


def _workers(pid: int) -> list[int]:
    """Worker processes of a `qawl serve` (multiprocessing children, not its resource tracker)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for k in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes():
                        out.append(int(k))
    return out


def _established_per_process(pids: list[int], port: int) -> dict[int, int]:
    """Server-side ESTABLISHED sockets on ``port`` held by each process (Linux /proc)."""
    inodes: dict[str, int] = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[target[8:-1]] = pid
    counts = dict.fromkeys(pids, 0)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "01" and int(f[1].rsplit(":", 1)[1], 16) == port and f[9] in inodes:
                counts[inodes[f[9]]] += 1
    return counts


def test_serve_workers_share_connections_and_stop(tmp_path: Path) -> None:
    """`qawl serve --workers 2`: each worker listens on its own SO_REUSEPORT socket, so connections
    opened at once are spread over both (uvicorn's shared socket let one worker take them all);
    a second server on the same port is refused; a dead worker is replaced; SIGTERM stops every process."""
    from qawl.web import workers

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "QAWL_TOKEN"}
    cmd = [sys.executable, "-c", "from qawl.cli import main; main()", "serve", "--db", str(tmp_path / "s.db"),
           "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    clients: list[httpx.Client] = []
    try:
        deadline = time.time() + 60
        while len(_workers(proc.pid)) < 2 or not _answers(port):
            assert proc.poll() is None and time.time() < deadline, "server did not start"
            time.sleep(0.2)
        kids = _workers(proc.pid)
        started = time.time()
        assert len(kids) == 2
        for _ in range(24):  # keep-alive connections, all opened before any is closed
            c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
            assert c.get("/healthz").json() == {"ok": True}
            clients.append(c)
        if workers.supported():
            counts = _established_per_process(kids, port)
            assert sum(counts.values()) == 24, counts
            assert min(counts.values()) >= 3, counts  # 24 on one worker would be a 1-in-8-million hash draw
        other = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert other.returncode == 1 and "cannot listen" in other.stderr + other.stdout
        assert clients[0].get("/").status_code == 200  # the first server is unharmed
        # A worker that dies (past its startup) is replaced.
        time.sleep(max(0.0, workers.EARLY_EXIT + 0.5 - (time.time() - started)))
        os.kill(kids[0], signal.SIGKILL)
        deadline = time.time() + 60
        while True:
            now = _workers(proc.pid)
            if len(now) == 2 and kids[0] not in now and _answers(port):
                break
            assert proc.poll() is None and time.time() < deadline, "the dead worker was not replaced"
            time.sleep(0.2)
        kids = now + [kids[0]]
    finally:
        for c in clients:
            c.close()
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    for pid in kids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_server_processes_freeze_the_gc(tmp_path: Path) -> None:
    """A server's startup moves what is loaded out of the collector's reach (no long full-GC pauses)."""
    import gc
    import warnings

    from qawl.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    assert gc.get_freeze_count() == 0
    try:
        with TestClient(create_app(str(tmp_path / "g.db"), freeze_gc=True)) as c:
            assert gc.get_freeze_count() > 10_000  # framework, templates, the app itself
            assert c.get("/healthz").json() == {"ok": True}
    finally:
        gc.unfreeze()
    with TestClient(create_app(str(tmp_path / "g.db"))) as c:  # tests and embedders: left alone
        assert c.get("/healthz").status_code == 200
        assert gc.get_freeze_count() == 0
