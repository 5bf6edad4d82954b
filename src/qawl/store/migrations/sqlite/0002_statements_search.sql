-- Schema 2: statement provenance and full-text search over normalised content.
ALTER TABLE attributions ADD COLUMN norm TEXT;
ALTER TABLE attributions ADD COLUMN speaker_block TEXT;
-- Copied from the article so date/outlet-ordered listings use an index instead of a join + sort.
ALTER TABLE attributions ADD COLUMN published TEXT;
ALTER TABLE attributions ADD COLUMN outlet TEXT;
ALTER TABLE attributions ADD COLUMN statement_id INTEGER;
CREATE INDEX attributions_statement ON attributions(statement_id);
CREATE INDEX attributions_published ON attributions(published, attribution_id);
CREATE INDEX attributions_outlet ON attributions(outlet, published);
CREATE TABLE statements (
  statement_id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL
);
CREATE TABLE prov_keys (
  key TEXT NOT NULL,
  attribution_id INTEGER NOT NULL,
  PRIMARY KEY (key, attribution_id)
);
CREATE INDEX prov_keys_attr ON prov_keys(attribution_id);
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT
);
CREATE VIRTUAL TABLE attr_fts USING fts5(
  norm, content='attributions', content_rowid='attribution_id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER attributions_fts_ins AFTER INSERT ON attributions BEGIN
  INSERT INTO attr_fts(rowid, norm) VALUES (new.attribution_id, new.norm);
END;
CREATE TRIGGER attributions_fts_del AFTER DELETE ON attributions BEGIN
  INSERT INTO attr_fts(attr_fts, rowid, norm) VALUES ('delete', old.attribution_id, old.norm);
END;
