"""Extraction speed, memory and scaling on one core.

Prints, for the 5,000-article corpus (default ../shared/corpus/bench.jsonl.gz):
- a bare pass: JSON decode + one compiled regex over each text (the floor any reader pays);
- the full pass: JSON decode + qawl.extract + to_dict;
- articles/s, MB/s (UTF-8 bytes of article text), the ratio full/bare, and peak RSS;
- cost against length: the same article body repeated to 1x, 4x, 16x, 64x, showing time per character;
- with --compare-pure, the full pass again in a child process running the core from source
  (QAWL_PURE=1), pinned to the same core, so the gain of the compiled core is a ratio within one run.

The bare and full passes alternate (bare, full, bare, full …) and the best of each is reported.
On a shared machine the host's speed can change by half between passes seconds apart, so the ratio
is also measured paired: chunk by chunk (50 articles), the full pass of a chunk is timed between two
bare passes of the same articles, and the ratio is the sum of the full times over the sum of the
bare times (the mean of the two around each chunk), with the median and quartiles of the chunk
ratios beside it. A change in the host's speed then moves both sides of each ratio.

Usage: python benchmarks/extract_bench.py [CORPUS] [--limit N] [--repeat R] [--compare-pure]
Run it pinned to one core for the published figures: taskset -c 0 python benchmarks/extract_bench.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "bench.jsonl.gz"


def load_lines(path: Path, limit: int | None) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip()]
    return lines[:limit] if limit else lines


def bare_pass(lines: list[str]) -> float:
    word = re.compile(r"\w+")
    t = time.perf_counter()
    n = 0
    for ln in lines:
        d = json.loads(ln)
        n += sum(1 for _ in word.finditer(d["text"]))
    el = time.perf_counter() - t
    assert n > 0
    return el


def full_pass(lines: list[str]) -> tuple[float, int]:
    from qawl import extract

    t = time.perf_counter()
    n_att = 0
    for ln in lines:
        d = json.loads(ln)
        doc = extract(d["text"], published=d.get("date"), id=d.get("id"))
        n_att += len(doc.to_dict()["attributions"])
    return time.perf_counter() - t, n_att


def paired(lines: list[str], size: int = 50) -> tuple[float, list[float]]:
    """(sum of full times / sum of bare times, the ratio of each chunk), each chunk's full pass timed
    between two bare passes of its articles."""
    full_t = bare_t = 0.0
    ratios = []
    for i in range(0, len(lines), size):
        chunk = lines[i:i + size]
        b1 = bare_pass(chunk)
        f = full_pass(chunk)[0]
        b = (b1 + bare_pass(chunk)) / 2
        full_t += f
        bare_t += b
        ratios.append(f / b)
    return full_t / bare_t, ratios


def scaling(text: str) -> list[tuple[int, float]]:
    from qawl import extract

    out = []
    for k in (1, 4, 16, 64):
        body = "\n".join([text] * k)
        best = min(_timed(extract, body) for _ in range(3))
        out.append((len(body), best))
    return out


def _timed(fn, arg) -> float:
    t = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each pass; the best is reported")
    ap.add_argument("--compare-pure", action="store_true",
                    help="also time the full pass with the core run from source (QAWL_PURE=1)")
    ap.add_argument("--full-only", action="store_true", help=argparse.SUPPRESS)  # the --compare-pure child
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    lines = load_lines(args.corpus, args.limit)
    n = len(lines)
    mb = sum(len(json.loads(ln)["text"].encode("utf-8")) for ln in lines) / 1e6

    from qawl import EXTRACTOR_VERSION, compiled, extract

    extract("وقال الرئيس إن الاجتماع انتهى.")  # load lexicons outside the timing

    if args.full_only:
        print(min(full_pass(lines)[0] for _ in range(args.repeat)))
        return 0
    bares, runs = [], []
    for _ in range(args.repeat):
        bares.append(bare_pass(lines))
        runs.append(full_pass(lines))
    bare = min(bares)
    full = min(r[0] for r in runs)
    n_att = runs[0][1]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"core: {compiled.MODE}  (QAWL_PURE=1 runs it from source)")
    print(f"extractor {EXTRACTOR_VERSION}; corpus {args.corpus.name}: {n} articles, {mb:.1f} MB of text")
    print(f"bare pass (json + one regex): {bare:.2f} s  ({n / bare:,.0f} articles/s)")
    print(f"full pass (json + extract):   {full:.2f} s  ({n / full:,.0f} articles/s, {mb / full:.2f} MB/s)")
    print(f"ratio full/bare, best whole passes: {full / bare:.1f}x")
    total, ratios = paired(lines)
    q = statistics.quantiles(ratios, n=4)
    print(f"ratio full/bare, paired by chunks of 50 articles: {total:.1f}x "
          f"(chunk median {q[1]:.1f}x, quartiles {q[0]:.1f}–{q[2]:.1f}x, {len(ratios)} chunks)")
    print(f"attributions: {n_att} ({n_att / n:.2f} per article)")
    print(f"peak RSS: {rss_mb:.0f} MB")
    if args.compare_pure:
        cmd = [sys.executable, "-W", "ignore", __file__, str(args.corpus), "--full-only", "--repeat", str(args.repeat)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        pure = float(subprocess.run(cmd, env={**os.environ, "QAWL_PURE": "1"}, capture_output=True, text=True,
                                    check=True).stdout.split()[-1])
        print(f"same pass, core from source (QAWL_PURE=1): {pure:.2f} s ({n / pure:,.0f} articles/s); "
              f"compiled is {pure / full:.2f}x faster")

    sample = max((json.loads(ln)["text"] for ln in lines[:200]), key=len)
    print("cost against length (same article repeated):")
    base = None
    for chars, secs in scaling(sample):
        per = secs / chars * 1e6
        base = base or per
        print(f"  {chars:>8,} chars  {secs * 1000:8.1f} ms  {per:6.2f} µs/char  ({per / base:.2f}x of 1x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
