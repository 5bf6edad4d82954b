"""Input records to documents, documents to Parquet rows, and the two Parquet schemas.

Everything here is pure and runs on Dask workers. The ``articles`` table keeps
each article's full ``qawl/1`` extraction (minus the text, which has its own
column) so ``qawl load`` can rebuild exactly what ``qawl.extract`` returned;
``statements`` is the flat, query-friendly view with one row per attribution.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import orjson
import pyarrow as pa

# Partition directory names: Hive style, ASCII only so that every filesystem and
# object store accepts them; the true value is kept in its own column.
_SLUG_BAD = re.compile(r"[^0-9A-Za-z._-]+")
_MONTH = re.compile(r"^(\d{4})-(\d{2})")
UNKNOWN = "unknown"



class RecordError(ValueError):
    """One input record cannot be turned into a document (goes to the dead-letter file)."""


def partition_slug(value: str | None) -> str:
    """A filesystem-safe partition value: ASCII slug, or a short hash for non-ASCII names."""
    if not value:
        return UNKNOWN
    slug = _SLUG_BAD.sub("_", value).strip("_.")[:60]
    if slug and slug == value.replace(" ", "_"):
        return slug
    # Lossy or non-ASCII (Arabic outlet names): add a hash so two names never share a directory.
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else f"x-{digest}"


def month_of(published: str | None) -> str:
    if published:
        m = _MONTH.match(published)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{m.group(2)}"
    return UNKNOWN


def default_id(shard_url: str, line: int) -> str:
    """The id `qawl.inputs` gives a JSONL record without one (``<file stem>-<line>``), so batch
    output and `qawl ingest` of the same file key such an article alike."""
    name = shard_url.rstrip("/").rsplit("/", 1)[-1]
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{stem or name}-{line}"


def parse_line(raw: bytes, where: str) -> Any:
    """JSON of one input line: UTF-8 fast path, legacy Arabic encodings as `qawl.inputs` does."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise RecordError(f"{where}: invalid JSON ({str(exc).split(': line')[0]})") from None
    import json

    from qawl.encoding import DecodeError, decode_bytes

    try:
        text = decode_bytes(raw, where).text
    except DecodeError as exc:
        raise RecordError(str(exc)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None


def normalise_record(rec: Any, where: str, fallback_id: str) -> dict[str, Any]:
    """Check one decoded input object and map it to the article fields, exactly as
    `qawl.inputs.normalize_document` does for `qawl extract` and `qawl ingest` (the corpus
    spellings ``source`` and ``date`` are accepted for outlet and published)."""
    from qawl.inputs import InputError, normalize_document

    try:
        return normalize_document(rec, where=where, default_id=fallback_id)
    except InputError as exc:
        raise RecordError(str(exc)) from None


def extract_record(art: dict[str, Any]) -> dict[str, Any]:
    """Run the extractor on one normalised record exactly as single-process use would."""
    from qawl import extract

    meta = {k: art[k] for k in ("title", "url", "outlet") if art.get(k) is not None}
    doc = extract(art["text"], published=art["published"], lang=art["lang"], id=art["id"], meta=meta)
    return doc.to_dict()


# ---------------------------------------------------------------------------------------------
# Parquet schemas

_SPAN = [("start", pa.int32()), ("end", pa.int32())]


def _part_fields(prefix: str, entity: bool) -> list[pa.Field]:
    f = [pa.field(f"{prefix}_text", pa.string())] + [pa.field(f"{prefix}_{n}", t) for n, t in _SPAN]
    if entity:
        f.append(pa.field(f"{prefix}_entity", pa.string()))
    return f


ARTICLES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string()),
        pa.field("outlet", pa.string()),
        pa.field("published", pa.string()),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("lang", pa.string()),
        pa.field("text", pa.string()),
        pa.field("content_hash", pa.string()),
        pa.field("n_attributions", pa.int32()),
        pa.field("extraction", pa.string()),  # qawl/1 JSON without "text"
        pa.field("extractor_version", pa.string()),
        pa.field("shard", pa.string()),
        pa.field("line", pa.int64()),
    ]
)

