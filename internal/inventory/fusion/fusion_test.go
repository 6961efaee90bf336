package fusion

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
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

func hasWarning(inv *inventory.Inventory, substr string) bool {
	return slices.ContainsFunc(inv.Warnings, func(w string) bool { return strings.Contains(w, substr) })
}

// The FusionInventory 2.6 agent of Debian 12, run on the development VM.
func TestDebian12VM(t *testing.T) {
	inv := parseFile(t, "fusioninventory-2.6-debian12-vm.xml")
	it.Eq(t, "format", inv.Format, inventory.FormatFusion)
	it.Eq(t, "action", inv.Action, inventory.ActionInventory)
	it.Eq(t, "itemtype", inv.ItemType, inventory.ItemComputer)
	it.Eq(t, "deviceid", inv.DeviceID, "vm-2026-11-23-23-22-30")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.6-3"})
	it.Eq(t, "sections", it.SectionList(inv),
		"bios,controllers,cpus,drives,hardware,local_groups,local_users,networks,operatingsystem,softwares,storages")
	for _, s := range []inventory.Section{inventory.SectionMemories, inventory.SectionMonitors, inventory.SectionBatteries} {
		if inv.Has(s) {
			t.Errorf("section %s reported", s)
		}
	}

	// No serial (BIOS SSN empty) and no UUID (HARDWARE has none): a VM.
	it.Eq(t, "serial", inv.Serial(), "")
	it.Eq(t, "uuid", inv.Hardware.UUID, "")
	it.Eq(t, "hostname", inv.Hardware.Name, "vm")
	it.Eq(t, "memory", inv.TotalMemoryMB(), 24105)
	it.Eq(t, "memory modules", len(inv.Memories), 0)
	it.Eq(t, "cpus", len(inv.CPUs), 1)
	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "AMD EPYC", Manufacturer: "AMD", Cores: 2, Threads: 2, Arch: "i386"})
	it.Eq(t, "storages", len(inv.Storages), 1)
	it.Eq(t, "disk", inv.Storages[0], inventory.Storage{Name: "vda", Manufacturer: "Red Hat, Inc.", Serial: "overlayblk",
		SizeMB: 274877, Type: "disk", Description: "Virtual"})
	it.Eq(t, "total disk", inv.TotalDiskMB(), 274877)
	it.Eq(t, "volumes", len(inv.Volumes), 1)
	it.Eq(t, "volume", inv.Volumes[0], inventory.Volume{Device: "/dev/vda", Mount: "/", FSType: "ext4", TotalMB: 258019, FreeMB: 81775})

	// Seven NETWORKS entries, one per address, make four interfaces.
	it.Eq(t, "interfaces", len(inv.Networks), 4)
	lo := it.Network(t, inv, "lo", "")
	it.Eq(t, "lo type", lo.Type, "loopback")
	it.Eq(t, "lo addresses", it.Addresses(lo), "127.0.0.1/8 ::1/12")
	it.Eq(t, "ifb0 virtual", it.Network(t, inv, "ifb0", "6e:82:15:52:07:74").Virtual, true)
	it.Eq(t, "ifb1 status", it.Network(t, inv, "ifb1", "4e:f9:c5:b1:46:7e").Status, "down")
	eth := it.Network(t, inv, "eth0", "02:fc:00:00:00:01")
	it.Eq(t, "eth0 addresses", it.Addresses(eth), "192.0.2.2/24 fd00::2/64 fe80::fc:ff:fe00:1/64")
	it.Eq(t, "eth0 gateway", eth.Gateway, "192.0.2.1")
	it.Eq(t, "eth0 driver", eth.Driver, "virtio_net")
	it.Eq(t, "eth0 speed (-1: unknown)", eth.SpeedMbps, 0)
	it.Eq(t, "eth0 virtual", eth.Virtual, false)
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "02:fc:00:00:00:01 4e:f9:c5:b1:46:7e 6e:82:15:52:07:74")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "192.0.2.2")

	it.Eq(t, "os", inv.OS, inventory.OS{Name: "Debian GNU/Linux", Version: "12.11", FullName: "Debian GNU/Linux 12 (bookworm)",
		KernelName: "linux", Kernel: "6.18.44-fc-v669", Arch: "x86_64", BootTime: "2026-11-23 22:54:25", FQDN: "vm",
		TimezoneName: "UTC", TimezoneOffset: "+0000"})

	it.Eq(t, "softwares", len(inv.Softwares), 774)
	it.Eq(t, "bash", it.Software(t, inv, "bash"), inventory.Software{Name: "bash", Version: "5.2.15-2+b8", Publisher: "Debian",
		Arch: "amd64", Source: "deb", Category: "shells", SizeBytes: 7335936})
	it.Eq(t, "fusioninventory-agent", it.Software(t, inv, "fusioninventory-agent").Version, "1:2.6-3")
	it.Eq(t, "ocsinventory-agent", it.Software(t, inv, "ocsinventory-agent").Version, "2:2.10.0-3")
	it.Eq(t, "python3", it.Software(t, inv, "python3").Version, "3.11.2-1+b1")
	it.Eq(t, "libssl3", it.Software(t, inv, "libssl3").Version, "3.0.19-1~deb12u2")

	it.Eq(t, "local users", len(inv.LocalUsers), 24)
	it.Eq(t, "root", inv.LocalUsers[0], inventory.LocalUser{Login: "root", Name: "root", ID: "0", Home: "/root", Shell: "/bin/bash"})
	it.Eq(t, "local groups", len(inv.LocalGroups), 1)
	it.Eq(t, "ssl-cert members", strings.Join(inv.LocalGroups[0].Members, ","), "postgres")
	it.Eq(t, "controllers", len(inv.Controllers), 6)
	it.Eq(t, "balloon", inv.Controllers[1], inventory.Controller{Name: "Virtio 1.0 memory balloon", Manufacturer: "Red Hat, Inc.",
		Type: "Unassigned class", Driver: "virtio", PCIClass: "ffff", PCISlot: "00:01.0", VendorID: "1af4", ProductID: "1045",
		SubsystemID: "1af4:1045", Rev: "01"})

	virtual, system := inv.Virtualization()
	it.Eq(t, "virtual", virtual, true)
	it.Eq(t, "vm system", system, "Docker")
	// LASTLOGGEDUSER "wtmp": the agent read "wtmp begins ..." from an empty login log.
	it.Eq(t, "last logged user", inv.Hardware.LastLoggedUser, "")
	if !hasWarning(inv, `"wtmp" is not a user`) || len(inv.Warnings) != 1 {
		t.Errorf("warnings %q", inv.Warnings)
	}
	if err := inv.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	id := inv.Identity()
	it.Eq(t, "identity", strings.Join([]string{id.Name, id.Serial, id.UUID}, "|"), "vm||")
}

