-- Version keys get a compact encoding (internal/softver: each number written as its
-- length then its digits, instead of padded to ten digits), which halves the
-- installations table and its software index. The keys are recomputed in Go after
-- this script (asset.DataSteps, a store.DataStep). On PostgreSQL they compare
-- byte-wise whatever the database's collation, as they are made to.
{{- if .Postgres}}
ALTER TABLE software_installations ALTER COLUMN version_key TYPE TEXT COLLATE "C";
{{- end}}
