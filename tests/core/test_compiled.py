"""The compiled core (mypyc) gives the same output as its sources, and a stale build is never used."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qawl import compiled

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
if not CORPUS.exists():  # CI lays shared/ beside the clone
    CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")

# Prints the mode, the file the pipeline came from, and a hash of qawl/1 output over corpus articles.
_DIGEST = """
import gzip, hashlib, json, sys
import qawl
from qawl import compiled
h = hashlib.sha256()
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as fh:
    for n, line in enumerate(fh):
        if n >= int(sys.argv[2]):
            break
        d = json.loads(line)
        out = qawl.extract(d["text"], published=d.get("date"), id=d.get("id")).to_dict()
        h.update(json.dumps(out, ensure_ascii=False, sort_keys=True).encode())
print(compiled.MODE, qawl.pipeline.__file__, h.hexdigest(), sep="\\n")
"""


def _run(n: int, **env: str) -> list[str]:
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", _DIGEST, str(CORPUS), str(n)],
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=600, check=True)
    return out.stdout.splitlines()


def _compiled_usable() -> None:
    """Skip (fail under CI) unless the compiled core is built, complete and fresh."""
    reason = compiled.why_source(runtime_found=compiled.importlib.util.find_spec(compiled.RUNTIME) is not None)
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the README install must compile the whole core; here: {reason}")
        pytest.skip(f"compiled core not usable here: {reason}")


def test_ci_install_compiles_the_whole_core():
    _compiled_usable()
    assert compiled.stale() == []
    if not os.environ.get("QAWL_PURE"):
        assert compiled.MODE == "compiled (mypyc)"


def test_compiled_and_source_give_identical_output():
    _compiled_usable()
    mode_c, file_c, digest_c = _run(400, QAWL_PURE="")
    mode_p, file_p, digest_p = _run(400, QAWL_PURE="1")
    assert mode_c == "compiled (mypyc)" and not file_c.endswith(".py")
    assert mode_p == "pure Python (QAWL_PURE=1)" and file_p.endswith("pipeline.py")
    assert digest_c == digest_p


def test_stale_build_is_detected(tmp_path):
    suffix = compiled.importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in ("pipeline", "speaker"):
        (tmp_path / f"{name}{suffix}").write_bytes(b"\0")
        (tmp_path / f"{name}.py").write_text("")
    old = time.time() - 100
    os.utime(tmp_path / f"pipeline{suffix}", (old, old))  # built before its source was edited
    assert set(compiled.built_files(tmp_path)) == {"pipeline", "speaker"}
    assert compiled.stale(tmp_path) == ["pipeline"]
    # the shared runtime holds the compiled code: a failed rebuild leaves an old one behind the new shims
    runtime = tmp_path / "qawl_core__mypyc.so"
    runtime.write_bytes(b"\0")
    os.utime(runtime, (old - 100, old - 100))
    assert compiled.stale(tmp_path, runtime) == ["pipeline", "speaker"]


def test_why_source(tmp_path):
    suffix = compiled.importlib.machinery.EXTENSION_SUFFIXES[0]
    assert compiled.why_source(tmp_path) == "not compiled"
    for name in compiled.CORE:
        (tmp_path / f"{name}.py").write_text("")
    old = time.time() - 100
    for name in compiled.CORE[:-1]:
        (tmp_path / f"{name}{suffix}").write_bytes(b"\0")
    assert compiled.why_source(tmp_path) == "incomplete build"  # one module failed to compile
    (tmp_path / f"{compiled.CORE[-1]}{suffix}").write_bytes(b"\0")
    assert compiled.why_source(tmp_path, runtime_found=False) == "incomplete build"  # no shared library
    assert compiled.why_source(tmp_path, pure_env="1") == "QAWL_PURE=1"
    for name in compiled.CORE:
        os.utime(tmp_path / f"{name}.py", (old, old))
    assert compiled.why_source(tmp_path) is None
    assert compiled.why_source(tmp_path, pure_env="0") is None
    (tmp_path / "speaker.py").write_text("# edited\n")
    assert compiled.why_source(tmp_path) == "sources newer than the build: speaker"


def test_source_finder_loads_only_core_modules(tmp_path):
    (tmp_path / "pipeline.py").write_text("WHERE = 'source'\n")
    finder = compiled._SourceFinder(tmp_path)
    spec = finder.find_spec("qawl.pipeline")
    assert spec is not None and spec.origin == str(tmp_path / "pipeline.py")
    assert finder.find_spec("qawl.cli") is None  # not part of the compiled core
    assert finder.find_spec("other.pipeline") is None


def test_core_list_matches_the_package():
    pkg = Path(compiled.__file__).parent
    for name in compiled.CORE:
        assert (pkg / f"{name}.py").exists(), name
