"""Shared test data of the batch tests: shards cut from the real corpus (module name is unique
across the test tree so that `import` never picks another area's helper)."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
if not CORPUS.exists():  # shared/ sits beside the clone in CI; this is the session machine
    CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")

# Every 100th article: 48 documents across the outlets and years of the corpus (extraction costs
# about 0.2 s per article per core, and the suite must stay short).
STEP, N_DOCS = 100, 48
PER_SHARD = 12

# Bad lines put into the plain shard, at these 1-based line numbers, with what must be reported.
CORRUPT = {
    2: (b'{"id": "broken-1", "text": "\xd9\x82\xd8\xa7\xd9\x84', "invalid JSON"),  # cut mid-record
    5: (b"[1, 2, 3]", "expected a JSON object"),
    8: (b'{"id": "no-text", "title": "\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86"}', "no `text` field"),
    11: (b'{"id": "bad-type", "text": 42}', "`text` must be a string"),
    14: (b"not json at all", "invalid JSON"),
}


def corpus_docs() -> list[dict]:
    out = []
    with gzip.open(CORPUS, "rb") as fh:
        for i, line in enumerate(fh):
            if i % STEP == 0:
                out.append(orjson.loads(line))
            if len(out) == N_DOCS:
                break
    return out
