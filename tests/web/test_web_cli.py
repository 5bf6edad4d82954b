"""`qawl demo --no-serve` (bundled samples, idempotent) and `qawl serve` as a real process."""

from __future__ import annotations

import os
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
