-- Inventory links: virtual machines point at the computer that hosts them, and the
-- assets an inventory writes besides computers (monitors, network equipment,
-- printers, phones) can have fields locked against it, as computers can.
ALTER TABLE computers ADD COLUMN host_id {{.BigInt}} REFERENCES computers(id) ON DELETE SET NULL;
-- Power state of a virtual machine as its host last reported it (running, off...).
ALTER TABLE computers ADD COLUMN vm_state TEXT;
CREATE INDEX computers_host ON computers(host_id);
-- Inventory matches UUIDs case-insensitively.
CREATE INDEX computers_uuid_lower ON computers(lower(uuid));

ALTER TABLE monitors ADD COLUMN locked_fields TEXT;
ALTER TABLE network_equipment ADD COLUMN locked_fields TEXT;
ALTER TABLE printers ADD COLUMN locked_fields TEXT;
ALTER TABLE phones ADD COLUMN locked_fields TEXT;
-- Devices are recognised by their MAC address after their serial.
CREATE INDEX network_equipment_mac ON network_equipment(mac_address);
CREATE INDEX printers_mac ON printers(mac_address);
CREATE INDEX phones_mac ON phones(mac_address);
