-- Address prefixes ("everything in 10.3.1.") are matched case-sensitively (see
-- record's caseFreePrefix): on SQLite the plain primary_ip index serves GLOB; a
-- PostgreSQL LIKE prefix needs text_pattern_ops under a non-C collation.
{{- if .Postgres}}
CREATE INDEX computers_primary_ip_prefix ON computers(primary_ip text_pattern_ops) WHERE deleted_at IS NULL;
{{- end}}