STATEMENTS_SCHEMA = pa.schema(
    [
        pa.field("statement_id", pa.string()),
        pa.field("article_id", pa.string()),
        pa.field("attribution_id", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("confidence", pa.float32()),
        *_part_fields("content", False),
        *_part_fields("cue", False),
        pa.field("cue_lemma", pa.string()),
        *_part_fields("speaker", True),
        pa.field("speaker_name", pa.string()),
        pa.field("speaker_entity_name", pa.string()),
        pa.field("speaker_type", pa.string()),
        pa.field("speaker_titles", pa.list_(pa.string())),
        *_part_fields("addressee", True),
        *_part_fields("channel", False),
        *_part_fields("source", True),
        *_part_fields("time", False),
        pa.field("time_value", pa.string()),
        pa.field("outlet", pa.string()),
        pa.field("published", pa.string()),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("extractor_version", pa.string()),
    ]
)


def _put_part(row: dict[str, Any], prefix: str, part: dict[str, Any] | None, entity: bool) -> None:
    part = part or {}
    span = part.get("span")
    row[f"{prefix}_text"] = part.get("text")
    row[f"{prefix}_start"] = span[0] if span else None
    row[f"{prefix}_end"] = span[1] if span else None
    if entity:
        row[f"{prefix}_entity"] = part.get("entity")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_row(art: dict[str, Any], doc: dict[str, Any], version: str, shard: str, line: int) -> dict[str, Any]:
    extraction = {k: v for k, v in doc.items() if k != "text"}
    return {
        "article_id": art["id"],
        "outlet": art["outlet"],
        "published": art["published"],
        "url": art["url"],
        "title": art["title"],
        "lang": doc.get("lang"),
        "text": art["text"],
        "content_hash": content_hash(art["text"]),
        "n_attributions": len(doc.get("attributions", [])),
        "extraction": orjson.dumps(extraction).decode("utf-8"),
        "extractor_version": version,
        "shard": shard,
        "line": line,
    }


def statement_rows(art: dict[str, Any], doc: dict[str, Any], version: str) -> list[dict[str, Any]]:
    entities = {e["id"]: e for e in doc.get("entities", [])}
    rows = []
    for a in doc.get("attributions", []):
        sp = a.get("speaker") or {}
        ent = entities.get(sp.get("entity") or "") or {}
        row: dict[str, Any] = {
            "statement_id": f"{art['id']}#{a.get('id')}",
            "article_id": art["id"],
            "attribution_id": a.get("id"),
            "kind": a.get("kind"),
            "confidence": a.get("confidence"),
        }
        _put_part(row, "content", a.get("content"), False)
        _put_part(row, "cue", a.get("cue"), False)
        row["cue_lemma"] = (a.get("cue") or {}).get("lemma")
        _put_part(row, "speaker", sp, True)
        row["speaker_name"] = sp.get("name")
        row["speaker_entity_name"] = ent.get("name")
        row["speaker_type"] = ent.get("type")
        row["speaker_titles"] = list(ent.get("titles") or [])
        _put_part(row, "addressee", a.get("addressee"), True)
        _put_part(row, "channel", a.get("channel"), False)
        _put_part(row, "source", a.get("source"), True)
        _put_part(row, "time", a.get("time"), False)
        row["time_value"] = (a.get("time") or {}).get("value")
        for k in ("outlet", "published", "url", "title"):
            row[k] = art[k]
        row["extractor_version"] = version
        rows.append(row)
    return rows


def document_from_article_row(row: dict[str, Any]) -> dict[str, Any]:
    """The exact ``qawl/1`` dict of one ``articles`` row (inverse of ``article_row``)."""
    doc = orjson.loads(row["extraction"])
    out: dict[str, Any] = {}
    # Keep the key order of Document.to_dict(): text goes after the meta keys.
    for k, v in doc.items():
        if k == "captions":
            out["text"] = row["text"]
        out[k] = v
    out.setdefault("text", row["text"])
    return out
