package inventory_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/glpi"
	it "parc/internal/inventory/inventorytest"
	"parc/internal/inventory/ocs"
)

func TestIsDummySerial(t *testing.T) {
	for _, s := range []string{"", " ", "0", "To be filled by O.E.M.", "To Be Filled By O.E.M.", "Default string",
		"System Serial Number", "0000000000", "00000000000000000000", "Not Specified", "None", "123456789",
		"XXXXXXXXXXX", "INVALID", "  not   specified ", "N/A", "FFFFFFFF", "Chassis Serial Number"} {
		if !inventory.IsDummySerial(s) {
			t.Errorf("IsDummySerial(%q) = false", s)
		}
	}
	for _, s := range []string{"640HP72", "CZC0479792", "9E113232I", "W87051UGVUV", "5a30d8711bbadc9d", "00000001", "12"} {
		if inventory.IsDummySerial(s) {
			t.Errorf("IsDummySerial(%q) = true", s)
		}
	}
}

func TestIsDummyUUID(t *testing.T) {
	for _, u := range []string{"", "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
		"ffffffff-ffff-ffff-ffff-ffffffffffff", "03000200-0400-0500-0006-000700080009", " 03000200-0400-0500-0006-000700080009 ",
		"00020003-0004-0005-0006-000700080009", "Not Specified"} {
		if !inventory.IsDummyUUID(u) {
			t.Errorf("IsDummyUUID(%q) = false", u)
		}
	}
	for _, u := range []string{"4c4c4544-0034-3010-8048-b6c04f503732", "00000000-0000-1000-8000-0017F2D11432", "5a30d8711bbadc9d"} {
		if inventory.IsDummyUUID(u) {
			t.Errorf("IsDummyUUID(%q) = true", u)
		}
	}
}

func TestParseAgent(t *testing.T) {
	for s, want := range map[string]inventory.Agent{
		"FusionInventory-Agent_v2.6-3":                                    {"FusionInventory-Agent", "2.6-3"},
		"OCS-NG_unified_unix_agent_v2.10.0":                               {"OCS-NG_unified_unix_agent", "2.10.0"},
		"GLPI-Agent_v1.7":                                                 {"GLPI-Agent", "1.7"},
		"Inventory Agent/1.1.0 (Linux; Android 12; GLPI Inventory Agent)": {"Inventory Agent", "1.1.0"},
		"4.1":              {"", "4.1"},
		"example-app-java": {"example-app-java", ""},
		"my_vendor":        {"my_vendor", ""},
		"  ":               {},
	} {
		if got := inventory.ParseAgent(s); got != want {
			t.Errorf("ParseAgent(%q) = %+v, want %+v", s, got, want)
		}
	}
}

func TestSections(t *testing.T) {
	var inv inventory.Inventory
	for _, s := range []inventory.Section{inventory.SectionSoftwares, inventory.SectionBIOS, inventory.SectionSoftwares, inventory.SectionCPUs} {
		inv.MarkPresent(s)
	}
	it.Eq(t, "sections", it.SectionList(&inv), "bios,cpus,softwares")
	if !inv.Has(inventory.SectionBIOS) || inv.Has(inventory.SectionHardware) {
		t.Error("Has")
	}
	all := inventory.AllSections()
	if !slices.IsSorted(all) || len(all) != 23 {
		t.Errorf("AllSections %v", all)
	}
	// Every section is hashed from its own data: none falls to the default case, which
	// hashes JSON null.
	full := &inventory.Inventory{Sections: all, Device: &inventory.NetworkDevice{}}
	sum := sha256.Sum256([]byte("null"))
	null := hex.EncodeToString(sum[:16])
	for s, v := range full.SectionHashes() {
		if v == null {
			t.Errorf("section %s has no hash of its own", s)
		}
	}
}

