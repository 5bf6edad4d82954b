"""Instructions per article spent in `qawl.extract`, counted by callgrind (exact where wall time on a
shared machine is not):

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \\
        --toggle-collect='CPyPy_pipeline___extract' .venv/bin/python benchmarks/extract_instructions.py 100

valgrind prints "Collected : N"; N / 100 is the figure per article. Only the compiled pipeline's entry
point is counted (the toggle names its C function), so reading the corpus and building the lexicons,
which this script does first, are left out. `callgrind_annotate --inclusive=yes /tmp/cg.out` shows
where the instructions go. Without valgrind the script just runs the extraction.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bench.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="?", default=100, help="first N articles of the corpus")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()

    from qawl import captions, extract, lexicon, timeexpr

    lexicon.lexicon()  # built here, outside the counted calls
    captions._agencies()
    captions._compiled()
    timeexpr._lex()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for _, line in zip(range(args.n), fh, strict=False)]
    for d in docs:
        extract(d["text"], published=d.get("date"), id=d.get("id"))
    print(f"{len(docs)} articles extracted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
