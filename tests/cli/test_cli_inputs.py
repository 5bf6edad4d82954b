"""qawl.inputs: every input shape, and clear errors naming the file (and line) for bad input."""

from __future__ import annotations

import gzip
import io
import json
import types

import orjson
import pytest
from cli_helpers import TEXT, corpus_lines

from qawl.inputs import DOC_KEYS, DocumentReader, InputError, iter_documents, iter_records

ARTICLE = "قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة."


def test_txt_article_is_one_document_with_the_stem_as_id(tmp_path):
    p = tmp_path / "khabar-1.txt"
    p.write_text(TEXT, encoding="utf-8")
    docs = list(iter_documents(p))
    assert len(docs) == 1
    assert docs[0]["id"] == "khabar-1" and docs[0]["text"] == TEXT
    assert set(docs[0]) == set(DOC_KEYS)


def test_txt_with_bom_and_crlf_keeps_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "سطر أول\r\nسطر ثان".encode())
    assert next(iter_documents(p))["text"] == "سطر أول\r\nسطر ثان"


def test_windows_1256_text_is_decoded_and_reported(tmp_path):
    p = tmp_path / "old.txt"
    p.write_bytes(ARTICLE.encode("cp1256"))
    r = DocumentReader(p)
    docs = list(r)
    assert docs[0]["text"] == ARTICLE
    assert r.encodings == {"cp1256": 1}


def test_real_corpus_jsonl_and_gz_map_source_and_date(tmp_path):
    lines = corpus_lines(5)
    raw = [orjson.loads(x) for x in lines]
    plain = tmp_path / "c.jsonl"
    plain.write_bytes(b"".join(lines))
    gz = tmp_path / "c.jsonl.gz"
    gz.write_bytes(gzip.compress(b"".join(lines)))
    for path in (plain, gz):
        docs = list(iter_documents(path))
        assert [d["id"] for d in docs] == [r["id"] for r in raw]
        assert [d["text"] for d in docs] == [r["text"] for r in raw]
        assert [d["outlet"] for d in docs] == [r.get("source") for r in raw]
        assert [d["published"] for d in docs] == [r.get("date") for r in raw]
        assert docs[0]["title"] == raw[0]["title"] and docs[0]["url"] == raw[0]["url"]


def test_standard_keys_win_over_aliases_and_missing_id_is_made(tmp_path):
    p = tmp_path / "b.jsonl"
    p.write_text(json.dumps({"text": ARTICLE, "outlet": "BBC", "source": "x", "published": "2025-01-02",
                             "date": "1999-01-01", "id": None}, ensure_ascii=False) + "\n\n", encoding="utf-8")
    (d,) = list(iter_documents(p))
    assert d["outlet"] == "BBC" and d["published"] == "2025-01-02" and d["id"] == "b-1"


def test_json_object_and_list(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "x", "text": ARTICLE}, ensure_ascii=False), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "x", "text": ARTICLE}, {"text": TEXT}], ensure_ascii=False),
                    encoding="utf-8")
    r1 = DocumentReader(one)
    assert [d["id"] for d in r1] == ["x"] and r1.multi is False
    r2 = DocumentReader(many)
    assert [d["id"] for d in r2] == ["x", "many-2"] and r2.multi is True


def test_stdin_sniffs_text_jsonl_and_json():
    txt = list(iter_documents("-", stdin=io.BytesIO(ARTICLE.encode())))
    assert txt[0]["text"] == ARTICLE and txt[0]["id"] == "stdin"
    jl = b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n'
    assert [d["id"] for d in iter_documents("-", stdin=io.BytesIO(jl))] == ["a", "b"]
    pretty = json.dumps({"id": "p", "text": ARTICLE}, indent=2, ensure_ascii=False).encode()
    assert [d["id"] for d in iter_documents("-", stdin=io.BytesIO(pretty))] == ["p"]
    gz = gzip.compress(jl)
    assert [d["id"] for d in iter_documents("-", stdin=io.BytesIO(gz), fmt="jsonl")] == ["a", "b"]


