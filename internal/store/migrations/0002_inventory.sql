{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Automated inventory: agents, components, software, rules. Computers keep summary
-- columns so that list views filter and sort on inventory facts without joins.
ALTER TABLE computers ADD COLUMN hostname TEXT;
ALTER TABLE computers ADD COLUMN domain TEXT;
ALTER TABLE computers ADD COLUMN processor TEXT;
ALTER TABLE computers ADD COLUMN cpu_cores INTEGER;
ALTER TABLE computers ADD COLUMN memory_mb INTEGER;
ALTER TABLE computers ADD COLUMN disk_mb {{.BigInt}};
ALTER TABLE computers ADD COLUMN primary_ip TEXT;
ALTER TABLE computers ADD COLUMN ip_addresses TEXT;
ALTER TABLE computers ADD COLUMN mac_addresses TEXT;
ALTER TABLE computers ADD COLUMN os_kernel TEXT;
ALTER TABLE computers ADD COLUMN os_arch TEXT;
ALTER TABLE computers ADD COLUMN bios_version TEXT;
ALTER TABLE computers ADD COLUMN is_virtual {{.Bool}};
ALTER TABLE computers ADD COLUMN last_user TEXT;
ALTER TABLE computers ADD COLUMN software_count INTEGER;
ALTER TABLE computers ADD COLUMN last_inventory_at {{.TS}};
ALTER TABLE computers ADD COLUMN inventory_format TEXT;
-- Fields a technician locked against overwrite by inventory, comma separated.
ALTER TABLE computers ADD COLUMN locked_fields TEXT;
CREATE INDEX computers_memory ON computers(memory_mb);
CREATE INDEX computers_disk ON computers(disk_mb);
CREATE INDEX computers_last_inventory ON computers(last_inventory_at);
CREATE INDEX computers_os ON computers(os_name, os_version);
CREATE INDEX computers_primary_ip ON computers(primary_ip);

-- One row per agent installation (its DEVICEID).
CREATE TABLE agents (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    device_id TEXT NOT NULL,
    computer_id {{.BigInt}} REFERENCES computers(id) ON DELETE SET NULL,
    format TEXT NOT NULL,
    agent_name TEXT,
    agent_version TEXT,
    tag TEXT,
    remote_ip TEXT,
    last_contact_at {{.TS}},
    last_inventory_at {{.TS}},
{{template "meta" .}}
);
CREATE UNIQUE INDEX agents_device ON agents(device_id);
CREATE INDEX agents_computer ON agents(computer_id);
CREATE INDEX agents_contact ON agents(last_contact_at);

-- What the last inventory of a computer looked like: per-section hashes, so that an
-- unchanged re-inventory writes nothing, and the raw document (compressed) for download.
CREATE TABLE inventory_state (
    computer_id {{.BigInt}} PRIMARY KEY REFERENCES computers(id) ON DELETE CASCADE,
    section_hashes TEXT NOT NULL,
    format TEXT NOT NULL,
    raw {{.Blob}},
    received_at {{.TS}} NOT NULL
);

-- Components of computers: processors, memory modules, disks, volumes, network
-- interfaces, graphics cards, controllers, batteries, antivirus... one table with a kind.
CREATE TABLE computer_components (
    id {{.ID}},
    computer_id {{.BigInt}} NOT NULL REFERENCES computers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_key TEXT NOT NULL,
    designation TEXT NOT NULL,
    manufacturer TEXT,
    serial TEXT,
    size_mb {{.BigInt}},
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX computer_components_computer ON computer_components(computer_id, kind);
CREATE INDEX computer_components_serial ON computer_components(serial);

-- The software catalogue: one entry per software and publisher.
CREATE TABLE software (
    id {{.ID}},
    name TEXT NOT NULL,
    publisher TEXT,
    name_key TEXT NOT NULL,
    publisher_key TEXT NOT NULL DEFAULT '',
    category TEXT,
    install_count {{.BigInt}} NOT NULL DEFAULT 0,
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX software_key ON software(name_key, publisher_key);
CREATE INDEX software_name ON software(name, id);

-- Installations: the big table (computers x packages). Narrow rows, composite key.
CREATE TABLE software_installations (
    computer_id {{.BigInt}} NOT NULL REFERENCES computers(id) ON DELETE CASCADE,
    software_id {{.BigInt}} NOT NULL REFERENCES software(id) ON DELETE CASCADE,
    version TEXT NOT NULL DEFAULT '',
    version_key TEXT NOT NULL DEFAULT '',
    arch TEXT NOT NULL DEFAULT '',
    install_date {{.Date}},
    PRIMARY KEY (computer_id, software_id, version, arch)
){{if not .Postgres}} WITHOUT ROWID{{end}};
CREATE INDEX software_installations_software ON software_installations(software_id, version_key);

-- Dictionary: ordered rules that rename, merge or ignore software as it comes in.
CREATE TABLE software_rules (
    id {{.ID}},
    position INTEGER NOT NULL DEFAULT 100,
    name TEXT NOT NULL,
    match_name TEXT,
    match_publisher TEXT,
    action TEXT NOT NULL,
    new_name TEXT,
    new_publisher TEXT,
    active {{.Bool}} NOT NULL DEFAULT {{.True}},
{{template "meta" .}}
);

-- Ordered rules: which stored computer an inventory is (match), and where a new one
-- goes (assign: organisation is the rule's own, location optional).
CREATE TABLE inventory_rules (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    position INTEGER NOT NULL DEFAULT 100,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    match_on TEXT,
    ip_range TEXT,
    tag TEXT,
    domain TEXT,
    location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    active {{.Bool}} NOT NULL DEFAULT {{.True}},
{{template "meta" .}}
);
