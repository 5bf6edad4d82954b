"""`qawl eval`: report, the 4-line summary, --by-doc, --json, errors."""

from __future__ import annotations

import copy
import json
import re
import resource
import subprocess
import sys

import pytest
from cli_helpers import GOLD_DEV, TEXT, att, gold_doc, pred_doc
from typer.testing import CliRunner

from qawl.cli import app

runner = CliRunner()


def write_jsonl(path, docs):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    g1, g2 = gold_doc("g1"), gold_doc("g2")
    gold = write_jsonl(tmp_path / "gold.jsonl", [g1, g2])
    p1 = copy.deepcopy(g1["attributions"])
    p1[1]["speaker"] = {"span": None, "text": None, "name": "فلاديمير بوتين"}  # wrong speaker
    p1.append(att(TEXT, "indirect", "ارتفع عدد الضحايا", "وبحسب", "مراسل"))  # too short to match: an extra
    p2 = g2["attributions"][:1]  # g2: two missed
    pred = write_jsonl(tmp_path / "pred.jsonl", [pred_doc("g1", TEXT, p1), pred_doc("g2", TEXT, p2)])
    return gold, pred


SUMMARY = [
    r"content P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3}",
    r"speaker accuracy=\d\.\d{3} \(\d+/\d+ matched\)",
    r"who-said-what P=\d\.\d{3} R=\d\.\d{3} F1=\d\.\d{3}",
    r"cue F1=\d\.\d{3} \(cues alone F1=\d\.\d{3}\)",
]


def test_report_and_last_four_lines(files):
    gold, pred = files
    r = runner.invoke(app, ["eval", str(gold), "--pred", str(pred)])
    assert r.exit_code == 0, r.output
    last = r.stdout.rstrip("\n").splitlines()[-4:]
    for line, pat in zip(last, SUMMARY, strict=True):
        assert re.fullmatch(pat, line), line
    # 4 content matches of 5 predictions and 6 gold; 3 of the 4 with the right speaker.
    assert last[0] == "content P=0.800 R=0.667 F1=0.727"
    assert last[1] == "speaker accuracy=0.750 (3/4 matched)"
    assert last[2] == "who-said-what P=0.600 R=0.500 F1=0.545"
    for s in ("content", "who-said-what", "by kind", "direct", "according", "speaker"):
        assert s in r.stdout


def test_by_doc_lists_missed_wrong_and_extras(files):
    gold, pred = files
    r = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "--by-doc"])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "g1: gold 3, pred 4, matched 3" in out
    assert "g2: gold 3, pred 1, matched 1" in out
    assert re.search(r"speaker gold=دونالد ترامب pred=فلاديمير بوتين · «أنه سيلتقي", out)
    assert re.search(r"extra +\[indirect\] مراسل · وبحسب · «ارتفع عدد الضحايا»", out)
    assert out.count("missed") == 2 and "«ارتفع عدد الضحايا إلى عشرين" in out
    assert re.fullmatch(SUMMARY[3], out.rstrip("\n").splitlines()[-1])


def test_json_report(files):
    gold, pred = files
    r = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "--json", "--by-doc"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["docs"] == 2
    assert d["content"] == {"tp": 4, "n_pred": 5, "n_gold": 6, "precision": 0.8, "recall": 0.6667, "f1": 0.7273}
    assert d["speaker_accuracy"]["value"] == 0.75
    assert d["recall_by_kind"]["according"] == {"hit": 1, "total": 2, "value": 0.5}
    assert [x["id"] for x in d["by_doc"]] == ["g1", "g2"]
    assert len(d["by_doc"][0]["wrong_speaker"]) == 1


def test_missing_prediction_warns_and_counts_as_empty(tmp_path, files):
    gold, _ = files
    pred = write_jsonl(tmp_path / "only1.jsonl", [pred_doc("g1", TEXT, gold_doc("g1")["attributions"])])
    r = runner.invoke(app, ["eval", str(gold), "--pred", str(pred)])
    assert r.exit_code == 0
    assert "1 gold documents have no prediction" in r.stdout
    assert r.stdout.splitlines()[-4] == "content P=1.000 R=0.500 F1=0.667"


def test_runs_extractor_without_pred(files):
    gold, _ = files
    r = runner.invoke(app, ["eval", str(gold), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["content"]["n_gold"] == 6 and d["predictions"].startswith("qawl.extract")
    assert d["content"]["tp"] <= d["content"]["n_pred"]


@pytest.mark.parametrize("which", ["gold", "pred"])
def test_bad_files_exit_3(tmp_path, files, which):
    gold, pred = files
    bad = tmp_path / "bad.jsonl"
    bad.write_text(gold.read_text(encoding="utf-8") + "{oops\n", encoding="utf-8")
    args = [str(bad), "--pred", str(pred)] if which == "gold" else [str(gold), "--pred", str(bad)]
    r = runner.invoke(app, ["eval", *args])
    assert r.exit_code == 3 and "bad.jsonl: line 3: invalid JSON" in r.stderr
    r = runner.invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert r.exit_code == 3 and "nope.jsonl: no such file" in r.stderr


def test_duplicate_gold_id_and_pred_without_id(tmp_path):
    g = write_jsonl(tmp_path / "g.jsonl", [gold_doc("a"), gold_doc("a")])
    r = runner.invoke(app, ["eval", str(g)])
    assert r.exit_code == 3 and "duplicate gold id 'a'" in r.stderr
    g = write_jsonl(tmp_path / "g.jsonl", [gold_doc("a")])
    p = write_jsonl(tmp_path / "p.jsonl", [{"text": TEXT, "attributions": []}])
    r = runner.invoke(app, ["eval", str(g), "--pred", str(p)])
    assert r.exit_code == 3 and "no `id`" in r.stderr


def test_dev_gold_fast_with_real_entry_point():
    # The whole harness on the 40 dev articles, through the real entry point, well under 40 s.
    # CPU time of the child, not wall time: the shared 2-core machine is often loaded by other suites.
    if not GOLD_DEV.exists():
        pytest.fail(f"gold not found at {GOLD_DEV}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([sys.executable, "-m", "qawl.cli", "eval", str(GOLD_DEV)], capture_output=True,
                       timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert r.returncode == 0, r.stderr.decode()
    last = r.stdout.decode().rstrip("\n").splitlines()[-4:]
    for line, pat in zip(last, SUMMARY, strict=True):
        assert re.fullmatch(pat, line), line
    assert elapsed < 40


def test_malformed_prediction_is_an_input_error_not_a_traceback(tmp_path):
    g = write_jsonl(tmp_path / "g.jsonl", [gold_doc("a")])
    p = write_jsonl(tmp_path / "p.jsonl", [{"id": "a", "text": TEXT, "attributions": ["not an object"]}])
    r = runner.invoke(app, ["eval", str(g), "--pred", str(p)])
    assert r.exit_code == 3 and "list of objects" in r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)
    # A prediction whose spans are malformed is scored as predicting nothing there.
    p = write_jsonl(tmp_path / "p.jsonl", [{"id": "a", "text": TEXT, "attributions": [
        {"kind": "direct", "content": {"span": "x"}, "cue": None, "speaker": None}]}])
    r = runner.invoke(app, ["eval", str(g), "--pred", str(p)])
    assert r.exit_code == 0 and r.stdout.splitlines()[-4] == "content P=0.000 R=0.000 F1=0.000"
