-- "My open tickets" and "my groups' tickets" (filters assigned_user_id or my_groups,
-- and open; sorted by resolution due time) within the technician's organisations.
-- At 1,000,000 tickets PostgreSQL answered both by AND-ing a bitmap of the
-- technician's or groups' tickets with one of every ticket of the organisation
-- (100,000 entries, 250-500 ms under load); with the organisation in a partial index
-- under the list's "open" predicate, the count reads the few hundred open tickets of
-- the user from the index alone (0.3 ms) and the group's in 0.6 ms. docs/benchmarks.md.
CREATE INDEX tickets_open_user_org_due ON tickets(assigned_user_id, organization_id, ttr_due_at, id) WHERE deleted_at IS NULL AND status NOT IN ('solved', 'closed');
CREATE INDEX tickets_open_group_org_due ON tickets(assigned_group_id, organization_id, ttr_due_at, id) WHERE deleted_at IS NULL AND status NOT IN ('solved', 'closed');
