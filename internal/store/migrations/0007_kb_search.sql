{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Knowledge base: categories, articles, their full revisions and their tickets.
CREATE TABLE kb_categories (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    parent_id {{.BigInt}} REFERENCES kb_categories(id) ON DELETE SET NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX kb_categories_org ON kb_categories(organization_id, name, id);
CREATE INDEX kb_categories_parent ON kb_categories(parent_id);

CREATE TABLE kb_articles (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    title TEXT NOT NULL,
    body TEXT,
    category_id {{.BigInt}} REFERENCES kb_categories(id) ON DELETE SET NULL,
    visibility TEXT NOT NULL DEFAULT 'internal',
    recursive {{.Bool}} NOT NULL DEFAULT {{.False}},
    language TEXT,
    published {{.Bool}} NOT NULL DEFAULT {{.False}},
    author_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    views {{.BigInt}} NOT NULL DEFAULT 0,
{{template "meta" .}}
);
CREATE INDEX kb_articles_org ON kb_articles(organization_id, title, id);
CREATE INDEX kb_articles_title ON kb_articles(title, id);
CREATE INDEX kb_articles_category ON kb_articles(category_id);

-- Every version of an article's title and body, numbered from 1 per article.
CREATE TABLE kb_article_revisions (
    id {{.ID}},
    article_id {{.BigInt}} NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT,
    user_id {{.BigInt}},
    user_name TEXT,
    restored_from INTEGER,
    created_at {{.TS}} NOT NULL
);
CREATE UNIQUE INDEX kb_article_revisions_number ON kb_article_revisions(article_id, revision);

CREATE TABLE kb_article_tickets (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    article_id {{.BigInt}} NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
{{template "meta" .}}
);
CREATE UNIQUE INDEX kb_article_tickets_pair ON kb_article_tickets(article_id, ticket_id);
CREATE INDEX kb_article_tickets_ticket ON kb_article_tickets(ticket_id);

-- Full-text search (docs/search.md): one row per searchable record holding its
-- analysed terms (lower-cased, accents removed, with French and English stems),
-- written by parc in the record's own transaction. Each store then only matches
-- and ranks terms: FTS5 on SQLite, a weighted tsvector on PostgreSQL.
CREATE TABLE search_docs (
    id {{.ID}},
    kind TEXT NOT NULL,
    record_id {{.BigInt}} NOT NULL,
    ticket_id {{.BigInt}},
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT ''{{if .Postgres}},
    tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED{{end}}
);
CREATE UNIQUE INDEX search_docs_record ON search_docs(kind, record_id);
CREATE INDEX search_docs_ticket ON search_docs(ticket_id);
{{if .Postgres}}
CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv);
{{else}}
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER search_fts_ai AFTER INSERT ON search_docs BEGIN INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END;
CREATE TRIGGER search_fts_ad AFTER DELETE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END;
CREATE TRIGGER search_fts_au AFTER UPDATE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END;
{{end}}
