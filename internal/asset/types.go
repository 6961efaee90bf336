// Package asset declares parc's fleet record types (computers, monitors, network
// equipment, printers, phones, peripherals) and the catalogues they refer to.
package asset

import "parc/internal/record"

func f64(x float64) *float64 { return &x }

// Categories are the asset families models and types are filed under.
var Categories = []string{"computer", "monitor", "network-equipment", "printer", "phone", "peripheral"}

// commonFields are the columns every fleet asset has (the "asset" block of the migration).
func commonFields() []*record.Field {
	return []*record.Field{
		{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
		{Name: "inventory_number", Kind: record.Text, Unique: true, Max: 64, Search: true, Sort: true, List: true},
		{Name: "serial", Kind: record.Serial, Max: 128, Search: true, Sort: true, List: true},
		{Name: "manufacturer_id", Kind: record.Ref, Ref: "manufacturers", Sort: true, List: true},
		{Name: "model_id", Kind: record.Ref, Ref: "models", Sort: true},
		{Name: "type_id", Kind: record.Ref, Ref: "asset-types", Sort: true},
		{Name: "state_id", Kind: record.Ref, Ref: "states", Sort: true, List: true},
		{Name: "location_id", Kind: record.Ref, Ref: "locations", Sort: true, List: true},
		{Name: "user_id", Kind: record.Ref, Ref: "users", Sort: true, List: true},
		{Name: "group_id", Kind: record.Ref, Ref: "groups", Sort: true},
		{Name: "supplier_id", Kind: record.Ref, Ref: "suppliers", Sort: true},
		{Name: "purchase_date", Kind: record.Date, Sort: true},
		{Name: "purchase_price", Kind: record.Money, Min: f64(0), MaxNum: f64(1e12), Sort: true},
		{Name: "warranty_end", Kind: record.Date, Sort: true},
		// How the purchase price depreciates (internal/lifecycle): linear or
		// declining balance over so many years.
		{Name: "depreciation_method", Kind: record.Enum, Options: DepreciationMethods},
		{Name: "depreciation_years", Kind: record.Int, Min: f64(1), MaxNum: f64(50)},
		{Name: "comment", Kind: record.LongText, Search: false},
		// The day the asset left the fleet, set by its disposal record.
		{Name: DisposedField, Kind: record.Date, ReadOnly: true, Sort: true},
	}
}

// DisposedField is the fleet assets' column of the day they left the fleet
// (record.Type.DisposedField).
const DisposedField = "disposed_at"

// DepreciationMethods are how an asset's purchase price may depreciate.
var DepreciationMethods = []string{"linear", "declining"}

func assetType(name, table, singular string, extra ...*record.Field) *record.Type {
	return &record.Type{Name: name, Table: table, Singular: singular, Area: record.AreaAssets, Scope: record.OrgScoped,
		Fields: append(commonFields(), extra...), NameField: "name", NamingPlan: true, TextIndex: true, DisposedField: DisposedField}
}

// inventoryFields are the computer's summary of its last inventory, kept in its own
// columns so that lists filter and sort on them without joins. Only inventory writes them.
func inventoryFields() []*record.Field {
	ro := func(name string, k record.Kind, list bool) *record.Field {
		return &record.Field{Name: name, Kind: k, ReadOnly: true, Sort: k != record.LongText, List: list, Max: 4000}
	}
	f := []*record.Field{
		ro("hostname", record.Text, false),
		ro("domain", record.Text, false),
		ro("processor", record.Text, false),
		ro("cpu_cores", record.Int, false),
		ro("memory_mb", record.Int, false),
		ro("disk_mb", record.Int, false),
		ro("primary_ip", record.Text, false),
		ro("ip_addresses", record.Text, false),
		ro("mac_addresses", record.Text, false),
		ro("os_kernel", record.Text, false),
		ro("os_arch", record.Text, false),
		ro("bios_version", record.Text, false),
		ro("is_virtual", record.Bool, false),
		ro("vm_state", record.Text, false),
		ro("last_user", record.Text, false),
		ro("software_count", record.Int, false),
		ro("last_inventory_at", record.DateTime, false),
		ro("inventory_format", record.Text, false),
	}
	for _, x := range f {
		switch x.Name {
		case "hostname", "processor", "ip_addresses", "mac_addresses", "last_user":
			x.Search = true
		case "software_count", "last_inventory_at", "inventory_format", "vm_state":
			x.NoHistory = true
		}
	}
	return f
}

// lockedFields lists, comma separated, the fields a technician locked against
// overwrite by inventory (internal/ingest reads it).
func lockedFields() *record.Field {
	return &record.Field{Name: "locked_fields", Kind: record.Text, Max: 1000}
}

// Types returns the fleet and catalogue types.
func Types() []*record.Type {
	types := declared()
	for _, t := range types {
		switch t.Name {
		case "computers":
			t.Virtual = map[string]record.VirtualFilter{"software": softwareFilter}
		case "agents":
			t.SystemOnly = true
		}
	}
	return types
}

func declared() []*record.Type {
	return []*record.Type{
		assetType("computers", "computers", "computer", append([]*record.Field{
			{Name: "uuid", Kind: record.Text, Max: 64, Search: true},
			{Name: "os_name", Kind: record.Text, Sort: true, List: true, Search: true},
			{Name: "os_version", Kind: record.Text, Sort: true},
			lockedFields(),
			// The computer a virtual machine runs on, from the host's inventory.
			{Name: "host_id", Kind: record.Ref, Ref: "computers", Sort: true},
		}, inventoryFields()...)...),
		assetType("monitors", "monitors", "monitor",
			&record.Field{Name: "size_inches", Kind: record.Decimal, Min: f64(1), MaxNum: f64(500), Sort: true, List: true},
			&record.Field{Name: "computer_id", Kind: record.Ref, Ref: "computers", Sort: true, List: true},
			lockedFields(),
		),
		assetType("network-equipment", "network_equipment", "network_equipment",
			&record.Field{Name: "ip_address", Kind: record.IP, Sort: true, List: true, Search: true},
			&record.Field{Name: "mac_address", Kind: record.MAC, Search: true},
			&record.Field{Name: "firmware", Kind: record.Text},
			&record.Field{Name: "ports", Kind: record.Int, Min: f64(0), MaxNum: f64(100000), Sort: true},
			lockedFields(),
		),
		assetType("printers", "printers", "printer",
			&record.Field{Name: "ip_address", Kind: record.IP, Sort: true, List: true, Search: true},
			&record.Field{Name: "mac_address", Kind: record.MAC, Search: true},
			&record.Field{Name: "color", Kind: record.Bool, Default: false},
			&record.Field{Name: "duplex", Kind: record.Bool, Default: false},
			lockedFields(),
		),
		assetType("phones", "phones", "phone",
			&record.Field{Name: "phone_number", Kind: record.Text, Max: 32, Search: true, List: true},
			&record.Field{Name: "imei", Kind: record.Text, Max: 20, Search: true},
			&record.Field{Name: "mac_address", Kind: record.MAC},
			lockedFields(),
		),
		assetType("peripherals", "peripherals", "peripheral",
			&record.Field{Name: "computer_id", Kind: record.Ref, Ref: "computers", Sort: true, List: true},
		),
		{Name: "locations", Table: "locations", Singular: "location", Area: record.AreaManagement, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "kind", Kind: record.Enum, Options: []string{"site", "building", "floor", "room", "other"}, Default: "room", Required: true, Sort: true, List: true},
				{Name: "parent_id", Kind: record.Ref, Ref: "locations", Sort: true, List: true},
				{Name: "code", Kind: record.Text, Max: 32, Search: true, List: true},
				{Name: "address", Kind: record.LongText},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "agents", Table: "agents", Singular: "agent", Area: record.AreaAdmin, Scope: record.OrgScoped, NameField: "device_id",
			DefaultSort: "-last_contact_at",
			Fields: []*record.Field{
				{Name: "device_id", Kind: record.Text, Required: true, ReadOnly: true, Search: true, Sort: true, List: true},
				// GLPI Agent's own id (GLPI-Agent-ID), kept across device id changes; a
				// column to choose, as most agents have none and the list must fit.
				{Name: "agent_uuid", Kind: record.Text, ReadOnly: true, Search: true, Sort: true},
				{Name: "computer_id", Kind: record.Ref, Ref: "computers", ReadOnly: true, Sort: true, List: true},
				// The protocol of the agent's last inventory (inventory.Format).
				{Name: "format", Kind: record.Enum, Options: []string{"fusioninventory", "glpi", "ocs", "parc"}, Required: true, ReadOnly: true, Sort: true, List: true},
				{Name: "agent_name", Kind: record.Text, ReadOnly: true, Sort: true},
				{Name: "agent_version", Kind: record.Text, ReadOnly: true, Sort: true, List: true},
				{Name: "tag", Kind: record.Text, ReadOnly: true, Sort: true, Search: true},
				{Name: "remote_ip", Kind: record.Text, ReadOnly: true, Search: true, List: true},
				{Name: "last_contact_at", Kind: record.DateTime, ReadOnly: true, Sort: true, List: true, NoHistory: true},
				{Name: "last_inventory_at", Kind: record.DateTime, ReadOnly: true, Sort: true, List: true, NoHistory: true},
			}},
		{Name: "software", Table: "software", Singular: "software", Area: record.AreaAssets, Scope: record.Global, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "publisher", Kind: record.Text, Search: true, Sort: true, List: true},
				{Name: "name_key", Kind: record.Text, Hidden: true},
				{Name: "publisher_key", Kind: record.Text, Hidden: true},
				{Name: "category", Kind: record.Text, Sort: true, List: true},
				{Name: "install_count", Kind: record.Int, ReadOnly: true, Sort: true, List: true, NoHistory: true, Default: int64(0)},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: softwareKeys}},
		{Name: "software-rules", Table: "software_rules", Singular: "software_rule", Area: record.AreaAdmin, Scope: record.OrgShared, NameField: "name",
			DefaultSort: "position",
			Fields: []*record.Field{
				{Name: "position", Kind: record.Int, Required: true, Default: int64(100), Sort: true, List: true, Min: f64(0), MaxNum: f64(1e6)},
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "match_name", Kind: record.Text, List: true},
				{Name: "match_publisher", Kind: record.Text, List: true},
				{Name: "action", Kind: record.Enum, Options: []string{"rename", "ignore", "set_publisher", "set_category"}, Required: true, List: true},
				{Name: "new_name", Kind: record.Text, List: true},
				{Name: "new_publisher", Kind: record.Text},
				{Name: "active", Kind: record.Bool, Default: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: checkPatterns("match_name", "match_publisher"), AfterWrite: markRefile}},
		{Name: "inventory-rules", Table: "inventory_rules", Singular: "inventory_rule", Area: record.AreaAdmin, Scope: record.OrgScoped, NameField: "name",
			DefaultSort: "position",
			Fields: []*record.Field{
				{Name: "position", Kind: record.Int, Required: true, Default: int64(100), Sort: true, List: true, Min: f64(0), MaxNum: f64(1e6)},
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "kind", Kind: record.Enum, Options: []string{"match", "assign"}, Required: true, Sort: true, List: true},
				{Name: "match_on", Kind: record.Enum, Options: []string{"uuid_serial", "serial", "uuid", "mac", "name"}, List: true},
				{Name: "ip_range", Kind: record.Text, Max: 64, List: true},
				{Name: "tag", Kind: record.Text, Max: 100, List: true},
				{Name: "domain", Kind: record.Text, List: true},
				{Name: "location_id", Kind: record.Ref, Ref: "locations", List: true},
				{Name: "active", Kind: record.Bool, Default: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: checkInventoryRule}},
		{Name: "manufacturers", Table: "manufacturers", Singular: "manufacturer", Area: record.AreaSettings, Scope: record.Global, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText, List: true},
			}},
		{Name: "models", Table: "models", Singular: "model", Area: record.AreaSettings, Scope: record.Global, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "category", Kind: record.Enum, Options: Categories, Required: true, Sort: true, List: true},
				{Name: "manufacturer_id", Kind: record.Ref, Ref: "manufacturers", Sort: true, List: true},
				{Name: "product_number", Kind: record.Text, Search: true, List: true},
				// What replacing one costs, for the renewal forecast (internal/lifecycle).
				{Name: "replacement_cost", Kind: record.Money, Min: f64(0), MaxNum: f64(1e12), Sort: true},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "asset-types", Table: "asset_types", Singular: "asset_type", Area: record.AreaSettings, Scope: record.OrgShared, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "category", Kind: record.Enum, Options: Categories, Required: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "states", Table: "states", Singular: "state", Area: record.AreaSettings, Scope: record.OrgShared, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true},
				{Name: "code", Kind: record.Text, Max: 32, List: true},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "suppliers", Table: "suppliers", Singular: "supplier", Area: record.AreaManagement, Scope: record.OrgShared, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true},
				{Name: "email", Kind: record.Email, List: true, Search: true},
				{Name: "phone", Kind: record.Text, Max: 32, List: true},
				{Name: "website", Kind: record.URL},
				{Name: "address", Kind: record.LongText},
				{Name: "comment", Kind: record.LongText},
			}},
	}
}

// DefaultStates are the asset states a new store starts with (codes are stable, names translated at seeding).
var DefaultStates = []struct{ Code, EN, FR string }{
	{"stock", "In stock", "En stock"},
	{"in_use", "In use", "En service"},
	{"repair", "In repair", "En réparation"},
	{"loan", "On loan", "En prêt"},
	{"reserved", "Reserved", "Réservé"},
	{"retired", "Retired", "Réformé"},
	{"disposed", "Disposed", "Mis au rebut"},
}