// The same machine a little later, with more packages installed: unchanged sections
// hash the same, changed ones do not.
func TestDebian12AgainstVM(t *testing.T) {
	inv := parseFile(t, "fusioninventory-2.6-debian12.xml")
	it.Eq(t, "deviceid (kept across runs)", inv.DeviceID, "vm-2026-11-23-23-22-30")
	it.Eq(t, "softwares", len(inv.Softwares), 1231)
	it.Eq(t, "postgresql-15", it.Software(t, inv, "postgresql-15").Version, "15.18-0+deb12u1")
	it.Eq(t, "gir1.2-glib-2.0", it.Software(t, inv, "gir1.2-glib-2.0").Version, "1.74.0-3")
	it.Eq(t, "local users", len(inv.LocalUsers), 26)
	it.Eq(t, "free", inv.Volumes[0].FreeMB, 78806)
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "02:fc:00:00:00:01 4e:f9:c5:b1:46:7e 6e:82:15:52:07:74")

	before := parseFile(t, "fusioninventory-2.6-debian12-vm.xml").SectionHashes()
	after := inv.SectionHashes()
	if len(after) != 11 || len(before) != 11 {
		t.Fatalf("hashes: %d and %d sections", len(before), len(after))
	}
	for _, s := range []string{"bios", "controllers", "cpus", "hardware", "local_groups", "networks", "operatingsystem", "storages"} {
		if before[s] != after[s] {
			t.Errorf("section %s changed", s)
		}
	}
	for _, s := range []string{"softwares", "drives", "local_users"} {
		if before[s] == after[s] {
			t.Errorf("section %s did not change", s)
		}
	}
}

// What the agent actually sent, compressed, with --no-category=software.
func TestWireCaptures(t *testing.T) {
	raw := it.Read(t, "wire/fusioninventory-2.6-inventory-nosoftware.zlib")
	body, c, err := wire.Decode(raw, "application/x-compress-zlib", wire.Limits{})
	if err != nil || c != wire.Zlib {
		t.Fatalf("decode: %v %v", c, err)
	}
	m, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "query", m.Query, QueryInventory)
	inv := m.Inventory
	it.Eq(t, "deviceid", inv.DeviceID, "vm-2026-11-23-23-22-30")
	// Software was not collected: the section is absent, so "not reported", not "none".
	if inv.Has(inventory.SectionSoftwares) || inv.Softwares != nil {
		t.Error("softwares reported")
	}
	if _, ok := inv.SectionHashes()["softwares"]; ok {
		t.Error("softwares hashed")
	}
	it.Eq(t, "sections", it.SectionList(inv),
		"bios,controllers,cpus,drives,hardware,local_groups,local_users,networks,operatingsystem,storages")
	it.Eq(t, "free", inv.Volumes[0].FreeMB, 78805)
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "02:fc:00:00:00:01 4e:f9:c5:b1:46:7e 6e:82:15:52:07:74")

	for _, name := range []string{"wire/fusioninventory-2.6-prolog.zlib", "wire/fusioninventory-2.6-prolog.xml"} {
		body, _, err := wire.Decode(it.Read(t, name), "", wire.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		it.Eq(t, name+" query", m.Query, QueryProlog)
		it.Eq(t, name+" deviceid", m.DeviceID, "vm-2026-11-23-23-22-30")
		it.Eq(t, name+" token", m.Token, "12345678")
		if m.Inventory != nil {
			t.Errorf("%s: a PROLOG with an inventory", name)
		}
		if _, err := ParseInventory(body); !errors.Is(err, inventory.ErrUnsupported) {
			t.Errorf("ParseInventory(PROLOG) = %v", err)
		}
	}
}