func sampleInventory() *inventory.Inventory {
	inv := &inventory.Inventory{
		DeviceID: "pc-2024", Action: inventory.ActionInventory, ItemType: inventory.ItemComputer,
		Hardware: inventory.Hardware{Name: "pc", UUID: "4C4C4544-0034-3010-8048-B6C04F503732", DefaultGateway: "10.0.0.1"},
		BIOS:     inventory.BIOS{SystemSerial: "640HP72", SystemManufacturer: "Dell Inc.", SystemModel: "XPS 13"},
		CPUs:     []inventory.CPU{{Model: "Xeon", Cores: 8}, {Model: "Xeon", Cores: 8}},
		Memories: []inventory.Memory{{CapacityMB: 8192}, {CapacityMB: 8192}},
		Storages: []inventory.Storage{{Name: "sda", SizeMB: 500000}, {Name: "sdb", SizeMB: 1000}},
		Networks: []inventory.Network{
			{Name: "lo", Type: "loopback", IPv4: []inventory.IPAddress{{Address: "127.0.0.1", Prefix: 8}}},
			{Name: "docker0", MAC: "02:42:ac:11:00:01", Virtual: true, Status: "up", IPv4: []inventory.IPAddress{{Address: "172.17.0.1", Prefix: 16}}},
			{Name: "eth0", MAC: "00:e0:4c:68:01:db", Status: "up", IPv4: []inventory.IPAddress{{Address: "10.0.0.5", Prefix: 24}},
				IPv6: []inventory.IPAddress{{Address: "fe80::1", Prefix: 64}, {Address: "2001:db8::5", Prefix: 64}}},
			{Name: "wlan0", MAC: "01:00:5e:00:00:01"}, // multicast: not a MAC list entry
			{Name: "tun0"},
		},
		Softwares: []inventory.Software{{Name: "a", Version: "1"}, {Name: "b", Version: "2"}, {Name: "c", Version: "3"}},
	}
	for _, s := range []inventory.Section{inventory.SectionHardware, inventory.SectionBIOS, inventory.SectionCPUs,
		inventory.SectionMemories, inventory.SectionStorages, inventory.SectionNetworks, inventory.SectionSoftwares} {
		inv.MarkPresent(s)
	}
	return inv
}

func TestSummary(t *testing.T) {
	inv := sampleInventory()
	s := inv.Summary()
	want := inventory.Summary{Name: "pc", Serial: "640HP72", UUID: "4C4C4544-0034-3010-8048-B6C04F503732", Manufacturer: "Dell Inc.",
		Model: "XPS 13", Processor: "2 x Xeon", ProcessorCount: 2, CoreCount: 16, TotalMemoryMB: 16384, TotalDiskMB: 501000,
		PrimaryIP: "10.0.0.5", MACs: []string{"00:e0:4c:68:01:db", "02:42:ac:11:00:01"}, SoftwareCount: 3}
	it.Same(t, "summary", s, want)

	inv.CPUs[1].Model = "Other"
	it.Eq(t, "mixed processors", inv.Processor(), "Xeon")
	inv.Networks[2].IPv4 = nil
	it.Eq(t, "global IPv6 before a virtual bridge", inv.PrimaryIP(), "172.17.0.1")
	inv.Networks[1].IPv4 = nil
	it.Eq(t, "then the global IPv6", inv.PrimaryIP(), "2001:db8::5")
	inv.Networks = inv.Networks[:1]
	it.Eq(t, "loopback only", inv.PrimaryIP(), "")

	id := inv.Identity()
	it.Eq(t, "identity uuid lower case", id.UUID, "4c4c4544-0034-3010-8048-b6c04f503732")
	inv.BIOS.SystemSerial, inv.Hardware.UUID = "To be filled by O.E.M.", "03000200-0400-0500-0006-000700080009"
	id = inv.Identity()
	it.Eq(t, "dummy serial and uuid dropped", id.Serial+id.UUID, "")
	it.Eq(t, "name kept", id.Name, "pc")
}

func TestVirtualization(t *testing.T) {
	cases := []struct {
		name   string
		inv    inventory.Inventory
		system string
	}{
		{"reported", inventory.Inventory{Hardware: inventory.Hardware{VMSystem: "VMware"}}, "VMware"},
		{"physical", inventory.Inventory{Hardware: inventory.Hardware{VMSystem: "Physical"}, BIOS: inventory.BIOS{SystemManufacturer: "Dell Inc."}}, ""},
		{"bios qemu", inventory.Inventory{Hardware: inventory.Hardware{VMSystem: "Physical"}, BIOS: inventory.BIOS{SystemManufacturer: "QEMU", SystemModel: "Standard PC (Q35 + ICH9, 2009)"}}, "QEMU"},
		{"virtualbox", inventory.Inventory{BIOS: inventory.BIOS{SystemManufacturer: "innotek GmbH", SystemModel: "VirtualBox"}}, "VirtualBox"},
		{"hyper-v", inventory.Inventory{BIOS: inventory.BIOS{SystemManufacturer: "Microsoft Corporation", SystemModel: "Virtual Machine"}}, "Hyper-V"},
		{"surface is not hyper-v", inventory.Inventory{BIOS: inventory.BIOS{SystemManufacturer: "Microsoft Corporation", SystemModel: "Surface Pro 7"}}, ""},
		{"xeon is not xen", inventory.Inventory{BIOS: inventory.BIOS{SystemModel: "Xeon Workstation"}}, ""},
		{"ec2", inventory.Inventory{BIOS: inventory.BIOS{SystemManufacturer: "Amazon EC2", SystemModel: "t3.micro"}}, "Amazon EC2"},
		{"vmware pci", inventory.Inventory{Controllers: []inventory.Controller{{VendorID: "15AD"}}}, "VMware"},
		{"virtio pci", inventory.Inventory{Controllers: []inventory.Controller{{VendorID: "8086"}, {VendorID: "1af4"}}}, "KVM"},
		{"vbox disk", inventory.Inventory{Storages: []inventory.Storage{{Model: "VBOX HARDDISK"}}}, "VirtualBox"},
		{"hyper-v nic", inventory.Inventory{Networks: []inventory.Network{{Driver: "hv_netvsc"}}}, "Hyper-V"},
		{"nothing", inventory.Inventory{}, ""},
	}
	for _, c := range cases {
		virtual, system := c.inv.Virtualization()
		if virtual != (c.system != "") || system != c.system {
			t.Errorf("%s: %v %q, want %q", c.name, virtual, system, c.system)
		}
	}
}

