// Package glpi reads GLPI Agent's native JSON requests (the inventory format of GLPI 10,
// described by glpi-project/inventory_format's inventory.schema.json):
//
//   - {"action":"contact","deviceid":...,"name":"GLPI-Agent_v1.7","installed-tasks":[...]}
//     opens each contact;
//   - {"action":"inventory","deviceid":...,"itemtype":"Computer","partial":false,
//     "content":{...}} carries an inventory; a request without action is one too;
//   - "netinventory" and "netdiscovery" carry what the agent's network tasks found.
//
// The content's sections are FusionInventory's in lower case and are read by the same
// mapping as the XML protocols.
package glpi

import (
	"fmt"
	"strings"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/mapping"
	"parc/internal/inventory/internal/tree"
)

// Actions this package reads.
const (
	ActionContact      = "contact"
	ActionInventory    = "inventory"
	ActionNetInventory = "netinventory"
	ActionNetDiscovery = "netdiscovery"
	ActionInjector     = "injector" // GLPI's load-testing tool, sending inventories
)

// Message is one request.
type Message struct {
	Action   string // lower case, one of the Action constants
	DeviceID string
	// Contact is set for a contact request, Inventory for the others.
	Contact   *Contact
	Inventory *inventory.Inventory
}

// Contact is the request that opens an agent's contact: the server answers with the
// tasks it wants run and when to come back.
type Contact struct {
	Agent          inventory.Agent
	InstalledTasks []string
	EnabledTasks   []string
	Tag            string
}

// Parse reads a request body (already decompressed, see package wire) with the
// default limits.
func Parse(data []byte) (*Message, error) {
	return ParseWithLimits(data, inventory.DefaultLimits())
}

// ParseWithLimits reads a request body. Errors wrap inventory.ErrMalformed,
// ErrUnsupported or ErrLimit and say what is wrong.
func ParseWithLimits(data []byte, lim inventory.Limits) (*Message, error) {
	root, err := tree.ParseJSON(data, lim)
	if err != nil {
		return nil, fmt.Errorf("glpi: %w", err)
	}
	m := &Message{
		Action:   strings.ToLower(root.Value("ACTION")),
		DeviceID: root.Value("DEVICEID"),
	}
	switch m.Action {
	case ActionContact:
		m.Contact = contact(root)
		return m, nil
	case "", ActionInventory, ActionInjector, ActionNetInventory, ActionNetDiscovery:
		if m.Action == "" {
			m.Action = ActionInventory
		}
		inv, err := inventoryOf(root, m.Action)
		if err != nil {
			return nil, fmt.Errorf("glpi: %w", err)
		}
		m.Inventory = inv
		return m, nil
	default:
		return nil, fmt.Errorf("glpi: %w: action %q is not read by parc (contact, inventory, netinventory and netdiscovery are)",
			inventory.ErrUnsupported, tree.Clip(m.Action))
	}
}

// ParseInventory reads a request that must carry an inventory (not a contact).
func ParseInventory(data []byte) (*inventory.Inventory, error) {
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if m.Inventory == nil {
		return nil, fmt.Errorf("glpi: %w: a %s request carries no inventory", inventory.ErrUnsupported, m.Action)
	}
	return m.Inventory, nil
}

func contact(root *tree.Node) *Contact {
	c := &Contact{Agent: inventory.ParseAgent(root.Value("NAME")), Tag: root.Value("TAG")}
	for _, n := range root.Children {
		switch n.Name {
		case "INSTALLED-TASKS":
			if n.Text != "" {
				c.InstalledTasks = append(c.InstalledTasks, n.Text)
			}
		case "ENABLED-TASKS":
			if n.Text != "" {
				c.EnabledTasks = append(c.EnabledTasks, n.Text)
			}
		}
	}
	return c
}

func inventoryOf(root *tree.Node, action string) (*inventory.Inventory, error) {
	content := root.Child("CONTENT")
	if content == nil || content.Text != "" {
		return nil, fmt.Errorf("%w: an %s request needs a content object", inventory.ErrMalformed, action)
	}
	b := mapping.New(inventory.FormatGLPI)
	inv := b.Inv
	inv.DeviceID = root.Value("DEVICEID")
	inv.Tag = root.Value("TAG")
	inv.Partial = mapping.Bool(root.Value("PARTIAL"))
	switch action {
	case ActionNetInventory:
		inv.Action = inventory.ActionNetInventory
	case ActionNetDiscovery:
		inv.Action = inventory.ActionNetDiscovery
	}
	b.Content(content)

	itemType := root.Value("ITEMTYPE")
	switch t := inventory.ItemType(itemType); t {
	case inventory.ItemComputer, inventory.ItemPhone, inventory.ItemNetworkEquipment,
		inventory.ItemPrinter, inventory.ItemUnmanaged:
		inv.ItemType = t
	case "":
		if inv.Action != inventory.ActionInventory {
			inv.ItemType = inventory.ItemUnmanaged
			if inv.Device != nil {
				inv.ItemType = mapping.ItemTypeOf(inv.Device.Type)
			}
		}
	default:
		return nil, fmt.Errorf("%w: itemtype %q is not read by parc (Computer, Phone, NetworkEquipment, Printer and Unmanaged are)",
			inventory.ErrUnsupported, tree.Clip(itemType))
	}
	return b.Finish(), nil
}
