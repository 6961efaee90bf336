// Package ocs reads the XML requests of the OCS Inventory unix agent (2.x): the PROLOG
// sent before an inventory (skipped with --force) and the INVENTORY.
//
// The document is FusionInventory's older sibling and is read by the same section
// mapping; what OCS means differently is mapped here:
//   - there is no OPERATINGSYSTEM section: HARDWARE carries the system (OSNAME,
//     OSVERSION, OSCOMMENTS, the architecture at the head of DESCRIPTION, INSTALLDATE);
//   - CONTROLLERS give the PCI class in NAME ("Ethernet controller [0200]"), the vendor
//     and device names folded together in MANUFACTURER, the ids as PCIID "8086:0d57"
//     and the revision in TYPE ("rev 01");
//   - Debian packages of a multi-arch system are named "libssl3:amd64": the suffix is
//     dropped, since the architecture is reported apart;
//   - CPUS name the model TYPE and count CORES, THREADS and LOGICAL_CPUS, software
//     has ARCHITECTURE, IPv6 addresses come in IPADDRESS, and speeds carry a unit
//     ("1000 Mbps"): the shared mapping reads those spellings too.
package ocs

import (
	"fmt"
	"regexp"
	"strings"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/mapping"
	"parc/internal/inventory/internal/tree"
)

// Queries this package reads.
const (
	QueryProlog    = "PROLOG"
	QueryInventory = "INVENTORY"
)

// Message is one request.
type Message struct {
	Query    string
	DeviceID string
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
		return nil, fmt.Errorf("ocs: %w", err)
	}
	m := &Message{Query: req.Query, DeviceID: req.DeviceID}
	switch req.Query {
	case QueryProlog:
		return m, nil
	case QueryInventory:
		if req.Content == nil {
			return nil, fmt.Errorf("ocs: %w: INVENTORY request without CONTENT", inventory.ErrMalformed)
		}
		m.Inventory = computer(req)
		return m, nil
	default:
		return nil, fmt.Errorf("ocs: %w: QUERY %q is not read by parc (PROLOG and INVENTORY are)",
			inventory.ErrUnsupported, tree.Clip(req.Query))
	}
}

// ParseInventory reads a request that must carry an inventory.
func ParseInventory(data []byte) (*inventory.Inventory, error) {
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if m.Inventory == nil {
		return nil, fmt.Errorf("ocs: %w: a %s request carries no inventory", inventory.ErrUnsupported, m.Query)
	}
	return m.Inventory, nil
}

func computer(req *mapping.Request) *inventory.Inventory {
	b := mapping.New(inventory.FormatOCS)
	b.Inv.DeviceID = req.DeviceID
	b.Warnings(req.Warnings)
	b.Content(req.Content)
	inv := b.Inv
	if hw := req.Content.Child("HARDWARE"); hw != nil && !inv.Has(inventory.SectionOS) {
		inv.OS = operatingSystem(b, hw)
		inv.MarkPresent(inventory.SectionOS)
	}
	// dpkg names the packages of a multi-arch system "libssl3:amd64"; FusionInventory
	// and GLPI Agent report "libssl3" with the architecture apart.
	for i := range inv.Softwares {
		sw := &inv.Softwares[i]
		if sw.Arch != "" {
			sw.Name = strings.TrimSuffix(sw.Name, ":"+sw.Arch)
		}
	}
	if inv.Has(inventory.SectionControllers) {
		inv.Controllers = inv.Controllers[:0]
		for n := range req.Content.Each("CONTROLLERS") {
			if !n.Empty() {
				inv.Controllers = append(inv.Controllers, controller(n))
			}
		}
	}
	return b.Finish()
}

// operatingSystem reads the system from HARDWARE. Agent 2.10 puts the os-release
// pretty name in OSCOMMENTS and VERSION_ID in OSVERSION; older ones put the kernel
// build ("#1 SMP ...") in OSCOMMENTS and the kernel release in OSVERSION.
func operatingSystem(b *mapping.Builder, hw *tree.Node) inventory.OS {
	os := inventory.OS{Name: hw.Value("OSNAME")}
	if comments := hw.Value("OSCOMMENTS"); strings.HasPrefix(comments, "#") {
		os.FullName = os.Name
		os.Kernel = hw.Value("OSVERSION")
	} else {
		os.FullName = comments
		os.Version = hw.Value("OSVERSION")
	}
	if os.FullName == "" {
		os.FullName = os.Name
	}
	// DESCRIPTION is "architecture/uptime" (the shared mapping leaves it out of Hardware).
	if arch, _, ok := strings.Cut(hw.Value("DESCRIPTION"), "/"); ok {
		os.Arch = arch
	}
	if s := hw.Value("INSTALLDATE"); s != "" {
		d, ok := mapping.Date(s, mapping.DayFirst)
		if !ok {
			b.Warn("HARDWARE/INSTALLDATE: %q is not a date", tree.Clip(s))
		}
		os.InstallDate = d
	}
	return os
}

// pciClass matches OCS's controller NAME: "Ethernet controller [0200]".
var pciClass = regexp.MustCompile(`^(.*?)\s*\[([0-9a-fA-F]{4})\]$`)

func controller(n *tree.Node) inventory.Controller {
	c := mapping.Controller(n)
	if m := pciClass.FindStringSubmatch(n.Value("NAME")); m != nil {
		// NAME is the class; the device's name is folded into MANUFACTURER.
		c.Type, c.PCIClass = m[1], strings.ToLower(m[2])
		c.Name, c.Manufacturer = n.Value("MANUFACTURER"), ""
	}
	if rev, ok := strings.CutPrefix(n.Value("TYPE"), "rev "); ok {
		c.Rev = rev
		if c.Type == n.Value("TYPE") {
			c.Type = ""
		}
	}
	return c
}
