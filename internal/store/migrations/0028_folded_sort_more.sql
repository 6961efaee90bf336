-- More names sort ignoring case and accents, as migration 0025's do: canned
-- responses, SLA levels, ticket templates, inventory and dictionary rules,
-- article titles and people's names (store/fold_more.go lists them).
{{foldIndexesMore}}
