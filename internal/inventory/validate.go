package inventory

import (
	"strconv"
	"strings"
)

// Problem is one missing or wrong essential of an inventory.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists what makes an inventory unusable. It wraps ErrMalformed.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid inventory: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field + ": " + p.Message)
	}
	return b.String()
}

func (e *ValidationError) Unwrap() error { return ErrMalformed }

// Validate reports, as a *ValidationError, what an inventory lacks to be stored: the
// agent's device id, something to recognise the device by, and the section that
// describes it. Parsers do not call it: a caller may still want to log what came in.
func (inv *Inventory) Validate() error {
	var probs []Problem
	add := func(field, msg string) { probs = append(probs, Problem{field, msg}) }

	if strings.TrimSpace(inv.DeviceID) == "" {
		add("deviceid", "missing: the agent must send its DEVICEID (deviceid in JSON)")
	}
	switch inv.ItemType {
	case ItemComputer, ItemPhone, ItemNetworkEquipment, ItemPrinter, ItemUnmanaged:
	default:
		add("itemtype", "unknown item type "+quote(string(inv.ItemType)))
	}
	switch inv.Action {
	case ActionInventory:
		if !inv.Partial && !inv.Has(SectionHardware) {
			add("hardware", "missing: a full inventory must carry the HARDWARE section")
		}
		// A partial inventory updates a device already known by its agent's deviceid.
		id := inv.Identity()
		if !inv.Partial && id.Name == "" && id.Serial == "" && id.UUID == "" && len(id.MACs) == 0 {
			add("hardware", "nothing to recognise the device by: no hostname, serial number, UUID or MAC address")
		}
	case ActionNetInventory, ActionNetDiscovery:
		if inv.Device == nil {
			add("network_device", "missing: the device's SNMP information (DEVICE/INFO, network_device) was not sent")
			break
		}
		id := inv.Identity()
		if id.Serial == "" && len(id.MACs) == 0 && len(inv.Device.IPs) == 0 && id.Name == "" {
			add("network_device", "nothing to recognise the device by: no name, serial number, MAC or IP address")
		}
	default:
		add("action", "unknown action "+quote(string(inv.Action)))
	}
	if len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

func quote(s string) string {
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "..."
	}
	return strconv.Quote(s)
}