// fusion-1: a Toshiba laptop under Fedora 25 (FusionInventory 2.3.20).
func TestSampleFedoraLaptop(t *testing.T) {
	inv := parseFile(t, "glpi-inventory-format/fusion-1.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "LF014-2016-06-13-14-03-53")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.3.20"})
	it.Eq(t, "tag", inv.Tag, "teclib")
	it.Eq(t, "sections", it.SectionList(inv), "batteries,bios,controllers,cpus,drives,hardware,local_groups,local_users,"+
		"memories,monitors,networks,operatingsystem,softwares,storages,users,virtualmachines")
	it.Eq(t, "serial", inv.Serial(), "9E113232I")
	it.Eq(t, "uuid", inv.Hardware.UUID, "0055ADC9-1D3A-E411-8043-B05D95113232")
	it.Eq(t, "identity uuid", inv.Identity().UUID, "0055adc9-1d3a-e411-8043-b05d95113232")
	it.Eq(t, "model", inv.Manufacturer()+" "+inv.Model(), "TOSHIBA PORTEGE Z30-A")
	it.Eq(t, "bios date (month first)", inv.BIOS.Date, "2014-07-25")
	it.Eq(t, "asset tag", inv.BIOS.AssetTag, "0000000000")
	it.Eq(t, "asset tag is a placeholder", inventory.IsDummySerial(inv.BIOS.AssetTag), true)
	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "Intel(R) Core(TM) i5-4210U CPU @ 1.70GHz", Manufacturer: "Intel",
		Cores: 2, Threads: 4, SpeedMHz: 1700, Arch: "i386"})
	// DIMM2 is an empty slot.
	it.Eq(t, "memories", len(inv.Memories), 1)
	it.Eq(t, "dimm0", inv.Memories[0], inventory.Memory{CapacityMB: 8192, Type: "DDR3", SpeedMHz: 1600, Serial: "23853943",
		Slot: 1, Caption: "DIMM0", Description: "DIMM", Manufacturer: "Samsung"})
	it.Eq(t, "total memory", inv.TotalMemoryMB(), 8192)
	it.Eq(t, "disk", inv.Storages[0].Name+" "+inv.Storages[0].Model, "sda TOSHIBATHNSNJ25")
	it.Eq(t, "disk size", inv.TotalDiskMB(), 250059)
	it.Eq(t, "volumes", len(inv.Volumes), 3)
	it.Eq(t, "/home", inv.Volumes[2].Mount+" "+inv.Volumes[2].Device, "/home /dev/mapper/fedora-home")
	it.Eq(t, "/home size", inv.Volumes[2].TotalMB, 181527)
	// The IPv4 and IPv6 entries of enp0s25 carry different MACs (…:91, …:81) in this
	// sample, so they stay two interfaces.
	it.Eq(t, "interfaces", len(inv.Networks), 8)
	it.Eq(t, "bmc", it.Network(t, inv, "bmc", "").Management, true)
	it.Eq(t, "enp0s25 v4", it.Addresses(it.Network(t, inv, "enp0s25", "b8:6b:23:e0:5c:91")), "192.168.1.103/24")
	it.Eq(t, "enp0s25 v6", it.Addresses(it.Network(t, inv, "enp0s25", "b8:6b:23:e0:5c:81")), "fe80::dd76:c250:1435:8e89/64")
	it.Eq(t, "tun0 (no MAC) merged", it.Addresses(it.Network(t, inv, "tun0", "")), "192.168.11.96/24 fe80::3d05:f5d:a260:423b/64")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "),
		"52:54:0b:74:5e:f1 52:54:c0:74:5e:f1 ae:ed:e7:56:9d:a0 b8:6b:23:e0:5c:81 b8:6b:23:e0:5c:91")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "192.168.1.103")
	it.Eq(t, "os", inv.OSName()+" / "+inv.OS.Version+" / "+inv.OS.Kernel, "Fedora release 25 (Twenty Five) / 25 / 4.11.3-200.fc25.x86_64")
	it.Eq(t, "softwares", len(inv.Softwares), 42)
	php := it.Software(t, inv, "php71-php-process")
	it.Eq(t, "php version", php.Version, "7.1.6-1.fc25.remi")
	it.Eq(t, "php install date (08/06/2017, day first)", php.InstallDate, "2017-06-08")
	it.Eq(t, "php publisher", php.Publisher, "Remi Collet")
	it.Eq(t, "xerces install date (N/A)", it.Software(t, inv, "xerces-j2").InstallDate, "")
	it.Eq(t, "libdca", it.Software(t, inv, "libdca").Version, "0.0.5-9.fc25")
	it.Eq(t, "vms", len(inv.VirtualMachines), 3)
	it.Eq(t, "win8.1 (memory 4194MB)", inv.VirtualMachines[2], inventory.VirtualMachine{Name: "win8.1",
		UUID: "fcb505ed-0ffa-419e-a5a0-fd20bed80f1e", Status: "off", VMType: "libvirt", Subsystem: "kvm", MemoryMB: 4194, VCPUs: 2})
	it.Eq(t, "monitor", inv.Monitors[0].Manufacturer+" "+inv.Monitors[0].Serial, "CMN 00000000")
	it.Eq(t, "monitor serial is a placeholder", inventory.IsDummySerial(inv.Monitors[0].Serial), true)
	it.Eq(t, "users", inv.Users[0], inventory.User{Login: "johan"})
	it.Eq(t, "local users", len(inv.LocalUsers), 60)
	it.Eq(t, "local groups", len(inv.LocalGroups), 4)
	it.Eq(t, "controllers", len(inv.Controllers), 14)
	it.Eq(t, "battery", inv.Batteries[0].Manufacturer+" "+inv.Batteries[0].Serial, "TOSHIBA 0000000000")
	if v, _ := inv.Virtualization(); v {
		t.Error("a physical laptop taken for a VM")
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("warnings %q", inv.Warnings)
	}
}

