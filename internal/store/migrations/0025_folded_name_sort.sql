-- Names sort ignoring case and accents ("adduser" before "Zoom"): lists order
-- by parc_fold(name), id, served by these live-row indexes (see store/fold.go).
-- On PostgreSQL parc_fold is created here; SQLite has it from parc's driver.
{{foldIndexes}}
