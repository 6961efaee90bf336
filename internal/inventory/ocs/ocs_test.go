package ocs

import (
	"errors"
	"strings"
	"testing"

	"parc/internal/inventory"
	it "parc/internal/inventory/inventorytest"
	"parc/internal/inventory/wire"
)

func parseFile(t *testing.T, name string) *inventory.Inventory {
	t.Helper()
	inv, err := ParseInventory(it.Read(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return inv
}

// The OCS Inventory unix agent 2.10 of Debian 12, run on the development VM (the same
// machine as the FusionInventory fixtures).
func TestDebian12(t *testing.T) {
	inv := parseFile(t, "ocsinventory-2.10-debian12.ocs")
	it.Eq(t, "format", inv.Format, inventory.FormatOCS)
	it.Eq(t, "action", inv.Action, inventory.ActionInventory)
	it.Eq(t, "itemtype", inv.ItemType, inventory.ItemComputer)
	it.Eq(t, "deviceid", inv.DeviceID, "vm-2026-11-24-00-53-52")
	it.Eq(t, "agent (only in User-Agent)", inv.Agent, inventory.Agent{})
	it.Eq(t, "sections", it.SectionList(inv),
		"bios,controllers,cpus,drives,hardware,local_groups,local_users,networks,operatingsystem,softwares,storages")

	// <BIOS></BIOS>: reported, and empty.
	it.Eq(t, "bios", inv.BIOS, inventory.BIOS{})
	it.Eq(t, "serial", inv.Serial(), "")
	it.Eq(t, "uuid", inv.Hardware.UUID, "")
	it.Eq(t, "hardware", inv.Hardware, inventory.Hardware{Name: "vm", Workgroup: "WORKGROUP", VMSystem: "Physical", MemoryMB: 24105,
		DNS: "10.255.255.53", DefaultGateway: "192.0.2.1"})
	// HARDWARE carries the system; INSTALLDATE "1970-00-01" is no date.
	it.Eq(t, "os", inv.OS, inventory.OS{Name: "Debian GNU/Linux 12", Version: "12", FullName: "Debian GNU/Linux 12 (bookworm)", Arch: "x86_64"})
	it.Eq(t, "warnings", strings.Join(inv.Warnings, "\n"), `HARDWARE/INSTALLDATE: "1970-00-01" is not a date`)

	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "AMD EPYC", Manufacturer: "AMD", Cores: 2, Threads: 2, Arch: "x86_64"})
	it.Eq(t, "memory", inv.TotalMemoryMB(), 24105)
	it.Eq(t, "storages", len(inv.Storages), 2)
	it.Eq(t, "vda (DISKSIZE 274877.906944)", inv.Storages[0], inventory.Storage{Name: "vda", SizeMB: 274877, Type: "disk"})
	it.Eq(t, "zram0", inv.Storages[1], inventory.Storage{Name: "zram0", Type: "disk"})
	it.Eq(t, "total disk", inv.TotalDiskMB(), 274877)
	it.Eq(t, "volume", inv.Volumes[0], inventory.Volume{Device: "/dev/vda", Mount: "/", FSType: "ext4", TotalMB: 258019, FreeMB: 78805})

	it.Eq(t, "interfaces (no loopback)", len(inv.Networks), 3)
	eth := it.Network(t, inv, "eth0", "02:fc:00:00:00:01")
	it.Eq(t, "eth0 addresses (IPv6 in IPADDRESS)", it.Addresses(eth), "192.0.2.2/24 fe80::fc:ff:fe00:1/64")
	it.Eq(t, "eth0 gateways", eth.Gateway+" "+eth.Gateway6, "192.0.2.1 fe80::")
	it.Eq(t, "eth0 mtu", eth.MTU, 1400)
	it.Eq(t, "eth0 speed (-1 Mbps)", eth.SpeedMbps, 0)
	it.Eq(t, "ifb0 type (ether)", it.Network(t, inv, "ifb0", "6e:82:15:52:07:74").Type, "ethernet")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "02:fc:00:00:00:01 4e:f9:c5:b1:46:7e 6e:82:15:52:07:74")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "192.0.2.2")

	it.Eq(t, "softwares", len(inv.Softwares), 1231)
	it.Eq(t, "bash", it.Software(t, inv, "bash"), inventory.Software{Name: "bash", Version: "5.2.15-2+b8", InstallDate: "2025-04-20",
		Arch: "amd64", Source: "deb", SizeBytes: 7335936, Comments: "GNU Bourne Again SHell",
		URL: "http://tiswww.case.edu/php/chet/bash/bashtop.html"})
	// "libssl3:amd64" in the document.
	it.Eq(t, "libssl3", it.Software(t, inv, "libssl3").Version, "3.0.19-1~deb12u2")
	it.Eq(t, "perl", it.Software(t, inv, "perl").InstallDate, "2026-10-23")
	it.Eq(t, "ocsinventory-agent", it.Software(t, inv, "ocsinventory-agent").Version, "2:2.10.0-3")
	it.Eq(t, "postgresql-15", it.Software(t, inv, "postgresql-15").Version, "15.18-0+deb12u1")
	for _, s := range inv.Softwares {
		if strings.HasSuffix(s.Name, ":amd64") || strings.HasPrefix(s.Publisher, "http") {
			t.Errorf("software not normalised: %+v", s)
			break
		}
	}

	it.Eq(t, "local users", len(inv.LocalUsers), 26)
	it.Eq(t, "root (uid 0 not sent)", inv.LocalUsers[0], inventory.LocalUser{Login: "root", Name: "root", Home: "/root", Shell: "/bin/bash"})
	it.Eq(t, "daemon", inv.LocalUsers[1].ID, "1")
	it.Eq(t, "local groups", len(inv.LocalGroups), 50)
	it.Eq(t, "group 1", inv.LocalGroups[1].Name+" "+inv.LocalGroups[1].ID+" "+strings.Join(inv.LocalGroups[1].Members, ","), "daemon 1 daemon")

	it.Eq(t, "controllers", len(inv.Controllers), 6)
	it.Eq(t, "host bridge", inv.Controllers[0], inventory.Controller{Name: "Intel Corporation Device", Type: "Host bridge",
		PCIClass: "0600", PCISlot: "00:00.0", VendorID: "8086", ProductID: "0d57"})
	it.Eq(t, "balloon", inv.Controllers[1], inventory.Controller{Name: "Red Hat, Inc. Virtio 1.0 memory balloon", Type: "Unassigned class",
		Driver: "virtio", PCIClass: "ffff", PCISlot: "00:01.0", VendorID: "1af4", ProductID: "1045", Rev: "01"})

	// VMSYSTEM says "Physical"; the virtio devices say otherwise.
	virtual, system := inv.Virtualization()
	it.Eq(t, "virtual", virtual, true)
	it.Eq(t, "vm system", system, "KVM")
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}
}

