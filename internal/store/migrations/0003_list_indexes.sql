-- Indexes for the first page of large lists: live-row indexes that end with the
-- sort key, and substring indexes for free text (see docs/benchmarks.md).
{{listIndexes "computers"}}
{{listIndexes "monitors"}}
{{listIndexes "network_equipment"}}
{{listIndexes "printers"}}
{{listIndexes "phones"}}
{{listIndexes "peripherals"}}
{{textIndex "computers" "name" "inventory_number" "serial" "uuid" "os_name" "hostname" "processor" "ip_addresses" "mac_addresses" "last_user"}}
{{textIndex "monitors" "name" "inventory_number" "serial"}}
{{textIndex "network_equipment" "name" "inventory_number" "serial" "ip_address" "mac_address"}}
{{textIndex "printers" "name" "inventory_number" "serial" "ip_address" "mac_address"}}
{{textIndex "phones" "name" "inventory_number" "serial" "phone_number" "imei"}}
{{textIndex "peripherals" "name" "inventory_number" "serial"}}
