// Package fusion reads the XML requests of the FusionInventory agent, and of GLPI Agent
// and its Android sibling when they speak XML: the PROLOG that opens each contact, the
// INVENTORY of the machine the agent runs on, the SNMP inventories of network devices
// and printers (SNMPQUERY, SNMP) and the devices found by a network discovery
// (NETDISCOVERY).
package fusion

import (
	"fmt"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/mapping"
	"parc/internal/inventory/internal/tree"
)

// Queries this package reads.
const (
	QueryProlog       = "PROLOG"
	QueryInventory    = "INVENTORY"
	QuerySNMPQuery    = "SNMPQUERY"
	QuerySNMP         = "SNMP" // older agents' name for SNMPQUERY
	QueryNetDiscovery = "NETDISCOVERY"
)

// Message is one request.
type Message struct {
	Query    string // upper case, one of the Query constants
	DeviceID string
	Token    string // PROLOG only, from old agents; parc does not use it
	// Inventory is nil for a PROLOG.
	Inventory *inventory.Inventory
}

// Parse reads a request body (already decompressed, see package wire) with the
// default limits.
func Parse(data []byte) (*Message, error) {
	return ParseWithLimits(data, inventory.DefaultLimits())
}

// ParseWithLimits reads a request body. Errors wrap inventory.ErrMalformed,
// ErrUnsupported or ErrLimit and say what is wrong.
func ParseWithLimits(data []byte, lim inventory.Limits) (*Message, error) {
	req, err := mapping.ReadRequest(data, lim)
	if err != nil {
		return nil, fmt.Errorf("fusion: %w", err)
	}
	m := &Message{Query: req.Query, DeviceID: req.DeviceID, Token: req.Token}
	switch req.Query {
	case QueryProlog:
		return m, nil
	case QueryInventory:
		if req.Content == nil {
			return nil, fmt.Errorf("fusion: %w: INVENTORY request without CONTENT", inventory.ErrMalformed)
		}
		m.Inventory = computer(req)
	case QuerySNMPQuery, QuerySNMP:
		if req.Content == nil {
			return nil, fmt.Errorf("fusion: %w: %s request without CONTENT", inventory.ErrMalformed, req.Query)
		}
		m.Inventory = network(req, inventory.ActionNetInventory)
	case QueryNetDiscovery:
		if req.Content == nil {
			return nil, fmt.Errorf("fusion: %w: NETDISCOVERY request without CONTENT", inventory.ErrMalformed)
		}
		m.Inventory = network(req, inventory.ActionNetDiscovery)
	default:
		return nil, fmt.Errorf("fusion: %w: QUERY %q is not read by parc (PROLOG, INVENTORY, SNMPQUERY and NETDISCOVERY are)",
			inventory.ErrUnsupported, tree.Clip(req.Query))
	}
	return m, nil
}

// ParseInventory reads a request that must carry an inventory (not a PROLOG).
func ParseInventory(data []byte) (*inventory.Inventory, error) {
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if m.Inventory == nil {
		return nil, fmt.Errorf("fusion: %w: a %s request carries no inventory", inventory.ErrUnsupported, m.Query)
	}
	return m.Inventory, nil
}

func newBuilder(req *mapping.Request) *mapping.Builder {
	b := mapping.New(inventory.FormatFusion)
	b.Inv.DeviceID = req.DeviceID
	b.Warnings(req.Warnings)
	return b
}

func computer(req *mapping.Request) *inventory.Inventory {
	b := newBuilder(req)
	b.Content(req.Content)
	inv := b.Inv
	switch t := inventory.ItemType(req.ItemType); t {
	case inventory.ItemComputer, inventory.ItemPhone:
		inv.ItemType = t
	}
	// Old agents report the system only in HARDWARE: OSNAME, and the kernel release in
	// OSVERSION.
	if hw := req.Content.Child("HARDWARE"); !inv.Has(inventory.SectionOS) && hw.Value("OSNAME") != "" {
		inv.OS = inventory.OS{Name: hw.Value("OSNAME"), FullName: hw.Value("OSNAME"), Kernel: hw.Value("OSVERSION")}
		inv.MarkPresent(inventory.SectionOS)
	}
	return b.Finish()
}

// network maps an SNMP inventory or a network discovery: one DEVICE per request.
func network(req *mapping.Request, action inventory.Action) *inventory.Inventory {
	b := newBuilder(req)
	inv := b.Inv
	inv.Action = action
	inv.ItemType = inventory.ItemUnmanaged
	inv.Agent = inventory.ParseAgent(req.Content.Value("MODULEVERSION"))
	devices := 0
	for dev := range req.Content.Each("DEVICE") {
		if devices++; devices > 1 {
			b.Warn("%s: only the first DEVICE is read", req.Query)
			break
		}
		if action == inventory.ActionNetDiscovery {
			b.DiscoveredDevice(dev)
		} else {
			b.DeviceXML(dev)
		}
	}
	if inv.Device != nil {
		inv.ItemType = mapping.ItemTypeOf(inv.Device.Type)
	}
	return b.Finish()
}