// fusion-2: an HP laptop under Windows 8.1; fusion-12 is the same with POWERSUPPLIES.
func TestSampleWindowsLaptop(t *testing.T) {
	inv := parseFile(t, "glpi-inventory-format/fusion-2.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "pc-arg-23.cedre.local-2017-04-18-09-26-44")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.3.19"})
	it.Eq(t, "tag", inv.Tag, "3923")
	it.Eq(t, "sections", it.SectionList(inv), "antivirus,batteries,bios,controllers,cpus,drives,hardware,local_groups,"+
		"local_users,memories,monitors,networks,operatingsystem,remote_mgmt,softwares,storages,users,videos")
	it.Eq(t, "remote management", fmt.Sprint(inv.RemoteMgmt), fmt.Sprint([]inventory.RemoteMgmt{{Type: "teamviewer", ID: "407026896"}}))
	it.Eq(t, "serial", inv.Serial(), "CZC0479792")
	it.Eq(t, "uuid", inv.Hardware.UUID, "33E737A8-F827-11DF-9297-47C0A301005A")
	it.Eq(t, "model", inv.Model(), "HP EliteBook 2540p")
	it.Eq(t, "bios", inv.BIOS.Version+" "+inv.BIOS.Date, "68CSU Ver. F.06 2010-08-24")
	it.Eq(t, "workgroup", inv.Hardware.Workgroup, "cedre.local")
	it.Eq(t, "product id", inv.Hardware.WinProductID, "00259-40825-10721-AAOEM")
	it.Eq(t, "cpu", inv.Processor(), "Intel(R) Core(TM) i5 CPU M 540 @ 2.53GHz")
	it.Eq(t, "cores/threads/speed", [3]int{inv.CPUs[0].Cores, inv.CPUs[0].Threads, inv.CPUs[0].SpeedMHz}, [3]int{2, 4, 2530})
	it.Eq(t, "memories", len(inv.Memories), 2)
	it.Eq(t, "memory speed (1333 MHz)", inv.Memories[1].SpeedMHz, 1333)
	it.Eq(t, "memory serial", inv.Memories[1].Serial, "9428388F")
	it.Eq(t, "total memory", inv.TotalMemoryMB(), 4096)
	it.Eq(t, "disk", inv.Storages[0], inventory.Storage{Name: `\\.\PHYSICALDRIVE0`, Model: "Hitachi HTS725025A9A364",
		Manufacturer: "(Standard disk drives)", Serial: "101024PCK204VJJVAMYJ", SizeMB: 250059, Interface: "IDE",
		Type: "Fixed hard disk media", Description: "Disk drive", Firmware: "PC2OCH0A"})
	it.Eq(t, "C:", inv.Volumes[0], inventory.Volume{Device: "Systeme", Letter: "C:", FSType: "NTFS", TotalMB: 115123, FreeMB: 71954,
		Label: "Systeme", Serial: "68D96170", Kind: "Local Disk", System: true})
	it.Eq(t, "D:", inv.Volumes[1].Letter+" "+inv.Volumes[1].Label, "D: Donnees")
	it.Eq(t, "reserved partition (LETTER is a label)", inv.Volumes[2].Letter+"|"+inv.Volumes[2].Label, "|Réservé au système")
	lan := it.Network(t, inv, "Connexion réseau Intel(R) 82577LM Gigabit", "68:b5:99:e6:84:eb")
	it.Eq(t, "lan", it.Addresses(lan)+" gw "+lan.Gateway+" dhcp "+lan.DHCPServer, "10.253.6.55/24 gw 10.253.6.1 dhcp 10.253.6.1")
	it.Eq(t, "lan speed", lan.SpeedMbps, 100)
	it.Eq(t, "wifi speed (unknown: 9223372036854.78)", it.Network(t, inv, "Intel(R) Centrino(R) Advanced-N 6200 AGN", "00:22:10:d4:3e:74").SpeedMbps, 0)
	it.Eq(t, "TAP speed", it.Network(t, inv, "TAP-Windows Adapter V9", "00:ff:3a:68:62:80").SpeedMbps, 1073)
	// The IPv6 entry of the LAN adapter carries 61:B5:…, a group (multicast) address: kept
	// on its entry, left out of the MAC list.
	it.Eq(t, "lan v6", it.Addresses(it.Network(t, inv, "Connexion réseau Intel(R) 82577LM Gigabit", "61:b5:99:e6:84:ea")), "fe80::855e:72a5:247e:b3d8/64")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "00:22:10:d4:3e:74 00:27:15:d4:3e:75 00:ff:3a:68:62:80 68:b5:99:e6:84:eb 74:f3:95:c7:e8:c2")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "10.253.6.55")
	it.Eq(t, "os", inv.OS.Name+" | "+inv.OS.FullName+" | "+inv.OS.Kernel+" | "+inv.OS.Arch, "Windows | Microsoft Windows 8.1 Professionnel | 6.3.9600 | 64-bit")
	it.Eq(t, "os install date", inv.OS.InstallDate, "2015-04-17")
	it.Eq(t, "timezone", inv.OS.TimezoneName, "Romance Standard Time")
	it.Eq(t, "softwares", len(inv.Softwares), 8)
	it.Eq(t, "CCleaner", it.Software(t, inv, "CCleaner"), inventory.Software{Name: "CCleaner", Version: "5.09", Publisher: "Piriform",
		InstallDate: "2015-09-11", Arch: "x86_64", Source: "registry", GUID: "CCleaner"})
	it.Eq(t, "KB4019215 source", it.Software(t, inv, "KB4019215").Source, "wmi")
	it.Eq(t, "office", it.Software(t, inv, "Microsoft Office Famille et Petite Entreprise 2010").Version, "14.0.7015.1000")
	it.Eq(t, "antivirus", len(inv.Antivirus), 2)
	it.Eq(t, "defender", inv.Antivirus[0], inventory.Antivirus{Name: "Windows Defender", Enabled: true, UpToDate: true,
		GUID: "{D68DDC3A-831F-4fae-9E44-DA132C1ACF46}"})
	it.Eq(t, "users", inv.Users[0], inventory.User{Login: "cvigneron", Domain: "CEDRE"})
	it.Eq(t, "battery", inv.Batteries[0], inventory.Battery{Name: "MS06055", Manufacturer: "33-24", Serial: "0D47", Chemistry: "LION",
		CapacityMWh: 5100, VoltageMV: 10800, Date: "2007-11-01"})
	it.Eq(t, "monitor", inv.Monitors[0], inventory.Monitor{Name: "DELL 1707FP", Manufacturer: "Dell Inc.", Model: "DELL 1707FP",
		Serial: "C975661HAB2R", Description: "3/2006", Port: "VGA"})
	it.Eq(t, "video", inv.Videos[0], inventory.Video{Name: "Intel(R) HD Graphics", Chipset: "Intel(R) HD Graphics (Core i5)", Resolution: "1280x1024"})
	it.Eq(t, "controllers", len(inv.Controllers), 26)
	if len(inv.Warnings) != 0 {
		t.Errorf("warnings %q", inv.Warnings)
	}

	same := parseFile(t, "glpi-inventory-format/fusion-12.xml")
	it.Eq(t, "power supply", same.PowerSupplies[0], inventory.PowerSupply{Name: "PWR SPLY,750W,RDNT,DELTA", Manufacturer: "DELL",
		PartNumber: "05RHVVA00", Serial: "CN179726BLFFQ8", PowerMaxW: 750, HotReplaceable: true, Plugged: true, Status: "Present, Unknown"})
	a, b := inv.SectionHashes(), same.SectionHashes()
	delete(b, string(inventory.SectionPowerSupplies))
	if len(a) != len(b) {
		t.Fatalf("%d and %d sections", len(a), len(b))
	}
	for s, h := range a {
		if b[s] != h {
			t.Errorf("fusion-12: section %s differs", s)
		}
	}
}

