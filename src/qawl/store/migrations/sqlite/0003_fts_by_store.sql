-- Schema 3: the store fills the full-text index itself, in one pass after each batch's rows
-- (several times faster than this per-row trigger); deletions still go through attributions_fts_del.
DROP TRIGGER attributions_fts_ins;
