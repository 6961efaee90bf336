-- A technician's lists run inside their organisations: "organisation + maker" is
-- as common a filter as "organisation + state", and counting it through the maker
-- index alone read every computer of that maker in every organisation.
{{- range $t := list "computers" "monitors" "network_equipment" "printers" "phones" "peripherals"}}
CREATE INDEX {{$t}}_live_org_maker ON {{$t}}(organization_id, manufacturer_id, name, id) WHERE deleted_at IS NULL;
{{- end}}
-- Inventory matches virtual machines and computers on lower(uuid) (migration 0005).
DROP INDEX computers_uuid;