def test_is_a_lazy_generator(tmp_path):
    # Line 3 is broken: the first two documents are still delivered before the error is raised.
    p = tmp_path / "lazy.jsonl"
    p.write_bytes(b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n{broken\n')
    it = iter_documents(p)
    assert isinstance(it, types.GeneratorType)
    assert next(it)["id"] == "a"
    assert next(it)["id"] == "b"
    with pytest.raises(InputError, match="line 3"):
        next(it)


@pytest.mark.parametrize(("line", "message"), [
    (b'{"id": "c", "text": "\xd9\x82\xd8\xa7\xd9\x84', "invalid JSON"),
    (b"[1, 2]", "expected a JSON object"),
    (b'{"id": "c", "title": "t"}', "no `text` field"),
    (b'{"id": "c", "text": 42}', "`text` must be a string"),
    (b'{"id": {"x": 1}, "text": "t"}', "`id` must be a string"),
])
def test_bad_jsonl_line_names_file_and_line(tmp_path, line, message):
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b'{"id": "a", "text": "x"}\n\n' + line + b'\n{"id": "d", "text": "y"}\n')
    with pytest.raises(InputError) as ei:
        list(iter_documents(p))
    assert str(p) in str(ei.value) and "line 3" in str(ei.value) and message in str(ei.value)
    assert ei.value.line == 3

    seen = []
    r = DocumentReader(p, skip_bad=True, on_error=seen.append)
    assert [d["id"] for d in r] == ["a", "d"]
    assert r.skipped == 1 and r.count == 2 and len(seen) == 1 and seen[0].line == 3


def test_cp1256_jsonl_line_is_decoded(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(b'{"id": "u", "text": "x"}\n' + json.dumps({"id": "w", "text": ARTICLE},
                                                              ensure_ascii=False).encode("cp1256") + b"\n")
    r = DocumentReader(p)
    docs = list(r)
    assert docs[1]["text"] == ARTICLE and r.encodings == {"cp1256": 1}


@pytest.mark.parametrize("name", ["missing.txt", "missing.jsonl"])
def test_missing_file(tmp_path, name):
    with pytest.raises(InputError, match="no such file") as ei:
        list(iter_documents(tmp_path / name))
    assert name in str(ei.value)


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        list(iter_documents(tmp_path, skip_bad=True))


@pytest.mark.parametrize("name", ["image.txt", "image.jsonl", "image.json"])
def test_binary_file(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary") as ei:
        list(iter_documents(p, skip_bad=True))
    assert name in str(ei.value)


def test_truncated_gzip_is_fatal_even_with_skip_bad(tmp_path):
    data = gzip.compress(b"".join(corpus_lines(40, step=11)))
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    r = DocumentReader(p, skip_bad=True)
    got = []
    with pytest.raises(InputError, match="truncated") as ei:
        for d in r:
            got.append(d)
    assert str(p) in str(ei.value) and ei.value.fatal
    assert 0 < len(got) < 40  # the complete documents before the cut were delivered


def test_not_gzip_despite_name(tmp_path):
    p = tmp_path / "plain.jsonl.gz"
    p.write_bytes(b'{"id": "a", "text": "x"}\n')
    assert [d["id"] for d in iter_documents(p)] == ["a"]  # sniffed, not trusted by name


def test_empty_inputs(tmp_path):
    for name in ("empty.txt", "blank.txt", "empty.json"):
        p = tmp_path / name
        p.write_bytes(b"" if name.startswith("empty") else b"  \n\n")
        with pytest.raises(InputError, match="empty") as ei:
            list(iter_documents(p))
        assert name in str(ei.value)
    p = tmp_path / "empty.jsonl"
    p.write_bytes(b"")
    r = DocumentReader(p)
    assert list(r) == [] and r.count == 0 and r.skipped == 0


def test_invalid_json_file_names_line(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"id": "a",\n "text": }', encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.json: invalid JSON at line 2"):
        list(iter_documents(p))


def test_iter_records_keeps_the_whole_object(tmp_path):
    p = tmp_path / "gold.jsonl"
    rec = {"id": "g", "text": ARTICLE, "attributions": [{"kind": "indirect"}], "outlet": "x"}
    p.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert list(iter_records(p)) == [rec]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown input format"):
        DocumentReader("x.txt", fmt="xml")  # type: ignore[arg-type]
