"""The `qawl batch` and `qawl load` commands end to end against the test cluster's scheduler."""

from __future__ import annotations

import gzip

import orjson
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from qawl.cli import app

pytestmark = pytest.mark.timeout(150)


def flat(r) -> str:
    """Command output with Rich's line wrapping undone."""
    return " ".join(r.output.split())


def test_batch_and_load_commands(client, docs, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(2):
        with gzip.open(src / f"day-{i}.jsonl.gz", "wb") as fh:
            for d in docs[i * 3:(i + 1) * 3]:
                fh.write(orjson.dumps(d) + b"\n")
    (src / "bad.jsonl").write_bytes(b'{"id": "x", "text": "\xd9\x82\xd8\xa7\xd9\x84"\n')  # one torn record
    out = tmp_path / "out"
    runner = CliRunner(env={"COLUMNS": "400"})
    r = runner.invoke(app, ["batch", str(src / "*.jsonl*"), "-o", str(out), "--scheduler", client.scheduler.address])
    assert r.exit_code == 0, flat(r)
    assert "dashboard" in flat(r) and "6 articles" in flat(r) and "1 dead-lettered" in flat(r)
    for name in ("articles", "speakers", "statement_speakers", "provenance"):
        assert (out / name).is_dir(), name
    assert ds.dataset(str(out / "articles"), format="parquet").count_rows() == 6
    assert len((out / "manifest.jsonl").read_bytes().splitlines()) == 3

    r = runner.invoke(app, ["batch", str(src), "-o", str(out), "--scheduler", client.scheduler.address,
                            "--no-cross"])
    assert r.exit_code == 0 and "3 already finished" in flat(r), flat(r)

    db = tmp_path / "s.db"
    r = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert r.exit_code == 0 and "'added': 6" in flat(r), flat(r)
    r = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert r.exit_code == 0 and "'added': 0" in flat(r) and "'unchanged': 6" in flat(r), flat(r)


def test_bad_arguments_name_the_input(tmp_path):
    runner = CliRunner(env={"COLUMNS": "400"})
    r = runner.invoke(app, ["batch", str(tmp_path / "missing-*.jsonl.gz"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "missing-*.jsonl.gz" in flat(r) and "no file matches" in flat(r)
    (tmp_path / "notes.txt").write_text("x")
    r = runner.invoke(app, ["batch", str(tmp_path / "notes.txt"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "notes.txt" in flat(r) and "not a shard" in flat(r)
    r = runner.invoke(app, ["load", str(tmp_path / "nothing"), "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 2 and "no articles/ directory" in flat(r)
