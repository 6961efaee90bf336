// Package mapping turns the sections of an agent document, read into a tree, into the
// normalised model. FusionInventory XML, OCS XML and GLPI JSON share most of their
// sections (GLPI's JSON is FusionInventory's XML in lower case); this package maps them
// once, reading each field under every name the formats give it. What a protocol means
// differently is mapped in that protocol's package.
package mapping

import (
	"fmt"
	"strings"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/tree"
)

// maxWarnings bounds the warnings kept for one document.
const maxWarnings = 50

// Builder fills one Inventory.
type Builder struct {
	Inv *inventory.Inventory

	nets            []*inventory.Network
	netIndex        map[string]*inventory.Network
	versionClient   string
	versionProv     inventory.Agent
	warningsDropped int
}

// New starts an inventory of the given format.
func New(format inventory.Format) *Builder {
	return &Builder{Inv: &inventory.Inventory{Format: format, Action: inventory.ActionInventory, ItemType: inventory.ItemComputer}}
}

// Warn records a value that was dropped or repaired.
func (b *Builder) Warn(format string, args ...any) {
	if len(b.Inv.Warnings) >= maxWarnings {
		b.warningsDropped++
		return
	}
	b.Inv.Warnings = append(b.Inv.Warnings, fmt.Sprintf(format, args...))
}

// Warnings records warnings gathered elsewhere (while reading the document).
func (b *Builder) Warnings(ws []string) {
	for _, w := range ws {
		b.Warn("%s", w)
	}
}

// Finish completes the inventory: merges the network entries and settles the agent.
func (b *Builder) Finish() *inventory.Inventory {
	for _, n := range b.nets {
		b.Inv.Networks = append(b.Inv.Networks, *n)
	}
	b.nets, b.netIndex = nil, nil
	if b.Inv.Agent == (inventory.Agent{}) {
		b.Inv.Agent = inventory.ParseAgent(b.versionClient)
		if b.Inv.Agent.Name == "" && b.versionProv.Name != "" {
			b.Inv.Agent = b.versionProv
		}
	}
	if b.warningsDropped > 0 {
		b.Inv.Warnings = append(b.Inv.Warnings, fmt.Sprintf("%d more warnings left out", b.warningsDropped))
		b.warningsDropped = 0
	}
	return b.Inv
}

// single reports whether a one-element section is seen for the first time, and marks
// it present; a repeated one is ignored with a warning.
func (b *Builder) single(s inventory.Section, n *tree.Node) bool {
	if b.Inv.Has(s) {
		b.Warn("section %s is repeated: only the first one is read", b.spell(n.Name))
		return false
	}
	b.Inv.MarkPresent(s)
	return true
}

// list marks a list section present and reports whether the element holds an item
// (an empty element only tells that the section was sent).
func (b *Builder) list(s inventory.Section, n *tree.Node) bool {
	b.Inv.MarkPresent(s)
	return !n.Empty()
}

// Content maps the sections of a CONTENT element (XML) or content object (JSON).
func (b *Builder) Content(content *tree.Node) {
	for _, n := range content.Children {
		b.section(n)
	}
}

