"""Fuzz the JSON API from its OpenAPI schema (schemathesis, in-process over ASGI): no 5xx."""

from __future__ import annotations

import shutil
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from web_support import TOKEN

from qawl.web.app import create_app

EXAMPLES = 25  # per operation; bounded so the run stays well under a minute


def _fuzz(op, headers: dict | None, calls: list):
    @given(case=op.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        r = case.call_and_validate(headers=headers, checks=[not_a_server_error])
        calls.append(r.status_code)

    return run


def test_api_has_no_server_errors(store_path: str, tmp_path: Path) -> None:
    # A copy of the shared store: the fuzzer writes through /api/ingest.
    db = tmp_path / "fuzz.db"
    for suffix in ("", "-wal"):
        if Path(store_path + suffix).exists():
            shutil.copy(store_path + suffix, str(db) + suffix)
    # schemathesis' pytest plugin does not load under this pytest; drive its strategies directly.
    app = create_app(str(db), token=TOKEN)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen: list[str] = []
    calls: list[int] = []
    for result in schema.get_all_operations():
        op = result.ok()
        seen.append(f"{op.method.upper()} {op.path}")
        # The write endpoint gets the token, so its body handling is fuzzed, not just the 403.
        headers = {"Authorization": f"Bearer {TOKEN}"} if op.path == "/api/ingest" else None

        _fuzz(op, headers, calls)()
    assert len(calls) >= 5 * len(seen) and max(calls) < 500
    assert {200, 404, 422} <= set(calls)  # valid, unknown and invalid inputs were all generated
    assert {"GET /api/search", "POST /api/extract", "POST /api/ingest", "GET /api/articles/{article_id}"} <= set(seen)
