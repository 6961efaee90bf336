-- Full-text search, PostgreSQL: one GIN index per kind of document instead of one
-- over all of them (docs/search.md, "Bounds"). A search of follow-ups read every
-- ticket matching its words from the shared index only to drop them on the kind
-- (at 1,000,000 tickets, "4521", a number one ticket in seven holds: 140,000 rows
-- visited for nothing); a partial index per kind holds only that kind's documents.
-- The queries name the kind as a literal, so that the planner picks its index.
-- SQLite's FTS5 table is unchanged: its pass ranks the kinds together.
{{if .Postgres}}
CREATE INDEX IF NOT EXISTS search_docs_tsv_tickets ON search_docs USING gin (tsv) WHERE kind = 'tickets';
CREATE INDEX IF NOT EXISTS search_docs_tsv_followups ON search_docs USING gin (tsv) WHERE kind = 'ticket-followups';
CREATE INDEX IF NOT EXISTS search_docs_tsv_articles ON search_docs USING gin (tsv) WHERE kind = 'kb-articles';
DROP INDEX IF EXISTS search_docs_tsv;
{{end}}
