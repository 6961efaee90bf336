-- The format a user's exports are written in for their spreadsheet: 'fr' (; between
-- columns, decimal comma, dd/mm/yyyy) or 'en' (, and a decimal point); NULL follows
-- their language.
ALTER TABLE users ADD COLUMN export_format TEXT;