// fusion-3 and fusion-4: two Macs.
func TestSampleMacs(t *testing.T) {
	inv := parseFile(t, "glpi-inventory-format/fusion-3.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "MacBook-de-teclib.local-2016-09-07-09-27-48")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.3.18"})
	it.Eq(t, "sections", it.SectionList(inv), "bios,cpus,drives,hardware,local_groups,local_users,memories,monitors,"+
		"networks,operatingsystem,softwares,users,videos")
	it.Eq(t, "serial", inv.Serial(), "W87051UGVUV")
	// Apple's UUID embeds the MAC of en0: not a placeholder despite its zeros.
	it.Eq(t, "uuid", inv.Hardware.UUID, "00000000-0000-1000-8000-0017F2D11432")
	it.Eq(t, "uuid is real", inventory.IsDummyUUID(inv.Hardware.UUID), false)
	it.Eq(t, "model", inv.Manufacturer()+" "+inv.Model(), "Apple Computer, Inc. iMac5,1")
	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "Intel Core 2 Duo", Manufacturer: "Intel", Cores: 2, Threads: 2, SpeedMHz: 2160})
	it.Eq(t, "memory", inv.TotalMemoryMB(), 4000)
	it.Eq(t, "storages absent", inv.Has(inventory.SectionStorages), false)
	it.Eq(t, "disk total from volumes", inv.TotalDiskMB(), 80400+42900+32200)
	it.Eq(t, "/", inv.Volumes[1], inventory.Volume{Device: "/dev/disk1s3", Mount: "/", FSType: "Journaled HFS+", TotalMB: 42900,
		FreeMB: 26022, Label: "osx106", Serial: "43B5177F-39A0-32D3-821B-C945C338E8E1"})
	it.Eq(t, "lo0 (no TYPE) is a loopback", it.Network(t, inv, "lo0", "").Type, "loopback")
	it.Eq(t, "en1", it.Addresses(it.Network(t, inv, "en1", "00:19:e3:db:64:d2")), "172.28.220.124/24 fe80::219:e3ff:fedb:64d2/0")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "00:17:f2:d1:14:32 00:19:e3:db:64:d2 00:19:e3:ff:fe:71")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "172.28.220.124")
	it.Eq(t, "os", inv.OS.Name+" "+inv.OS.Version, "MacOSX 10.6.8 (10K549)")
	it.Eq(t, "softwares", len(inv.Softwares), 40)
	ci := it.Software(t, inv, "ContentIndexing")
	it.Eq(t, "ContentIndexing", ci.Version+" "+ci.InstallDate+" "+ci.Comments, "1.2.1 2006-08-20 [Universal]")
	it.Eq(t, "Thread Viewer_0", it.Software(t, inv, "Thread Viewer_0").Version, "1.4")
	it.Eq(t, "video", inv.Videos[0].Name+" "+inv.Videos[0].Resolution, "ATI Radeon X1600 1680x1050")
	it.Eq(t, "video memory", inv.Videos[0].MemoryMB, 128)

	inv = parseFile(t, "glpi-inventory-format/fusion-4.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "iMac-de-Marie.local-2017-06-12-09-24-14")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.3.21-1"})
	it.Eq(t, "serial", inv.Serial(), "C02NG5A5FY11")
	it.Eq(t, "uuid", inv.Hardware.UUID, "B3D6B8E4-15CC-54BB-BCE9-44E153556DDF")
	it.Eq(t, "model", inv.Model(), "iMac15,1")
	it.Eq(t, "cpu", inv.Processor()+" x"+string(rune('0'+inv.CPUs[0].Cores)), "Intel(R) Core(TM) i5-4690 CPU @ 3.50GHz x4")
	// Two modules and two empty slots.
	it.Eq(t, "memories", len(inv.Memories), 2)
	it.Eq(t, "total memory", inv.TotalMemoryMB(), 8192)
	it.Eq(t, "storages", len(inv.Storages), 4)
	it.Eq(t, "disk0", inv.Storages[0], inventory.Storage{Name: "disk0", Model: "HDD ST1000DM003", Manufacturer: "Apple",
		Serial: "S4Y15P5F", SizeMB: 953869, Interface: "SATA", Type: "Disk drive", Description: "APPLE HDD ST1000DM003", Firmware: "AP14"})
	it.Eq(t, "disk1 size", inv.Storages[1].SizeMB, 115712)
	it.Eq(t, "usb disk serial is a placeholder", inventory.IsDummySerial(inv.Storages[3].Serial), true)
	it.Eq(t, "total disk", inv.TotalDiskMB(), 953869+115712)
	it.Eq(t, "battery", inv.Batteries[0], inventory.Battery{Name: "DELL JHXPY53", Manufacturer: "SMP", Serial: "3701",
		Chemistry: "lithium-polymer", CapacityMWh: 43746, VoltageMV: 8614, Date: "2015-10-11"})
	it.Eq(t, "users", len(inv.Users), 2)
	en0 := it.Network(t, inv, "en0", "0c:4d:e9:cd:a4:c8")
	it.Eq(t, "en0", it.Addresses(en0), "172.28.212.66/24 fe80::4bb:1c15:b774:df49/0")
	it.Eq(t, "en0 flagged virtual by the agent", en0.Virtual, true)
	it.Eq(t, "primary IP", inv.PrimaryIP(), "172.28.212.66")
	it.Eq(t, "MACs", len(inv.MACs()), 6)
	it.Eq(t, "softwares", len(inv.Softwares), 7)
	alfred := it.Software(t, inv, "Alfred 2")
	it.Eq(t, "Alfred", alfred.Version+" "+alfred.InstallDate+" "+alfred.Category, "2.7.1 2015-04-15 Applications")
	it.Eq(t, "video", inv.Videos[0].Resolution, "5120x2880Retina")
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}
}