func (b *Builder) section(n *tree.Node) {
	inv := b.Inv
	switch n.Name {
	case "HARDWARE":
		if b.single(inventory.SectionHardware, n) {
			b.hardware(n)
		}
	case "BIOS":
		if b.single(inventory.SectionBIOS, n) {
			b.bios(n)
		}
	case "OPERATINGSYSTEM":
		if b.single(inventory.SectionOS, n) {
			b.os(n)
		}
	case "CPUS":
		if b.list(inventory.SectionCPUs, n) {
			inv.CPUs = append(inv.CPUs, b.cpu(n))
		}
	case "MEMORIES":
		if b.list(inventory.SectionMemories, n) {
			if m, ok := b.memory(n); ok {
				inv.Memories = append(inv.Memories, m)
			}
		}
	case "STORAGES":
		if b.list(inventory.SectionStorages, n) {
			inv.Storages = append(inv.Storages, b.storage(n))
		}
	case "DRIVES":
		if b.list(inventory.SectionVolumes, n) {
			inv.Volumes = append(inv.Volumes, b.volume(n))
		}
	case "NETWORKS":
		if b.list(inventory.SectionNetworks, n) {
			b.network(n)
		}
	case "SOFTWARES":
		if b.list(inventory.SectionSoftwares, n) {
			if s, ok := b.software(n); ok {
				inv.Softwares = append(inv.Softwares, s)
			}
		}
	case "USERS", "USER":
		if b.list(inventory.SectionUsers, n) {
			if u := (inventory.User{Login: n.Value("LOGIN"), Domain: n.Value("DOMAIN")}); u.Login != "" {
				inv.Users = append(inv.Users, u)
			}
		}
	case "LOCAL_USERS":
		if b.list(inventory.SectionLocalUsers, n) {
			if u := b.localUser(n); u.Login != "" {
				inv.LocalUsers = append(inv.LocalUsers, u)
			}
		}
	case "LOCAL_GROUPS":
		if b.list(inventory.SectionLocalGroups, n) {
			if g := b.localGroup(n); g.Name != "" {
				inv.LocalGroups = append(inv.LocalGroups, g)
			}
		}
	case "MONITORS":
		if b.list(inventory.SectionMonitors, n) {
			inv.Monitors = append(inv.Monitors, b.monitor(n))
		}
	case "BATTERIES":
		if b.list(inventory.SectionBatteries, n) {
			inv.Batteries = append(inv.Batteries, b.battery(n))
		}
	case "VIRTUALMACHINES":
		if b.list(inventory.SectionVirtualMachines, n) {
			inv.VirtualMachines = append(inv.VirtualMachines, b.virtualMachine(n))
		}
	case "ANTIVIRUS":
		if b.list(inventory.SectionAntivirus, n) {
			inv.Antivirus = append(inv.Antivirus, b.antivirus(n))
		}
	case "CONTROLLERS":
		if b.list(inventory.SectionControllers, n) {
			inv.Controllers = append(inv.Controllers, Controller(n))
		}
	case "VIDEOS":
		if b.list(inventory.SectionVideos, n) {
			inv.Videos = append(inv.Videos, b.video(n))
		}
	case "FIRMWARES":
		if b.list(inventory.SectionFirmwares, n) {
			inv.Firmwares = append(inv.Firmwares, b.firmware(n))
		}
	case "REMOTE_MGMT":
		if b.list(inventory.SectionRemoteMgmt, n) {
			if m := (inventory.RemoteMgmt{Type: strings.ToLower(n.Value("TYPE")), ID: n.Value("ID"), Version: n.Value("VERSION")}); m.ID != "" {
				inv.RemoteMgmt = append(inv.RemoteMgmt, m)
			}
		}
	case "POWERSUPPLIES":
		if b.list(inventory.SectionPowerSupplies, n) {
			inv.PowerSupplies = append(inv.PowerSupplies, b.powerSupply(n))
		}
	case "NETWORK_DEVICE":
		if b.single(inventory.SectionNetworkDevice, n) {
			inv.Device = b.device(n)
		}
	case "NETWORK_PORTS":
		if b.list(inventory.SectionPorts, n) {
			inv.Ports = append(inv.Ports, b.port(n))
		}
	case "VERSIONCLIENT":
		if b.versionClient == "" {
			b.versionClient = n.Text
		}
	case "VERSIONPROVIDER":
		b.versionProv = inventory.Agent{Name: n.Value("NAME"), Version: n.Value("VERSION")}
	case "ACCOUNTINFO":
		if n.Value("KEYNAME") == "TAG" && inv.Tag == "" {
			inv.Tag = n.Value("KEYVALUE")
		}
	}
}
