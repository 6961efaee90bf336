-- GLPI Agent parity: the agent's own id, and what its JSON protocol carries beyond the XML one.
-- GLPI Agent's own id (its GLPI-Agent-ID header, a UUID it keeps for good): the agent
-- row follows it when the agent's device id changes, as it does when the machine is
-- renamed. NULL for the other agents.
ALTER TABLE agents ADD COLUMN agent_uuid TEXT;
CREATE UNIQUE INDEX agents_agent_uuid ON agents(agent_uuid) WHERE agent_uuid IS NOT NULL;

-- The network ports a network equipment's SNMP inventory reports (GLPI Agent's JSON
-- network_ports, FusionInventory's PORTS), replaced as a whole when they change.
CREATE TABLE network_equipment_ports (
    id {{.ID}},
    network_equipment_id {{.BigInt}} NOT NULL REFERENCES network_equipment(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    alias TEXT NOT NULL DEFAULT '',
    mac TEXT NOT NULL DEFAULT '',
    if_type INTEGER NOT NULL DEFAULT 0,
    speed_mbps INTEGER NOT NULL DEFAULT 0,
    mtu INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0,
    ips TEXT NOT NULL DEFAULT ''
);
CREATE INDEX network_equipment_ports_device ON network_equipment_ports(network_equipment_id, number);
