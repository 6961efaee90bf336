package mapping

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/tree"
)

// DeviceXML maps the DEVICE element of a FusionInventory SNMP inventory: INFO (the
// device), PORTS, FIRMWARES and DRIVES.
func (b *Builder) DeviceXML(dev *tree.Node) {
	for _, n := range dev.Children {
		switch n.Name {
		case "INFO":
			if b.single(inventory.SectionNetworkDevice, n) {
				b.Inv.Device = b.device(n)
			}
		case "PORTS":
			b.Inv.MarkPresent(inventory.SectionPorts)
			for p := range n.Each("PORT") {
				b.Inv.Ports = append(b.Inv.Ports, b.port(p))
			}
		case "FIRMWARES", "DRIVES":
			b.section(n)
		}
	}
}

// DiscoveredDevice maps the DEVICE element of a network discovery, which holds the
// device's facts directly.
func (b *Builder) DiscoveredDevice(dev *tree.Node) {
	if b.single(inventory.SectionNetworkDevice, dev) {
		b.Inv.Device = b.device(dev)
	}
}

func (b *Builder) device(n *tree.Node) *inventory.NetworkDevice {
	return &inventory.NetworkDevice{
		Name:         n.Value("NAME", "SNMPHOSTNAME", "DNSHOSTNAME", "NETBIOSNAME"),
		Type:         DeviceType(n.Value("TYPE")),
		Manufacturer: n.Value("MANUFACTURER"),
		Model:        n.Value("MODEL"),
		Serial:       n.Value("SERIAL"),
		AssetTag:     n.Value("ASSETTAG"),
		Firmware:     n.Value("FIRMWARE"),
		MAC:          b.mac(n, "MAC", "MACADDR"),
		IPs:          b.ips(n),
		Description:  n.Value("DESCRIPTION", "COMMENTS"),
		Location:     n.Value("LOCATION"),
		Contact:      n.Value("CONTACT"),
		Uptime:       n.Value("UPTIME"),
		MemoryMB:     b.count(n, "MEMORY"),
		RAMMB:        b.count(n, "RAM"),
	}
}

func (b *Builder) port(n *tree.Node) inventory.Port {
	p := inventory.Port{
		Number:      b.count(n, "IFNUMBER"),
		Name:        n.Value("IFNAME"),
		Description: n.Value("IFDESCR"),
		Alias:       n.Value("IFALIAS"),
		MAC:         b.mac(n, "MAC"),
		IfType:      b.count(n, "IFTYPE"),
		MTU:         b.count(n, "IFMTU"),
		Status:      b.count(n, "IFSTATUS"),
		IPs:         b.ips(n),
	}
	if bps, ok := Float(n.Value("IFSPEED")); ok && bps > 0 {
		p.SpeedMbps, _ = clamp(bps / 1e6)
	}
	return p
}

// ips gathers the addresses of an element: IP children, IPS children holding IP
// elements (XML) and IPS values (JSON arrays).
func (b *Builder) ips(n *tree.Node) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		a, ok := Addr(s)
		if !ok {
			b.Warn("%s: %q is not an IP address", b.path(n, "IP"), tree.Clip(s))
			return
		}
		if !a.IsValid() {
			return
		}
		v := a.String()
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	for _, c := range n.Children {
		switch c.Name {
		case "IP":
			add(c.Text)
		case "IPS":
			add(c.Text)
			for ip := range c.Each("IP") {
				add(ip.Text)
			}
		}
	}
	return out
}

// DeviceType spells an SNMP device type as GLPI does: "NETWORKING" is "Networking".
func DeviceType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" {
		return ""
	}
	if t == "kvm" {
		return "KVM"
	}
	r, size := utf8.DecodeRuneInString(t)
	return string(unicode.ToUpper(r)) + t[size:]
}

// ItemTypeOf gives the item type of an SNMP device type.
func ItemTypeOf(deviceType string) inventory.ItemType {
	switch deviceType {
	case "Computer":
		return inventory.ItemComputer
	case "Phone":
		return inventory.ItemPhone
	case "Printer":
		return inventory.ItemPrinter
	case "Networking", "Storage", "Power", "Video", "KVM":
		return inventory.ItemNetworkEquipment
	}
	return inventory.ItemUnmanaged
}
