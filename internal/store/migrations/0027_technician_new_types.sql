-- Technicians of a store created before ticket templates (0020) and canned responses
-- (0023) get the rights a new store gives them: built-in profiles are seeded once, and
-- a type that did not exist cannot have been left out on purpose. A profile already
-- naming the type, or granting every type ("*"), is left as it is. The rights are
-- JSON text ending in "}", extended alike on both stores.
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"canned-responses":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"canned-responses"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"ticket-templates":["read"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"ticket-templates"%' AND rights NOT LIKE '%"*"%';
