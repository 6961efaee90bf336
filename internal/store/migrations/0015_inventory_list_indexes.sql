-- A technician's list is limited to their organisations, so a filter or sort on an
-- inventory fact (memory, disk, last inventory) needs an index that leads with the
-- organisation: with only the plain column indexes, SQLite counted the matching
-- rows of one organisation by reading every one of its computers (or every
-- computer in the memory range), and chose between the two from its statistics, so
-- the same page took 10 or 50 ms at 100,000 computers depending on the last
-- ANALYZE. Like the other list indexes, they hold live rows and end with id.
CREATE INDEX computers_live_org_memory ON computers(organization_id, memory_mb, id) WHERE deleted_at IS NULL;
CREATE INDEX computers_live_org_disk ON computers(organization_id, disk_mb, id) WHERE deleted_at IS NULL;
CREATE INDEX computers_live_org_inventory ON computers(organization_id, last_inventory_at, id) WHERE deleted_at IS NULL;