func TestSectionHashes(t *testing.T) {
	a := sampleInventory()
	ha := a.SectionHashes()
	if len(ha) != 7 {
		t.Fatalf("%d hashes", len(ha))
	}
	for s, h := range ha {
		if len(h) != 32 {
			t.Errorf("%s: %q", s, h)
		}
	}
	// Shuffled lists, and addresses of an interface in another order: same hashes.
	b := sampleInventory()
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(b.Softwares), func(i, j int) { b.Softwares[i], b.Softwares[j] = b.Softwares[j], b.Softwares[i] })
	slices.Reverse(b.Networks)
	slices.Reverse(b.Storages)
	slices.Reverse(b.Networks[2].IPv6)
	it.Same(t, "hashes after reordering", b.SectionHashes(), ha)
	// The hash does not sort the caller's data.
	if b.Networks[2].IPv6[0].Address != "2001:db8::5" {
		t.Error("SectionHashes reordered the inventory")
	}

	// One changed value changes that section only.
	b.Softwares[0].Version += ".1"
	hb := b.SectionHashes()
	for s := range ha {
		if (ha[s] == hb[s]) != (s != "softwares") {
			t.Errorf("section %s: changed %v", s, ha[s] != hb[s])
		}
	}
	// A duplicate counts.
	c := sampleInventory()
	c.Softwares = append(c.Softwares, c.Softwares[0])
	if c.SectionHashes()["softwares"] == ha["softwares"] {
		t.Error("a duplicated package leaves the hash unchanged")
	}
	// Reported empty differs from absent and from one empty element.
	d := sampleInventory()
	d.Softwares = nil
	if h, ok := d.SectionHashes()["softwares"]; !ok || h == ha["softwares"] {
		t.Error("empty list")
	}
	d.Softwares = []inventory.Software{{}}
	if d.SectionHashes()["softwares"] == (&inventory.Inventory{Sections: []inventory.Section{"softwares"}}).SectionHashes()["softwares"] {
		t.Error("one empty element hashes as no element")
	}
	// Values that move from one field to the next, or hold separators, still differ.
	soft := func(list ...inventory.Software) string {
		return (&inventory.Inventory{Sections: []inventory.Section{"softwares"}, Softwares: list}).SectionHashes()["softwares"]
	}
	seen := map[string]string{}
	for name, list := range map[string][]inventory.Software{
		"tab in name":        {{Name: "a\tb"}},
		"name and version":   {{Name: "a", Version: "b"}},
		"escaped tab":        {{Name: `a\tb`}},
		"newline":            {{Name: "a\nb"}},
		"two entries":        {{Name: "a"}, {Name: "b"}},
		"size":               {{Name: "a", SizeBytes: 1}},
		"url":                {{Name: "a", URL: "1"}},
		"backslash and tab":  {{Name: `a\`, Version: "b"}},
		"backslash in value": {{Name: `a\\`}},
	} {
		h := soft(list...)
		if other, dup := seen[h]; dup {
			t.Errorf("%s and %s hash alike", name, other)
		}
		seen[h] = name
	}
}

func TestValidate(t *testing.T) {
	if err := sampleInventory().Validate(); err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{Action: "dance", ItemType: "Monitor"}
	err := inv.Validate()
	var ve *inventory.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, inventory.ErrMalformed) {
		t.Fatalf("err = %v", err)
	}
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	it.Eq(t, "fields", strings.Join(fields, ","), "deviceid,itemtype,action")
	if !strings.Contains(err.Error(), `unknown action "dance"`) || !strings.Contains(err.Error(), "DEVICEID") {
		t.Errorf("message %q", err)
	}

	inv = &inventory.Inventory{DeviceID: "x", Action: inventory.ActionInventory, ItemType: inventory.ItemComputer}
	inv.MarkPresent(inventory.SectionHardware)
	inv.BIOS.SystemSerial = "Default string"
	if err := inv.Validate(); err == nil || !strings.Contains(err.Error(), "nothing to recognise the device") {
		t.Errorf("no identity: %v", err)
	}
	inv.Networks = []inventory.Network{{MAC: "00:11:22:33:44:55"}}
	if err := inv.Validate(); err != nil {
		t.Errorf("a MAC is enough: %v", err)
	}

	net := &inventory.Inventory{DeviceID: "x", Action: inventory.ActionNetInventory, ItemType: inventory.ItemPrinter, Device: &inventory.NetworkDevice{}}
	if err := net.Validate(); err == nil || !strings.Contains(err.Error(), "network_device: nothing to recognise") {
		t.Errorf("empty device: %v", err)
	}
	net.Device.IPs = []string{"10.0.0.9"}
	if err := net.Validate(); err != nil {
		t.Errorf("an IP is enough for a device: %v", err)
	}
}

// The development VM inventoried by both Debian agents: FusionInventory 2.6 and OCS
// 2.10 must describe the same machine.
func TestSameMachineFusionAndOCS(t *testing.T) {
	for _, pair := range [][2]string{
		{"fusioninventory-2.6-debian12.xml", "ocsinventory-2.10-debian12.ocs"},
		{"fusioninventory-2.6-debian12-vm.xml", "ocsinventory-2.10-debian12-vm.xml"},
	} {
		t.Run(pair[0], func(t *testing.T) {
			f, err := fusion.ParseInventory(it.Read(t, pair[0]))
			if err != nil {
				t.Fatal(err)
			}
			o, err := ocs.ParseInventory(it.Read(t, pair[1]))
			if err != nil {
				t.Fatal(err)
			}
			// Identity: the serial and UUID (both absent: a VM), the MACs, the name.
			it.Eq(t, "serial", o.Serial(), f.Serial())
			it.Eq(t, "uuid", o.Hardware.UUID, f.Hardware.UUID)
			it.Same(t, "MACs", o.MACs(), f.MACs())
			it.Same(t, "identity", o.Identity(), f.Identity())
			it.Same(t, "identity value", f.Identity(), inventory.Identity{Name: "vm",
				MACs: []string{"02:fc:00:00:00:01", "4e:f9:c5:b1:46:7e", "6e:82:15:52:07:74"}})

			// And what the asset's summary columns hold.
			sf, so := f.Summary(), o.Summary()
			it.Eq(t, "processor", so.Processor, sf.Processor)
			it.Eq(t, "cores", so.CoreCount, sf.CoreCount)
			it.Eq(t, "memory", so.TotalMemoryMB, sf.TotalMemoryMB)
			it.Eq(t, "disk", so.TotalDiskMB, sf.TotalDiskMB)
			it.Eq(t, "primary IP", so.PrimaryIP, sf.PrimaryIP)
			it.Eq(t, "os", so.OS, sf.OS)
			it.Eq(t, "virtual", so.IsVirtual, sf.IsVirtual)
			it.Eq(t, "software count", so.SoftwareCount, sf.SoftwareCount)

			// The same packages, once OCS's "name:arch" is read.
			key := func(s inventory.Software) string { return s.Name + " " + s.Version + " " + s.Arch }
			var kf, ko []string
			for _, s := range f.Softwares {
				kf = append(kf, key(s))
			}
			for _, s := range o.Softwares {
				ko = append(ko, key(s))
			}
			slices.Sort(kf)
			slices.Sort(ko)
			if !slices.Equal(kf, ko) {
				t.Errorf("software sets differ (%d and %d packages)", len(kf), len(ko))
			}
		})
	}
}

// An inventory survives a JSON round trip (the form a job queue or an audit log keeps).
func TestJSONRoundTrip(t *testing.T) {
	inv, err := glpi.ParseInventory(it.Read(t, "glpi-inventory-format/computer_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	var back inventory.Inventory
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	it.Same(t, "round trip", &back, inv)
	it.Same(t, "hashes", back.SectionHashes(), inv.SectionHashes())
	if !strings.Contains(string(b), `"sections":["batteries","bios",`) || !strings.Contains(string(b), `"device_id":"glpixps-2018-07-09-09-07-13"`) {
		t.Errorf("JSON %.200s", b)
	}
}