// fusion-13, 14 and 18: the Android agent (XML with ITEMTYPE and a USER section).
func TestSampleAndroid(t *testing.T) {
	inv := parseFile(t, "glpi-inventory-format/fusion-13.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "android-5a30d8711bbadc9d-2022-10-19-08-08-46")
	it.Eq(t, "itemtype", inv.ItemType, inventory.ItemComputer)
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "Inventory Agent", Version: "1.1.0"})
	it.Eq(t, "tag (empty KEYVALUE)", inv.Tag, "")
	it.Eq(t, "sections", it.SectionList(inv), "batteries,bios,cpus,drives,hardware,memories,networks,operatingsystem,softwares,users")
	it.Eq(t, "serial", inv.Serial(), "5a30d8711bbadc9d")
	it.Eq(t, "uuid", inv.Hardware.UUID, "5a30d8711bbadc9d")
	it.Eq(t, "model", inv.Manufacturer()+" "+inv.Model(), "samsung SM-A715F")
	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "AArch64 Processor rev 14 (aarch64)", Cores: 8, Threads: 8, SpeedMHz: 1804, Arch: "aarch64"})
	it.Eq(t, "memory", inv.TotalMemoryMB(), 5524)
	it.Eq(t, "volumes", len(inv.Volumes), 4)
	it.Eq(t, "total disk (from volumes)", inv.TotalDiskMB(), 5056+3*112276)
	rmnet := it.Network(t, inv, "rmnet_data4", "")
	it.Eq(t, "rmnet (0.0.0.0 is no address)", it.Addresses(rmnet), "fe80::e88e:82ff:fe18:64c/64")
	it.Eq(t, "primary IP (only link-local)", inv.PrimaryIP(), "")
	it.Eq(t, "user (USER section)", inv.Users[0].Login, "dpi")
	it.Eq(t, "os", inv.OS.FullName+" / "+inv.OS.Version, "Snow Cone Android 12.0 api 31 / 31")
	// BOOT_TIME "2022-21-09 05:21:23": the agent wrote the minutes as the month.
	it.Eq(t, "boot time dropped", inv.OS.BootTime, "")
	if !hasWarning(inv, `BOOT_TIME: "2022-21-09 05:21:23" is not a date`) {
		t.Errorf("warnings %q", inv.Warnings)
	}
	it.Eq(t, "softwares", len(inv.Softwares), 1)
	tether := it.Software(t, inv, "Tethering")
	it.Eq(t, "Tethering", tether.Version+"|"+tether.InstallDate+"|"+tether.Source, "13-8894645||android")
	it.Eq(t, "battery voltage", inv.Batteries[0].VoltageMV, 3954)

	// fusion-14 differs only by a readable boot time.
	other := parseFile(t, "glpi-inventory-format/fusion-14.xml")
	it.Eq(t, "boot time", other.OS.BootTime, "2022-10-04 05:21:23")
	a, b := inv.SectionHashes(), other.SectionHashes()
	for s, h := range a {
		if (b[s] == h) != (s != "operatingsystem") {
			t.Errorf("section %s: same hash %v", s, b[s] == h)
		}
	}

	inv = parseFile(t, "glpi-inventory-format/fusion-18.xml")
	it.Eq(t, "deviceid", inv.DeviceID, "android-5a30d8711bbadc9d-2023-09-06-10-28-47")
	it.Eq(t, "agent version", inv.Agent.Version, "1.3.0")
	it.Eq(t, "softwares", len(inv.Softwares), 310)
	fp := it.Software(t, inv, "Filter Provider")
	it.Eq(t, "Filter Provider", fp.Version+" "+fp.InstallDate, "6.0.10 2008-12-31")
	it.Eq(t, "Lecteur vidéo", it.Software(t, inv, "Lecteur vidéo").Version, "7.3.35.119")
	wlan := it.Network(t, inv, "wlan0", "")
	it.Eq(t, "wlan0 (mask 0.0.0.0)", it.Addresses(wlan)+" gw "+wlan.Gateway, "192.168.1.172/0 fe80::bc72:8aff:fe68:2ce1/64 gw 192.168.1.254")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "192.168.1.172")
	it.Eq(t, "videos", inv.Videos[0].Resolution, "1080x2183")
	if !hasWarning(inv, `"2023-56-29 06:56:38"`) {
		t.Errorf("warnings %q", inv.Warnings)
	}
}

// The SNMP inventories of network devices and printers.
func TestSampleSNMP(t *testing.T) {
	t.Run("router fusion-5", func(t *testing.T) {
		m, err := Parse(it.Read(t, "glpi-inventory-format/fusion-5.xml"))
		if err != nil {
			t.Fatal(err)
		}
		it.Eq(t, "query", m.Query, QuerySNMPQuery)
		inv := m.Inventory
		it.Eq(t, "action", inv.Action, inventory.ActionNetInventory)
		it.Eq(t, "itemtype", inv.ItemType, inventory.ItemNetworkEquipment)
		it.Eq(t, "agent", inv.Agent, inventory.Agent{Version: "2.3"})
		it.Eq(t, "sections", it.SectionList(inv), "network_device,network_ports")
		it.Eq(t, "device", inv.Device.Name+" "+inv.Device.Manufacturer+" "+inv.Device.Model, "WR21 Digi WR11 XT")
		it.Eq(t, "serial", inv.Serial(), "486280")
		it.Eq(t, "firmware", inv.Device.Firmware, "5.2.17.12")
		it.Eq(t, "ips", strings.Join(inv.Device.IPs, " "), "172.21.255.102")
		it.Eq(t, "mac", inv.Device.MAC, "00:04:2d:07:6b:ae")
		it.Eq(t, "ports", len(inv.Ports), 18)
		it.Eq(t, "port 2", inv.Ports[1].Name, "4G - SIM1")
		if err := inv.Validate(); err != nil {
			t.Error(err)
		}
	})
	t.Run("switch fusion-6 and fusion-7", func(t *testing.T) {
		inv := parseFile(t, "glpi-inventory-format/fusion-6.xml")
		it.Eq(t, "itemtype", inv.ItemType, inventory.ItemNetworkEquipment)
		it.Eq(t, "sections", it.SectionList(inv), "firmwares,network_device,network_ports")
		it.Eq(t, "device", inv.Name()+" "+inv.Serial()+" "+inv.Model(), "ucs6248up-cluster-pa3-B SSI1912014B UCS 6248UP 48-Port")
		it.Eq(t, "ports", len(inv.Ports), 183)
		it.Same(t, "mgmt0", inv.Ports[0], inventory.Port{Number: 83886080, Name: "mgmt0", Description: "mgmt0",
			MAC: "8c:60:4f:8d:ae:a1", IfType: 6, SpeedMbps: 1000, MTU: 1500, Status: 2})
		it.Eq(t, "firmware", inv.Firmwares[0].Version, "5.0(3)N2(4.02b)")
		it.Eq(t, "MACs (the device's own)", strings.Join(inv.MACs(), " "), "8c:60:4f:8d:ae:fc")
		it.Eq(t, "location", inv.Device.Location, "paris.pa3")
		it.Eq(t, "no address reported", inv.PrimaryIP(), "")

		small := parseFile(t, "glpi-inventory-format/fusion-7.xml")
		it.Eq(t, "same device", small.Identity().Serial, inv.Identity().Serial)
		it.Eq(t, "ports", len(small.Ports), 1)
		if small.SectionHashes()["network_device"] != inv.SectionHashes()["network_device"] {
			t.Error("same INFO, different hash")
		}
	})
	t.Run("printer fusion-8", func(t *testing.T) {
		m, err := Parse(it.Read(t, "glpi-inventory-format/fusion-8.xml"))
		if err != nil {
			t.Fatal(err)
		}
		it.Eq(t, "query (older name)", m.Query, QuerySNMP)
		inv := m.Inventory
		it.Eq(t, "itemtype", inv.ItemType, inventory.ItemPrinter)
		it.Eq(t, "device", inv.Name()+" "+inv.Serial()+" "+inv.Manufacturer(), "CE75I09008 D9J230159 Brother")
		it.Eq(t, "memory", inv.Device.MemoryMB, 32)
		it.Eq(t, "primary IP", inv.PrimaryIP(), "10.75.230.125")
		it.Eq(t, "ports", len(inv.Ports), 2)
		it.Eq(t, "port 1", inv.Ports[0].Name+" "+strings.Join(inv.Ports[0].IPs, ",")+" "+inv.Ports[0].MAC, "NC-6800h 10.75.230.125 00:1b:a9:12:11:f2")
		it.Eq(t, "port 1 speed", inv.Ports[0].SpeedMbps, 100)
		it.Eq(t, "loopback port", inv.Ports[1].IfType, 24)
	})
	t.Run("ports only fusion-15", func(t *testing.T) {
		inv := parseFile(t, "glpi-inventory-format/fusion-15.xml")
		it.Eq(t, "sections", it.SectionList(inv), "firmwares,network_ports")
		it.Eq(t, "itemtype", inv.ItemType, inventory.ItemUnmanaged)
		if inv.Device != nil {
			t.Error("a device without INFO")
		}
		it.Eq(t, "port", inv.Ports[0].Name+" "+inv.Ports[0].Alias, "ae27 sw-ex8208-tmk")
		it.Eq(t, "port speed (20 Gbit/s)", inv.Ports[0].SpeedMbps, 20000)
		it.Eq(t, "firmware", inv.Firmwares[0].Manufacturer+" "+inv.Firmwares[0].Name+" "+inv.Firmwares[0].Version, "Juniper EX6210 12.3R3.4")
		var ve *inventory.ValidationError
		if err := inv.Validate(); !errors.As(err, &ve) || ve.Problems[0].Field != "network_device" || !errors.Is(err, inventory.ErrMalformed) {
			t.Errorf("Validate = %v", err)
		}
	})
	t.Run("switch fusion-17", func(t *testing.T) {
		inv := parseFile(t, "glpi-inventory-format/fusion-17.xml")
		it.Eq(t, "device", inv.Name()+" "+inv.Serial()+" "+inv.Device.AssetTag, "J9803A cn3afrt37n asset")
		it.Eq(t, "ips", strings.Join(inv.Device.IPs, " "), "192.168.1.9")
		// MAC "d5:c9:gh:81:cf:80" is not hexadecimal.
		it.Eq(t, "mac", inv.Device.MAC, "")
		it.Eq(t, "warnings", len(inv.Warnings), 2)
		it.Eq(t, "firmwares", len(inv.Firmwares), 2)
		it.Eq(t, "port", inv.Ports[0].Name+"|"+inv.Ports[0].Alias, "Port  1|1")
		it.Eq(t, "port speed", inv.Ports[0].SpeedMbps, 1000)
	})
	t.Run("NAS fusion-19", func(t *testing.T) {
		inv := parseFile(t, "glpi-inventory-format/fusion-19.xml")
		it.Eq(t, "itemtype (Storage)", inv.ItemType, inventory.ItemNetworkEquipment)
		it.Eq(t, "type", inv.Device.Type, "Storage")
		it.Eq(t, "device", inv.Name()+" "+inv.Serial()+" "+inv.Model(), "SYN14 01234567890AAA DS1821+")
		it.Eq(t, "ram", inv.Device.RAMMB, 3890)
		it.Eq(t, "volumes", len(inv.Volumes), 2)
		it.Eq(t, "volume 1", inv.Volumes[0], inventory.Volume{Device: "Volume 1", TotalMB: 19195411, FreeMB: 7144730})
		it.Eq(t, "firmware", inv.Firmwares[0].Version, "DSM 7.2-64570")
		it.Eq(t, "primary IP (127.0.0.1 only)", inv.PrimaryIP(), "")
	})
}