func TestDebian12VM(t *testing.T) {
	inv := parseFile(t, "ocsinventory-2.10-debian12-vm.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "vm-2026-11-23-23-22-32")
	it.Eq(t, "softwares", len(inv.Softwares), 774)
	it.Eq(t, "coreutils", it.Software(t, inv, "coreutils").Version+" "+it.Software(t, inv, "coreutils").URL,
		"9.1-1 http://gnu.org/software/coreutils")
	it.Eq(t, "free", inv.Volumes[0].FreeMB, 81775)
	it.Eq(t, "local users", len(inv.LocalUsers), 24)
	it.Eq(t, "local groups", len(inv.LocalGroups), 47)
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "02:fc:00:00:00:01 4e:f9:c5:b1:46:7e 6e:82:15:52:07:74")

	later := parseFile(t, "ocsinventory-2.10-debian12.ocs").SectionHashes()
	before := inv.SectionHashes()
	// HARDWARE/DESCRIPTION holds the uptime: left out, else the section would change at
	// every run.
	for _, s := range []string{"bios", "controllers", "cpus", "hardware", "networks", "operatingsystem", "storages"} {
		if before[s] != later[s] {
			t.Errorf("section %s changed", s)
		}
	}
	for _, s := range []string{"softwares", "drives", "local_users", "local_groups"} {
		if before[s] == later[s] {
			t.Errorf("section %s did not change", s)
		}
	}
}

