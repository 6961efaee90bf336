package mapping

import (
	"strings"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/tree"
)

// network maps one NETWORKS entry. Agents send one entry per address, repeating the
// interface's other facts; entries with the same name and MAC are merged into one
// interface, in the order they first appear.
func (b *Builder) network(n *tree.Node) {
	e := inventory.Network{
		Name:       n.Value("DESCRIPTION", "NAME"),
		MAC:        b.mac(n, "MACADDR", "MAC"),
		Type:       strings.ToLower(n.Value("TYPE")),
		Status:     strings.ToLower(n.Value("STATUS")),
		Virtual:    Bool(n.Value("VIRTUALDEV")),
		Management: Bool(n.Value("MANAGEMENT")),
		SpeedMbps:  SpeedMbps(n.Value("SPEED")),
		MTU:        b.count(n, "MTU"),
		Driver:     n.Value("DRIVER"),
		PCISlot:    n.Value("PCISLOT"),
	}
	switch e.Type {
	case "local":
		e.Type = "loopback"
	case "ether":
		e.Type = "ethernet" // OCS
	}
	b.address(&e, n, "IPADDRESS", "IPMASK")
	b.address(&e, n, "IPADDRESS6", "IPMASK6")
	if gw := n.Value("IPGATEWAY"); gw != "" {
		a, ok := Addr(gw)
		switch {
		case !ok:
			b.Warn("%s: %q is not an IP address", b.path(n, "IPGATEWAY"), tree.Clip(gw))
		case a.Is4():
			e.Gateway = a.String()
		case a.IsValid():
			e.Gateway6 = a.String()
		}
	}
	if s := n.Value("IPDHCP"); s != "" {
		if a, ok := Addr(s); ok && a.IsValid() {
			e.DHCPServer = a.String()
		}
	}
	if e.Type == "" && (isLoopback(e.IPv4) || isLoopback(e.IPv6)) {
		e.Type = "loopback"
	}
	b.mergeNetwork(e)
}

// address adds an address to the interface, in the list of its family (OCS reports
// IPv6 addresses in IPADDRESS).
func (b *Builder) address(e *inventory.Network, n *tree.Node, addrField, maskField string) {
	addr, mask := n.Value(addrField), n.Value(maskField)
	if addr == "" {
		return
	}
	a, ok := Addr(addr)
	if !ok {
		b.Warn("%s: %q is not an IP address", b.path(n, addrField), tree.Clip(addr))
		return
	}
	if !a.IsValid() {
		return // 0.0.0.0: no address
	}
	ip := inventory.IPAddress{Address: a.String(), Mask: strings.TrimSpace(mask), Prefix: Prefix(mask, a.BitLen())}
	if a.Is4() {
		e.IPv4 = append(e.IPv4, ip)
	} else {
		e.IPv6 = append(e.IPv6, ip)
	}
}

func isLoopback(addrs []inventory.IPAddress) bool {
	for _, a := range addrs {
		if ad, ok := Addr(a.Address); ok && ad.IsLoopback() {
			return true
		}
	}
	return false
}

func (b *Builder) mergeNetwork(e inventory.Network) {
	key := e.Name + "\x00" + e.MAC
	if b.netIndex == nil {
		b.netIndex = make(map[string]*inventory.Network)
	}
	cur, ok := b.netIndex[key]
	if !ok {
		n := e
		b.nets = append(b.nets, &n)
		b.netIndex[key] = &n
		return
	}
	cur.IPv4 = appendNew(cur.IPv4, e.IPv4)
	cur.IPv6 = appendNew(cur.IPv6, e.IPv6)
	fill(&cur.Type, e.Type)
	fill(&cur.Status, e.Status)
	fill(&cur.Driver, e.Driver)
	fill(&cur.PCISlot, e.PCISlot)
	fill(&cur.Gateway, e.Gateway)
	fill(&cur.Gateway6, e.Gateway6)
	fill(&cur.DHCPServer, e.DHCPServer)
	cur.Virtual = cur.Virtual || e.Virtual
	cur.Management = cur.Management || e.Management
	cur.SpeedMbps = max(cur.SpeedMbps, e.SpeedMbps)
	cur.MTU = max(cur.MTU, e.MTU)
}

func appendNew(list, add []inventory.IPAddress) []inventory.IPAddress {
next:
	for _, a := range add {
		for _, l := range list {
			if l.Address == a.Address {
				continue next
			}
		}
		list = append(list, a)
	}
	return list
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