// Network discoveries: one device found each.
func TestSampleNetDiscovery(t *testing.T) {
	cases := []struct {
		file, name, ip, mac, itemtype, agent string
		warnings                             int
	}{
		// f3:6c:… is a group (multicast) address: kept as sent, never used to match.
		{"fusion-9.xml", "homeassistant", "172.210.10.133", "f3:6c:00:33:85:f2", "Unmanaged", "4.2", 0},
		{"fusion-10.xml", "swdc-07-01-dc1", "192.168.0.8", "00:23:04:ee:be:02", "NetworkEquipment", "2.3.9901", 0},
		{"fusion-11.xml", "myprinter", "102.108.13.10", "", "Printer", "4.2", 1},
		{"fusion-16.xml", "J9803A", "192.168.1.9", "", "NetworkEquipment", "6.0", 1},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			m, err := Parse(it.Read(t, "glpi-inventory-format/"+c.file))
			if err != nil {
				t.Fatal(err)
			}
			it.Eq(t, "query", m.Query, QueryNetDiscovery)
			inv := m.Inventory
			it.Eq(t, "action", inv.Action, inventory.ActionNetDiscovery)
			it.Eq(t, "itemtype", string(inv.ItemType), c.itemtype)
			it.Eq(t, "sections", it.SectionList(inv), "network_device")
			it.Eq(t, "name", inv.Name(), c.name)
			it.Eq(t, "ips", strings.Join(inv.Device.IPs, " "), c.ip)
			it.Eq(t, "mac", inv.Device.MAC, c.mac)
			it.Eq(t, "primary IP", inv.PrimaryIP(), c.ip)
			it.Eq(t, "agent", inv.Agent.Version, c.agent)
			it.Eq(t, "warnings", len(inv.Warnings), c.warnings)
			it.Eq(t, "MACs", len(inv.MACs()), map[bool]int{true: 1, false: 0}[c.mac == "00:23:04:ee:be:02"])
			if err := inv.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
	inv := parseFile(t, "glpi-inventory-format/fusion-10.xml")
	it.Eq(t, "fusion-10 details", inv.Device.Model+" | "+inv.Device.Firmware+" | "+inv.Device.Location+" | "+inv.Device.Contact,
		"Cisco Nexus 5596 | CW_VERSION$5.2(1)N1(5)$ | dc1 salle 07 | anyone@glpi-project.org")
	inv = parseFile(t, "glpi-inventory-format/fusion-16.xml")
	it.Eq(t, "fusion-16 serial and asset tag", inv.Serial()+" "+inv.Device.AssetTag, "cn3afrt37n assettag")
}

// Every sample parses, and what is derived from it does not fail.
func TestEverySample(t *testing.T) {
	names := append(it.Glob(t, "glpi-inventory-format/fusion-*.xml"), it.Glob(t, "fusioninventory-*.xml")...)
	if len(names) != 21 {
		t.Fatalf("%d samples", len(names))
	}
	for _, name := range names {
		inv := parseFile(t, name)
		if len(inv.Sections) == 0 {
			t.Errorf("%s: no section", name)
		}
		if h := inv.SectionHashes(); len(h) != len(inv.Sections) {
			t.Errorf("%s: %d hashes for %d sections", name, len(h), len(inv.Sections))
		}
		_ = inv.Summary()
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, doc string
		want      error
		msg       string
	}{
		{"wrong root", `<REPLY><RESPONSE>SEND</RESPONSE></REPLY>`, inventory.ErrMalformed, "<REPLY>, not <REQUEST>"},
		{"no query", `<REQUEST><DEVICEID>x</DEVICEID></REQUEST>`, inventory.ErrMalformed, "no QUERY"},
		{"unknown query", `<REQUEST><QUERY>UPDATE</QUERY></REQUEST>`, inventory.ErrUnsupported, `QUERY "UPDATE"`},
		{"inventory without content", `<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>x</DEVICEID></REQUEST>`, inventory.ErrMalformed, "without CONTENT"},
		{"snmp without content", `<REQUEST><QUERY>SNMPQUERY</QUERY></REQUEST>`, inventory.ErrMalformed, "without CONTENT"},
		{"discovery without content", `<REQUEST><QUERY>NETDISCOVERY</QUERY></REQUEST>`, inventory.ErrMalformed, "without CONTENT"},
		{"json", `{"action":"inventory"}`, inventory.ErrMalformed, "text outside the root element"},
		{"bad xml", `<REQUEST><QUERY>INVENTORY</QUERY></REQUEST`, inventory.ErrMalformed, "XML syntax error on line 1"},
		{"truncated", `<REQUEST><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><NAME>x`, inventory.ErrMalformed, "unexpected EOF"},
		{"deep", "<REQUEST>" + strings.Repeat("<A>", 40) + strings.Repeat("</A>", 40) + "</REQUEST>", inventory.ErrLimit, "deeper than 32"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc))
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "fusion: ") {
				t.Errorf("err = %v, want %v saying %q", err, c.want, c.msg)
			}
		})
	}
	// A document over a custom element limit.
	doc := "<REQUEST><QUERY>INVENTORY</QUERY><CONTENT>" + strings.Repeat("<SOFTWARES><NAME>x</NAME></SOFTWARES>", 100) + "</CONTENT></REQUEST>"
	if _, err := ParseWithLimits([]byte(doc), inventory.Limits{MaxElements: 150}); !errors.Is(err, inventory.ErrLimit) {
		t.Errorf("element limit: %v", err)
	}
	if _, err := ParseWithLimits([]byte(doc), inventory.Limits{}); err != nil {
		t.Errorf("zero limits mean the defaults: %v", err)
	}
}

