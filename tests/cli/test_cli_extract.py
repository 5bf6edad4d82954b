"""`qawl extract`: outputs, bad input, exit codes, atomic -o, the view."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from cli_helpers import TEXT, corpus_lines
from typer.testing import CliRunner

from qawl.cli import app

runner = CliRunner()


def run(*args: str, input: bytes | str | None = None):
    return runner.invoke(app, ["extract", *args], input=input)


def check_qawl1(doc: dict) -> None:
    """Structure of one qawl/1 document, whatever the extractor found."""
    assert doc["schema"] == "qawl/1"
    text = doc["text"]
    ids = [a["id"] for a in doc["attributions"]]
    assert len(ids) == len(set(ids))
    ents = {e["id"] for e in doc["entities"]}
    for a in doc["attributions"]:
        assert a["kind"] in ("direct", "indirect", "mixed", "according")
        for part in ("content", "cue", "speaker", "addressee", "channel", "source", "time"):
            p = a.get(part)
            if p and p.get("span"):
                s, e = p["span"]
                assert 0 <= s <= e <= len(text)
                assert text[s:e] == p["text"], (part, p)
        if a["speaker"].get("entity"):
            assert a["speaker"]["entity"] in ents
    for c in doc["captions"]:
        assert 0 <= c["span"][0] <= c["span"][1] <= len(text)


@pytest.fixture
def article(tmp_path) -> Path:
    p = tmp_path / "khabar.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def test_txt_gives_one_object(article):
    r = run(str(article), "--published", "2025-11-27")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["id"] == "khabar" and doc["text"] == TEXT and doc["published"] == "2025-11-27"
    assert r.stdout.count("\n") == 1  # compact: one line
    check_qawl1(doc)


def test_pretty_and_id_and_lang(article):
    r = run(str(article), "--pretty", "--id", "my-id", "--lang", "ar")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("{\n  ")
    doc = json.loads(r.stdout)
    assert doc["id"] == "my-id" and doc["lang"] == "ar"


def test_jsonl_flag_on_txt_gives_one_line(article):
    r = run(str(article), "--jsonl")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == "khabar"


@pytest.mark.parametrize("bad", ["2025-13-01", "27/11/2025", "2025-02-30", "yesterday"])
def test_published_is_validated(article, bad):
    r = run(str(article), "--published", bad)
    assert r.exit_code == 2
    assert "--published" in r.output and "Traceback" not in r.output


def test_jsonl_round_trip_real_corpus(tmp_path):
    lines = corpus_lines(6)
    raw = [orjson.loads(x) for x in lines]
    src = tmp_path / "batch.jsonl.gz"
    src.write_bytes(gzip.compress(b"".join(lines)))
    out = tmp_path / "out.jsonl"
    r = run(str(src), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in docs] == [x["id"] for x in raw]
    for d, x in zip(docs, raw, strict=True):
        assert d["text"] == x["text"]
        assert d["published"] == x.get("date") and d["outlet"] == x.get("source")
        assert d["title"] == x["title"] and d["url"] == x["url"]
        check_qawl1(d)
    # The same through stdin, and the view's count line agrees with the JSON.
    r2 = run("-", input=b"".join(lines))
    assert r2.exit_code == 0
    assert [json.loads(x)["id"] for x in r2.stdout.splitlines()] == [x["id"] for x in raw]
    r3 = run(str(out.with_name("batch.jsonl.gz")), "--view")
    n_atts = sum(len(d["attributions"]) for d in docs)
    assert r3.exit_code == 0
    assert f"6 documents, {n_atts} attributions" in r3.stdout


def test_output_gz_and_dash(tmp_path, article):
    out = tmp_path / "o.jsonl.gz"
    assert run(str(article), "--jsonl", "-o", str(out)).exit_code == 0
    assert json.loads(gzip.decompress(out.read_bytes()))["id"] == "khabar"
    r = run(str(article), "-o", "-")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == "khabar"


def test_view_table(tmp_path, article):
    r = run(str(article), "--view")
    assert r.exit_code == 0, r.output
    assert "khabar" in r.stdout and "attribution" in r.stdout
    assert not r.stdout.lstrip().startswith("{")
    # --view with -o: the table on stdout, the JSON in the file
    out = tmp_path / "v.json"
    r = run(str(article), "--view", "-o", str(out), "--bidi")
    assert r.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "khabar"


def test_view_renders_attributions(monkeypatch):
    # The table itself, on a hand-made qawl/1 dict (not the extractor's current output).
    from rich.console import Console

    from qawl.commands.extract_cmd import render_view, visual_rtl

    doc = {"id": "d1", "attributions": [{
        "kind": "direct", "content": {"text": "المحادثات [تسير] بشكل جيد"}, "cue": {"text": "وقال"},
        "speaker": {"text": "ترامب", "name": "دونالد ترامب"}, "addressee": {"text": "للصحفيين"},
        "channel": None, "time": {"text": "الأربعاء", "value": "2025-11-26"}}]}
    console = Console(record=True, width=140)
    render_view(console, doc)
    out = console.export_text()
    for s in ("d1 — 1 attribution", "دونالد ترامب", "وقال", "direct", "[تسير]", "addressee", "للصحفيين",
              "2025-11-26"):
        assert s in out, s
    assert "channel" not in out
    assert visual_rtl("قال (ترامب) 2025") == "2025 (بمارت) لاق"


def test_missing_file_exit_3():
    r = run("/nonexistent/dir/article.txt")
    assert r.exit_code == 3
    assert "article.txt" in r.stderr and "no such file" in r.stderr and "Traceback" not in r.output


def test_directory_exit_3(tmp_path):
    r = run(str(tmp_path))
    assert r.exit_code == 3 and "is a directory" in r.stderr


def test_binary_exit_3(tmp_path):
    p = tmp_path / "photo.txt"
    p.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    r = run(str(p))
    assert r.exit_code == 3 and "photo.txt" in r.stderr and "binary" in r.stderr


def test_windows_1256_txt_is_decoded(tmp_path):
    p = tmp_path / "old.txt"
    p.write_bytes(TEXT.encode("cp1256"))
    r = run(str(p))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["text"] == TEXT
    assert "cp1256" in r.stderr


def test_empty_files(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    r = run(str(p))
    assert r.exit_code == 3 and "empty.txt" in r.stderr and "empty" in r.stderr
    q = tmp_path / "empty.jsonl"
    q.write_bytes(b"")
    r = run(str(q))
    assert r.exit_code == 0 and r.stdout == "" and "no documents" in r.stderr


def _bad_jsonl(tmp_path) -> Path:
    lines = corpus_lines(4)
    p = tmp_path / "bad.jsonl"
    p.write_bytes(lines[0] + lines[1] + b'{"id": "broken", "text": "\xd9\x82\n' + lines[2]
                  + b'{"id": "no-text"}\n' + lines[3])
    return p


def test_invalid_jsonl_line_exit_3_with_line_number(tmp_path):
    p = _bad_jsonl(tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n")
    r = run(str(p), "-o", str(out))
    assert r.exit_code == 3
    assert f"{p}: line 3: invalid JSON" in r.stderr and "Traceback" not in r.output
    # Atomic: the earlier output is untouched and no temp file is left behind.
    assert out.read_text() == "previous results\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["bad.jsonl", "out.jsonl"]


def test_skip_bad_continues_exit_1_and_counts(tmp_path):
    p = _bad_jsonl(tmp_path)
    out = tmp_path / "out.jsonl"
    r = run(str(p), "--skip-bad", "-o", str(out))
    assert r.exit_code == 1, r.output
    assert "line 3" in r.stderr and "line 5" in r.stderr and "no `text`" in r.stderr
    assert "skipped 2 of 6 documents" in r.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_truncated_gz_exit_3_and_nothing_written(tmp_path):
    data = gzip.compress(b"".join(corpus_lines(30, step=13)))
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "out.jsonl"
    r = run(str(p), "--skip-bad", "-o", str(out))
    assert r.exit_code == 3
    assert "cut.jsonl.gz" in r.stderr and "truncated" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [p]


def test_output_errors_exit_4(tmp_path, article):
    r = run(str(article), "-o", str(tmp_path / "no" / "such" / "dir" / "o.json"))
    assert r.exit_code == 4 and "does not exist" in r.stderr
    r = run(str(article), "-o", str(tmp_path))
    assert r.exit_code == 4 and "is a directory" in r.stderr


def test_usage_errors_exit_2(article):
    assert run().exit_code == 2
    assert run(str(article), "--no-such-option").exit_code == 2
    assert run(str(article), "--format", "xml").exit_code == 2
    r = run(str(article), "--jsonl", "--pretty")
    assert r.exit_code == 2


def test_pretty_refused_for_jsonl_input(tmp_path):
    p = tmp_path / "b.jsonl"
    p.write_bytes(b"".join(corpus_lines(2)))
    r = run(str(p), "--pretty")
    assert r.exit_code == 2 and "--pretty" in r.stderr


def test_help_documents_exit_codes():
    r = runner.invoke(app, ["extract", "--help"])
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    for s in ("0 ok", "1 some documents skipped", "2 usage error", "3 input error"):
        assert s in text


def test_extractor_failure_names_the_document(tmp_path, monkeypatch):
    import qawl

    def boom(text, **kw):
        raise RuntimeError("kaput")

    monkeypatch.setattr(qawl, "extract", boom)
    p = tmp_path / "b.jsonl"
    p.write_bytes(b"".join(corpus_lines(2)))
    r = run(str(p))
    assert r.exit_code == 5 and "extractor failed" in r.stderr and "kaput" in r.stderr
    r = run(str(p), "--skip-bad")
    assert r.exit_code == 1 and "skipped 2 of 2" in r.stderr


def test_subprocess_no_traceback_and_stdin(tmp_path):
    # The real entry point, as a user runs it: bad input -> one line on stderr, exit 3.
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    cmd = [sys.executable, "-m", "qawl.cli", "extract"]
    p = _bad_jsonl(tmp_path)
    r = subprocess.run([*cmd, str(p)], capture_output=True, env=env, timeout=60)
    assert r.returncode == 3
    assert b"Traceback" not in r.stderr and b"line 3" in r.stderr
    r = subprocess.run([*cmd, "-"], input=TEXT.encode(), capture_output=True, env=env, timeout=60)
    assert r.returncode == 0
    assert json.loads(r.stdout)["text"] == TEXT


def test_json_list_gives_jsonl_and_published_fills_missing(tmp_path):
    p = tmp_path / "docs.json"
    p.write_text(json.dumps([{"id": "a", "text": TEXT, "date": "2024-05-01"}, {"id": "b", "text": TEXT}],
                            ensure_ascii=False), encoding="utf-8")
    r = run(str(p), "--published", "2025-11-27")
    assert r.exit_code == 0, r.output
    docs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(d["id"], d["published"]) for d in docs] == [("a", "2024-05-01"), ("b", "2025-11-27")]
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "c", "text": TEXT, "outlet": "BBC Arabic"}, ensure_ascii=False),
                   encoding="utf-8")
    r = run(str(one), "--pretty")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["id"] == "c" and d["outlet"] == "BBC Arabic"
    check_qawl1(d)