// What the agent sent with --nosoftware, and its PROLOG.
func TestWireCaptures(t *testing.T) {
	body, c, err := wire.Decode(it.Read(t, "wire/ocsinventory-2.10-inventory-nosoftware.zlib"), "application/x-compress", wire.Limits{})
	if err != nil || c != wire.Zlib {
		t.Fatalf("decode: %v %v", c, err)
	}
	m, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "query", m.Query, QueryInventory)
	inv := m.Inventory
	it.Eq(t, "deviceid", inv.DeviceID, "vm-2026-11-24-00-54-12")
	it.Eq(t, "sections (no softwares)", it.SectionList(inv),
		"bios,controllers,cpus,drives,hardware,local_groups,local_users,networks,operatingsystem,storages")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "02:fc:00:00:00:01 4e:f9:c5:b1:46:7e 6e:82:15:52:07:74")
	it.Eq(t, "hostname", inv.Hardware.Name, "vm")

	for _, name := range []string{"wire/ocsinventory-2.10-prolog.zlib", "wire/ocsinventory-2.10-prolog.xml"} {
		body, _, err := wire.Decode(it.Read(t, name), "application/x-compress", wire.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		it.Eq(t, name+" query", m.Query, QueryProlog)
		it.Eq(t, name+" deviceid", m.DeviceID, "vm-2026-11-24-00-54-12")
		if m.Inventory != nil {
			t.Errorf("%s: inventory in a PROLOG", name)
		}
		if _, err := ParseInventory(body); !errors.Is(err, inventory.ErrUnsupported) {
			t.Errorf("ParseInventory(PROLOG) = %v", err)
		}
	}
}

// Older agents put the kernel in OSVERSION and its build in OSCOMMENTS.
func TestOlderAgentHardware(t *testing.T) {
	doc := `<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>old</DEVICEID><CONTENT>
<HARDWARE><NAME>old</NAME><OSNAME>Debian GNU/Linux 9.13</OSNAME><OSVERSION>4.9.0-19-amd64</OSVERSION>
<OSCOMMENTS>#1 SMP Debian 4.9.320-2 (2022-06-30)</OSCOMMENTS><DESCRIPTION>x86_64/00-03-01 10:00:00</DESCRIPTION>
<INSTALLDATE>2018-04-02</INSTALLDATE></HARDWARE>
<CONTROLLERS><NAME>Weird</NAME><TYPE>rev 02</TYPE></CONTROLLERS></CONTENT></REQUEST>`
	inv, err := ParseInventory([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "os", inv.OS, inventory.OS{Name: "Debian GNU/Linux 9.13", FullName: "Debian GNU/Linux 9.13", Kernel: "4.9.0-19-amd64",
		Arch: "x86_64", InstallDate: "2018-04-02"})
	it.Eq(t, "controller without class", inv.Controllers[0], inventory.Controller{Name: "Weird", Rev: "02"})
}

func TestErrors(t *testing.T) {
	for doc, want := range map[string]error{
		`<REQUEST><QUERY>SNMPQUERY</QUERY><CONTENT/></REQUEST>`:        inventory.ErrUnsupported,
		`<REQUEST><QUERY>INVENTORY</QUERY></REQUEST>`:                  inventory.ErrMalformed,
		`<REQUEST><QUERY>INVENTORY</QUERY><CONTENT></REQUEST>`:         inventory.ErrMalformed,
		`<?xml version="1.0" encoding="UTF-16"?><REQUEST></REQUEST>`:   inventory.ErrUnsupported,
		"<REQUEST>" + strings.Repeat("<A>", 33) + "</A></REQUEST>":     inventory.ErrLimit,
		`<REQUEST><QUERY>INVENTORY</QUERY><CONTENT/></REQUEST><MORE/>`: inventory.ErrMalformed,
	} {
		if _, err := Parse([]byte(doc)); !errors.Is(err, want) || !strings.HasPrefix(err.Error(), "ocs: ") {
			t.Errorf("%.60s: err = %v, want %v", doc, err, want)
		}
	}
}
