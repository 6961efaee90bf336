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
		{Name: "comment", Kind: record.LongText, Search: false},
	}
}

func assetType(name, table, singular string, extra ...*record.Field) *record.Type {
	return &record.Type{Name: name, Table: table, Singular: singular, Area: record.AreaAssets, Scope: record.OrgScoped,
		Fields: append(commonFields(), extra...), NameField: "name", NamingPlan: true}
}

// Types returns the fleet and catalogue types.
func Types() []*record.Type {
	return []*record.Type{
		assetType("computers", "computers", "computer",
			&record.Field{Name: "uuid", Kind: record.Text, Max: 64, Search: true},
			&record.Field{Name: "os_name", Kind: record.Text, Sort: true, List: true, Search: true},
			&record.Field{Name: "os_version", Kind: record.Text, Sort: true},
		),
		assetType("monitors", "monitors", "monitor",
			&record.Field{Name: "size_inches", Kind: record.Decimal, Min: f64(1), MaxNum: f64(500), Sort: true, List: true},
			&record.Field{Name: "computer_id", Kind: record.Ref, Ref: "computers", Sort: true, List: true},
		),
		assetType("network-equipment", "network_equipment", "network_equipment",
			&record.Field{Name: "ip_address", Kind: record.IP, Sort: true, List: true, Search: true},
			&record.Field{Name: "mac_address", Kind: record.MAC, Search: true},
			&record.Field{Name: "firmware", Kind: record.Text},
			&record.Field{Name: "ports", Kind: record.Int, Min: f64(0), MaxNum: f64(100000), Sort: true},
		),
		assetType("printers", "printers", "printer",
			&record.Field{Name: "ip_address", Kind: record.IP, Sort: true, List: true, Search: true},
			&record.Field{Name: "mac_address", Kind: record.MAC, Search: true},
			&record.Field{Name: "color", Kind: record.Bool, Default: false},
			&record.Field{Name: "duplex", Kind: record.Bool, Default: false},
		),
		assetType("phones", "phones", "phone",
			&record.Field{Name: "phone_number", Kind: record.Text, Max: 32, Search: true, List: true},
			&record.Field{Name: "imei", Kind: record.Text, Max: 20, Search: true},
			&record.Field{Name: "mac_address", Kind: record.MAC},
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
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "asset-types", Table: "asset_types", Singular: "asset_type", Area: record.AreaSettings, Scope: record.Global, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "category", Kind: record.Enum, Options: Categories, Required: true, Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "states", Table: "states", Singular: "state", Area: record.AreaSettings, Scope: record.Global, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Unique: true, Search: true, Sort: true, List: true},
				{Name: "code", Kind: record.Text, Max: 32, List: true},
				{Name: "comment", Kind: record.LongText},
			}},
		{Name: "suppliers", Table: "suppliers", Singular: "supplier", Area: record.AreaManagement, Scope: record.Global, NameField: "name",
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
