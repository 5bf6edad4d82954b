-- Schema 1: articles, their extraction, speaker name forms and speakers, attributions.
CREATE TABLE schema_version (
  version INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL
);
CREATE TABLE articles (
  article_id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,            -- id:<doc id> | url:<url> | hash:<content hash>
  doc_id TEXT,
  url TEXT,
  content_hash TEXT NOT NULL,
  title TEXT,
  outlet TEXT,
  published TEXT,
  lang TEXT,
  text TEXT NOT NULL,
  extraction TEXT NOT NULL,            -- qawl/1 JSON without "text"
  extractor_version TEXT NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_version ON articles(extractor_version);
CREATE TABLE forms (
  form_id INTEGER PRIMARY KEY,
  block TEXT NOT NULL,
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  displays TEXT NOT NULL DEFAULT '{}',
  titles TEXT NOT NULL DEFAULT '{}',
  speaker_id TEXT,
  UNIQUE (block, key, type)
);
CREATE INDEX forms_speaker ON forms(speaker_id);
CREATE INDEX forms_key ON forms(key);
CREATE TABLE cannot_links (
  block TEXT NOT NULL,
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  PRIMARY KEY (block, a, b)
);
CREATE TABLE speakers (
  speaker_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  block TEXT NOT NULL,
  name_key TEXT NOT NULL
);
CREATE INDEX speakers_block ON speakers(block);
CREATE INDEX speakers_name_key ON speakers(name_key);
CREATE TABLE attributions (
  attribution_id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(article_id),
  local_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  content TEXT NOT NULL,
  cue TEXT,
  speaker_name TEXT,
  form_id INTEGER REFERENCES forms(form_id),
  addressee TEXT,
  channel TEXT,
  source TEXT,
  time TEXT,
  confidence REAL,
  data TEXT NOT NULL                   -- the qawl/1 attribution (spans)
);
CREATE INDEX attributions_article ON attributions(article_id);
CREATE INDEX attributions_form ON attributions(form_id);