// A Windows agent declaring ISO-8859-1, and one sending windows-1252 bytes in a document
// it calls UTF-8.
func TestEncodings(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>pc</DEVICEID><CONTENT>" +
		"<HARDWARE><NAME>pc</NAME></HARDWARE><SOFTWARES><NAME>Acrobat\xae Reader</NAME><PUBLISHER>Soci\xe9t\xe9</PUBLISHER></SOFTWARES>" +
		"</CONTENT></REQUEST>"
	inv, err := ParseInventory([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "name", inv.Softwares[0].Name+" / "+inv.Softwares[0].Publisher, "Acrobat® Reader / Société")
	it.Eq(t, "warnings", len(inv.Warnings), 0)

	utf8Doc := strings.Replace(doc, ` encoding="ISO-8859-1"`, ` encoding="UTF-8"`, 1)
	inv, err = ParseInventory([]byte(utf8Doc))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "repaired name", inv.Softwares[0].Name, "Acrobat® Reader")
	if !hasWarning(inv, "not valid UTF-8: 3 bytes") {
		t.Errorf("warnings %q", inv.Warnings)
	}

	koi := strings.Replace(doc, "ISO-8859-1", "KOI8-R", 1)
	if _, err := Parse([]byte(koi)); !errors.Is(err, inventory.ErrUnsupported) || !strings.Contains(err.Error(), `"KOI8-R"`) {
		t.Errorf("KOI8-R: %v", err)
	}
}

// A document within the body cap but far beyond any inventory: refused by the element
// limit after a bounded amount of work.
func TestHugeDocument(t *testing.T) {
	doc := "<REQUEST><QUERY>INVENTORY</QUERY><CONTENT>" + strings.Repeat("<SOFTWARES/>", 1_000_000) + "</CONTENT></REQUEST>"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse([]byte(doc))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, inventory.ErrLimit) || !strings.Contains(err.Error(), "more than 500000 elements") {
		t.Fatalf("err = %v", err)
	}
	alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
	t.Logf("%d MB document refused after %d MiB allocated", len(doc)>>20, alloc)
	if alloc > 512 {
		t.Errorf("%d MiB allocated", alloc)
	}
}

// Old agents give the system only in HARDWARE; a request with two DEVICEs keeps the
// first.
func TestOldAgentAndSeveralDevices(t *testing.T) {
	inv, err := ParseInventory([]byte(`<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>old-2010</DEVICEID><CONTENT>
<HARDWARE><NAME>old</NAME><OSNAME>Microsoft Windows XP Professionnel</OSNAME><OSVERSION>5.1.2600</OSVERSION></HARDWARE>
</CONTENT></REQUEST>`))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "os", inv.OS, inventory.OS{Name: "Microsoft Windows XP Professionnel", FullName: "Microsoft Windows XP Professionnel", Kernel: "5.1.2600"})
	it.Eq(t, "sections", it.SectionList(inv), "hardware,operatingsystem")

	m, err := Parse([]byte(`<REQUEST><QUERY>NETDISCOVERY</QUERY><CONTENT>
<DEVICE><IP>10.0.0.1</IP><TYPE>PRINTER</TYPE></DEVICE><DEVICE><IP>10.0.0.2</IP></DEVICE></CONTENT></REQUEST>`))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "first device", strings.Join(m.Inventory.Device.IPs, ","), "10.0.0.1")
	it.Eq(t, "itemtype", m.Inventory.ItemType, inventory.ItemPrinter)
	it.Eq(t, "warnings", strings.Join(m.Inventory.Warnings, "|"), "NETDISCOVERY: only the first DEVICE is read")
}
