package glpi

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	it "parc/internal/inventory/inventorytest"
)

func parseFile(t *testing.T, name string) *inventory.Inventory {
	t.Helper()
	inv, err := ParseInventory(it.Read(t, "glpi-inventory-format/"+name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return inv
}

func count(inv *inventory.Inventory, name string) int {
	n := 0
	for _, s := range inv.Softwares {
		if s.Name == name {
			n++
		}
	}
	return n
}

// computer_1: a Dell XPS 13 under Fedora 31 (the request has no itemtype).
func TestComputer1(t *testing.T) {
	inv := parseFile(t, "computer_1.json")
	it.Eq(t, "format", inv.Format, inventory.FormatGLPI)
	it.Eq(t, "action", inv.Action, inventory.ActionInventory)
	it.Eq(t, "itemtype (default)", inv.ItemType, inventory.ItemComputer)
	it.Eq(t, "deviceid", inv.DeviceID, "glpixps-2018-07-09-09-07-13")
	it.Eq(t, "tag", inv.Tag, "000005")
	it.Eq(t, "partial", inv.Partial, false)
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.5.2-1.fc31"})
	it.Eq(t, "sections", it.SectionList(inv), "batteries,bios,controllers,cpus,drives,hardware,memories,monitors,"+
		"networks,operatingsystem,remote_mgmt,softwares,storages,users")
	it.Eq(t, "remote management", fmt.Sprint(inv.RemoteMgmt), fmt.Sprint([]inventory.RemoteMgmt{{Type: "teamviewer", ID: "123456789"}}))
	it.Eq(t, "serial", inv.Serial(), "640HP72")
	it.Eq(t, "uuid", inv.Hardware.UUID, "4c4c4544-0034-3010-8048-b6c04f503732")
	it.Eq(t, "bios", inv.BIOS, inventory.BIOS{SystemManufacturer: "Dell Inc.", SystemModel: "XPS 13 9350", SystemSerial: "640HP72",
		SKU: "0704", Manufacturer: "Dell Inc.", Version: "1.4.3", Date: "2016-02-06", BoardManufacturer: "Dell Inc.",
		BoardModel: "07TYC2", BoardSerial: "/640HP72/CE129536461378/"})
	it.Eq(t, "hardware", inv.Hardware, inventory.Hardware{Name: "glpixps", UUID: "4c4c4544-0034-3010-8048-b6c04f503732",
		ChassisType: "Laptop", VMSystem: "Physical", MemoryMB: 7800, SwapMB: 7951, DNS: "192.168.1.1",
		DefaultGateway: "192.168.1.1", LastLoggedUser: "root"})
	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz", Manufacturer: "Intel",
		Cores: 2, Threads: 4, SpeedMHz: 2300, Arch: "i386", Serial: "To Be Filled By O.E.M."})
	it.Eq(t, "cpu serial is a placeholder", inventory.IsDummySerial(inv.CPUs[0].Serial), true)
	it.Eq(t, "memories", len(inv.Memories), 2)
	it.Eq(t, "memory (speed \"1867\")", inv.Memories[0], inventory.Memory{CapacityMB: 4096, Type: "LPDDR3", SpeedMHz: 1867,
		Serial: "12161217", Slot: 1, Caption: "System Board Memory", Description: "Chip", Manufacturer: "Elpida"})
	it.Eq(t, "total memory (modules, not the 7800 the OS sees)", inv.TotalMemoryMB(), 8192)
	it.Eq(t, "disk", inv.Storages[0], inventory.Storage{Name: "nvme0n1", Model: "PM951 NVMe SAMSUNG 256GB", Manufacturer: "Samsung",
		Serial: "S29NNXAH146409", SizeMB: 256060, Description: "PCI", Firmware: "BXV77D0Q"})
	it.Eq(t, "volumes", len(inv.Volumes), 6)
	it.Eq(t, "root volume", inv.Volumes[0], inventory.Volume{Device: "/dev/mapper/xps-root", Mount: "/", FSType: "ext4",
		TotalMB: 40189, FreeMB: 11683, Serial: "e2d02a40-829a-44ce-b863-cf765ac2c9eb", Encryption: "LUKS1 aes-xts-plain64"})
	it.Eq(t, "efi volume", inv.Volumes[5].Mount+" "+inv.Volumes[5].FSType+" "+inv.Volumes[5].Encryption, "/boot/efi vfat ")
	it.Eq(t, "interfaces", len(inv.Networks), 5)
	eth := it.Network(t, inv, "enp57s0u1u4", "00:e0:4c:68:01:db")
	it.Eq(t, "ethernet", it.Addresses(eth)+" gw "+eth.Gateway, "192.168.1.142/24 fe80::b283:4fa3:d3f2:96b1/64 gw 192.168.1.1")
	it.Eq(t, "ethernet speed (\"100\")", eth.SpeedMbps, 100)
	it.Eq(t, "wifi", it.Addresses(it.Network(t, inv, "wlp58s0", "44:85:00:2b:90:bc")), "192.168.1.118/24 fe80::92a4:26c6:99dd:2d60/64")
	br := it.Network(t, inv, "virbr0", "52:54:00:fa:20:0e")
	it.Eq(t, "bridge", br.Type+" "+it.Addresses(br), "bridge 192.168.122.1/24")
	it.Eq(t, "bridge virtual (JSON true)", br.Virtual, true)
	it.Eq(t, "lo", it.Addresses(it.Network(t, inv, "lo", "")), "127.0.0.1/8 ::1/12")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "00:e0:4c:68:01:db 44:85:00:2b:90:bc 52:54:00:fa:20:0e")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "192.168.1.142")
	it.Eq(t, "os", inv.OS, inventory.OS{Name: "Fedora", Version: "31 (Workstation Edition)", FullName: "Fedora 31 (Workstation Edition)",
		KernelName: "linux", Kernel: "5.6.15-200.fc31.x86_64", Arch: "x86_64", BootTime: "2020-06-09 07:58:08", FQDN: "glpixps",
		TimezoneName: "CEST", TimezoneOffset: "+0200"})
	it.Eq(t, "softwares", len(inv.Softwares), 6)
	it.Eq(t, "gitg", it.Software(t, inv, "gitg"), inventory.Software{Name: "gitg", Version: "3.32.1-1.fc31", Publisher: "Fedora Project",
		InstallDate: "2019-12-19", Arch: "x86_64", Source: "rpm", Category: "Unspecified", SizeBytes: 2335956,
		Comments: "GTK+ graphical interface for the git revision control system"})
	it.Eq(t, "tar", it.Software(t, inv, "tar").Version, "1.32-2.fc31")
	it.Eq(t, "gettext install date", it.Software(t, inv, "gettext").InstallDate, "2020-01-15")
	it.Eq(t, "users", inv.Users[0].Login+","+inv.Users[1].Login, "trasher,root")
	it.Eq(t, "monitor", inv.Monitors[0], inventory.Monitor{Name: "DJCP6", Manufacturer: "Sharp Corporation", Model: "DJCP6",
		Serial: "ABH55D", Description: "32/2015"})
	it.Eq(t, "battery", inv.Batteries[0], inventory.Battery{Name: "DELL RWT1R43", Manufacturer: "SMP", Serial: "34605",
		Chemistry: "lithium-ion", CapacityMWh: 57570, RealCapacityMWh: 50570, VoltageMV: 8465, Date: "2019-07-06"})
	it.Eq(t, "controllers", len(inv.Controllers), 25)
	it.Eq(t, "controller", inv.Controllers[1].Name+" "+inv.Controllers[1].VendorID+":"+inv.Controllers[1].ProductID,
		"Skylake GT2 [HD Graphics 520] 8086:1916")
	if v, _ := inv.Virtualization(); v {
		t.Error("taken for a VM")
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("warnings %q", inv.Warnings)
	}
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}
}

// computer_2: only bios, hardware and containers.
func TestComputer2(t *testing.T) {
	inv := parseFile(t, "computer_2.json")
	it.Eq(t, "deviceid", inv.DeviceID, "acomputer-2021-01-26-14-32-36")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "FusionInventory-Agent", Version: "2.3.19"})
	it.Eq(t, "sections", it.SectionList(inv), "bios,hardware,virtualmachines")
	if inv.Has(inventory.SectionSoftwares) || inv.Has(inventory.SectionNetworks) {
		t.Error("absent sections reported")
	}
	it.Eq(t, "serial", inv.Serial(), "2FAGP34")
	it.Eq(t, "asset tag", inv.BIOS.AssetTag, "COMP1")
	// Not hexadecimal, but not a known placeholder either: kept.
	it.Eq(t, "uuid", inv.Identity().UUID, "4bdrggfe-0046-4710-8047-b2c04f503732")
	it.Eq(t, "memory (no modules listed)", inv.TotalMemoryMB(), 7830)
	it.Eq(t, "containers", len(inv.VirtualMachines), 6)
	it.Eq(t, "first", inv.VirtualMachines[0], inventory.VirtualMachine{Name: "skydive-agent_1", UUID: "5506c9cf948e", Status: "off", Image: "skydive/skydive"})
	it.Eq(t, "second type", inv.VirtualMachines[1].VMType, "docker")
	s := inv.Summary()
	it.Eq(t, "software count", s.SoftwareCount, 0)
	it.Eq(t, "summary", s.Name+" "+s.Serial+" "+s.Manufacturer+" "+s.Model, "COMP1 2FAGP34 Dell Inc. XPS 13 9350")
}

// computer_3 (3,033 packages) and the same laptop four months later.
func TestComputer3Updated(t *testing.T) {
	before := parseFile(t, "computer_3.json")
	it.Eq(t, "deviceid", before.DeviceID, "LF014-2017-02-20-12-19-56")
	it.Eq(t, "sections", it.SectionList(before), "batteries,bios,controllers,cpus,drives,hardware,memories,monitors,"+
		"networks,operatingsystem,softwares,storages,users")
	it.Eq(t, "serial", before.Serial(), "8C554721F")
	it.Eq(t, "uuid", before.Hardware.UUID, "0055ADC9-1D3A-E411-8043-B05D95113232")
	it.Eq(t, "workgroup", before.Hardware.Workgroup, "glpi-project.infra")
	it.Eq(t, "softwares", len(before.Softwares), 3033)
	xerces := it.Software(t, before, "xerces-j2")
	it.Eq(t, "xerces", xerces.Version+" "+xerces.Arch+" "+xerces.InstallDate, "2.11.0-24.fc24 noarch 2016-10-26")
	it.Eq(t, "armadillo", it.Software(t, before, "armadillo").Version, "7.600.2-1.fc25")
	it.Eq(t, "three kernels installed", count(before, "kernel"), 3)
	it.Eq(t, "memory", before.TotalMemoryMB(), 4096)
	it.Eq(t, "memory speed (\"1333 MHz\")", before.Memories[0].SpeedMHz, 1333)
	it.Eq(t, "interfaces", len(before.Networks), 4)
	it.Eq(t, "enp0s25", it.Addresses(it.Network(t, before, "enp0s25", "b8:6b:23:e0:5c:81")), "172.28.220.96/24 fe80::ba6b:23ff:fee0:5c81/64")
	it.Eq(t, "primary IP", before.PrimaryIP(), "172.28.220.96")
	it.Eq(t, "monitors", len(before.Monitors), 2)
	it.Eq(t, "cpu", before.Processor(), "Intel(R) Core(TM) i5-4210U CPU @ 1.70GHz")
	it.Eq(t, "disk", before.TotalDiskMB(), 250059)
	it.Eq(t, "os", before.OS.FullName+" "+before.OS.Kernel, "Fedora release 25 (Twenty Five) 4.9.9-200.fc25.x86_64")
	it.Eq(t, "battery serial placeholder", inventory.IsDummySerial(before.Batteries[0].Serial), true)

	after := parseFile(t, "computer_3_updated.json")
	it.Eq(t, "softwares", len(after.Softwares), 3184)
	it.Eq(t, "php71-php-process", it.Software(t, after, "php71-php-process").Version, "7.1.6-1.fc25.remi")
	it.Eq(t, "meld upgraded", it.Software(t, after, "meld").Version, "3.16.4-4.fc25")
	it.Eq(t, "memory", after.TotalMemoryMB(), 8192)
	it.Eq(t, "vms", len(after.VirtualMachines), 3)
	it.Eq(t, "interfaces", len(after.Networks), 7)
	it.Eq(t, "primary IP", after.PrimaryIP(), "192.168.1.103")
	it.Eq(t, "agent", after.Agent.Version, "2.3.20")
	it.Eq(t, "same identity", after.Identity().Serial+after.Identity().UUID, before.Identity().Serial+before.Identity().UUID)

	hb, ha := before.SectionHashes(), after.SectionHashes()
	for _, s := range []string{"batteries", "bios", "controllers", "cpus", "storages", "users"} {
		if hb[s] != ha[s] {
			t.Errorf("unchanged section %s hashes differently", s)
		}
	}
	for _, s := range []string{"drives", "hardware", "memories", "monitors", "networks", "operatingsystem", "softwares"} {
		if hb[s] == ha[s] {
			t.Errorf("changed section %s hashes the same", s)
		}
	}
	if _, ok := hb["virtualmachines"]; ok {
		t.Error("virtualmachines hashed before it was reported")
	}
	if _, ok := ha["virtualmachines"]; !ok {
		t.Error("virtualmachines not hashed")
	}
}

func TestNetworkEquipment(t *testing.T) {
	inv := parseFile(t, "networkequipment_1.json")
	it.Eq(t, "action", inv.Action, inventory.ActionNetInventory)
	it.Eq(t, "itemtype", inv.ItemType, inventory.ItemNetworkEquipment)
	it.Eq(t, "deviceid", inv.DeviceID, "foo")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Version: "4.1"})
	it.Eq(t, "sections", it.SectionList(inv), "firmwares,network_device,network_ports")
	it.Same(t, "device", *inv.Device, inventory.NetworkDevice{Name: "ucs6248up-cluster-pa3-B", Type: "Networking", Manufacturer: "Cisco",
		Model: "UCS 6248UP 48-Port", Serial: "SSI1912014B", Firmware: "5.0(3)N2(4.02b)", MAC: "8c:60:4f:8d:ae:fc",
		IPs: []string{"127.0.0.1", "10.2.5.10", "192.168.12.5"}, Location: "paris.pa3", Contact: "noc@glpi-project.org",
		Uptime: "482 days, 05:42:18.50"})
	it.Eq(t, "ports", len(inv.Ports), 183)
	it.Eq(t, "primary IP (not the loopback)", inv.PrimaryIP(), "10.2.5.10")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), " "), "8c:60:4f:8d:ae:fc")
	it.Eq(t, "firmware", inv.Firmwares[0].Name+" "+inv.Firmwares[0].Version, "UCS 6248UP 48-Port 5.0(3)N2(4.02b)")
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}

	// The same switch, inventoried over SNMP and sent as FusionInventory XML (fusion-6):
	// same identity and the same ports, port for port.
	xml, err := fusion.ParseInventory(it.Read(t, "glpi-inventory-format/fusion-6.xml"))
	if err != nil {
		t.Fatal(err)
	}
	it.Same(t, "identity", xml.Identity(), inv.Identity())
	it.Eq(t, "ports hash", xml.SectionHashes()["network_ports"], inv.SectionHashes()["network_ports"])
	it.Eq(t, "firmwares hash", xml.SectionHashes()["firmwares"], inv.SectionHashes()["firmwares"])

	inv = parseFile(t, "networkequipment_4.json")
	it.Eq(t, "deviceid", inv.DeviceID, "CH-GV1-DSI-WLC-INSID-1-2020-12-31-11-28-51")
	it.Eq(t, "device", inv.Name()+" "+inv.Manufacturer()+" "+inv.Model()+" "+inv.Serial(), "CH-GV1-DSI-WLC-INSID-1 Cisco CT5520 FCH1946V219")
	it.Eq(t, "ips", strings.Join(inv.Device.IPs, " "), "1.1.1.1 10.65.0.184 10.65.0.192 169.254.0.192 192.168.200.116")
	it.Eq(t, "ports", len(inv.Ports), 3)
	it.Eq(t, "port 1", inv.Ports[0].Name+" "+inv.Ports[0].MAC, "TenGigabitEthernet0/0/1 58:ac:78:59:45:fc")
	it.Eq(t, "port 1 speed", inv.Ports[0].SpeedMbps, 10000)
	it.Eq(t, "location", inv.Device.Location, "MERY")
}

func TestPrinters(t *testing.T) {
	inv := parseFile(t, "printer_1.json")
	it.Eq(t, "itemtype", inv.ItemType, inventory.ItemPrinter)
	it.Eq(t, "action", inv.Action, inventory.ActionNetInventory)
	it.Eq(t, "deviceid", inv.DeviceID, "NPIF2BE10-2020-12-31-11-28-51")
	it.Eq(t, "agent (versionclient \"missing\")", inv.Agent, inventory.Agent{Name: "missing"})
	it.Eq(t, "device", inv.Name()+" "+inv.Manufacturer()+" "+inv.Model()+" "+inv.Serial(), "NPIF2BE10 Hewlett-Packard HP LaserJet M507 PHCVN191TG")
	it.Eq(t, "ram", inv.Device.RAMMB, 512)
	it.Eq(t, "mac", inv.Device.MAC, "00:68:eb:f2:be:10")
	it.Eq(t, "primary IP", inv.PrimaryIP(), "10.59.29.175")
	it.Eq(t, "ports", len(inv.Ports), 2)
	it.Same(t, "port 2", inv.Ports[1], inventory.Port{Number: 2,
		Name:        "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI24090012",
		Description: "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI24090012",
		MAC:         "00:68:eb:f2:be:10", IfType: 6, SpeedMbps: 1000, MTU: 1500, Status: 1, IPs: []string{"10.59.29.175"}})
	it.Eq(t, "firmware", inv.Firmwares[0], inventory.Firmware{Name: "HP LaserJet M507", Version: "2409048_052887",
		Manufacturer: "Hewlett-Packard", Type: "device", Description: "device firmware", Date: "2019-09-16"})

	inv = parseFile(t, "printer_3.json")
	it.Eq(t, "device", inv.Name()+" "+inv.Model()+" "+inv.Serial(), "MX5970 Canon MX 5970 SDFSDF9874")
	it.Eq(t, "ips", strings.Join(inv.Device.IPs, " "), "10.59.29.176")
	it.Eq(t, "ports", len(inv.Ports), 3)
	it.Eq(t, "ports 2 and 3 share a MAC", inv.Ports[1].MAC+" "+inv.Ports[2].MAC, "00:87:eb:f2:be:31 00:87:eb:f2:be:31")
	it.Eq(t, "ram", inv.Device.RAMMB, 256)
}

func TestPhone(t *testing.T) {
	inv := parseFile(t, "phone_1.json")
	it.Eq(t, "itemtype", inv.ItemType, inventory.ItemPhone)
	it.Eq(t, "deviceid", inv.DeviceID, "Mi9TPro-TéléphoneM-2019-12-18-14-30-16")
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "example-app-java"})
	it.Eq(t, "sections", it.SectionList(inv), "batteries,bios,cpus,drives,hardware,memories,networks,operatingsystem,softwares,users,videos")
	it.Eq(t, "name", inv.Name(), "Mi9TPro-TéléphoneM")
	it.Eq(t, "serial", inv.Serial(), "af8d8fcfa6fa4794")
	it.Eq(t, "uuid", inv.Hardware.UUID, "af8d3fcfa6fe4784")
	it.Eq(t, "model", inv.Manufacturer()+" "+inv.Model(), "Xiaomi Mi 9T Pro")
	it.Eq(t, "cpu", inv.CPUs[0], inventory.CPU{Model: "AArch64 Processor rev 14 (aarch64)", Manufacturer: "Qualcomm", Cores: 8,
		Threads: 8, SpeedMHz: 1785, Arch: "aarch64"})
	it.Eq(t, "memory", inv.TotalMemoryMB(), 5523)
	it.Eq(t, "storage", inv.TotalDiskMB(), 3471+3*51913)
	wifi := it.Network(t, inv, "No description found", "e0:dc:ff:ed:09:59")
	it.Eq(t, "wifi", it.Addresses(wifi)+" gw "+wifi.Gateway+" dhcp "+wifi.DHCPServer,
		"172.28.214.132/24 fe80::8077:63ff:fe5b:2a71/64 gw 172.28.214.1 dhcp 172.28.214.1")
	it.Eq(t, "wifi speed", wifi.SpeedMbps, 240)
	it.Eq(t, "primary IP", inv.PrimaryIP(), "172.28.214.132")
	it.Eq(t, "os", inv.OS.FullName+" / "+inv.OS.Version, "Q Android 10.0 api 29 / 29")
	it.Eq(t, "boot time (\"2019-54-17\") dropped", inv.OS.BootTime, "")
	it.Eq(t, "warnings", strings.Join(inv.Warnings, "|"), `operatingsystem/boot_time: "2019-54-17 10:54:37" is not a date and time`)
	it.Eq(t, "softwares", len(inv.Softwares), 3)
	rec := it.Software(t, inv, "Enregistreur d'écran")
	it.Eq(t, "screen recorder", rec.Version+" "+rec.InstallDate+" "+rec.Source+" "+rec.Comments, "1.5.9 2008-12-31 android com.miui.screenrecorder")
	it.Eq(t, "amazon", it.Software(t, inv, "Boutique Amazon").Version, "18.21.2.100")
	it.Eq(t, "users", inv.Users[0].Login, "builder")
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}
}

func TestContact(t *testing.T) {
	m, err := Parse([]byte(`{"action":"contact","deviceid":"pc-2024-01-01-00-00-00","name":"GLPI-Agent_v1.7",
		"installed-tasks":["inventory","netdiscovery","netinventory"],"enabled-tasks":["inventory"],"tag":"paris"}`))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "action", m.Action, ActionContact)
	it.Eq(t, "deviceid", m.DeviceID, "pc-2024-01-01-00-00-00")
	if m.Inventory != nil || m.Contact == nil {
		t.Fatalf("message %+v", m)
	}
	it.Eq(t, "agent", m.Contact.Agent, inventory.Agent{Name: "GLPI-Agent", Version: "1.7"})
	it.Eq(t, "installed", strings.Join(m.Contact.InstalledTasks, ","), "inventory,netdiscovery,netinventory")
	it.Eq(t, "enabled", strings.Join(m.Contact.EnabledTasks, ","), "inventory")
	it.Eq(t, "tag", m.Contact.Tag, "paris")
	if _, err := ParseInventory([]byte(`{"action":"contact","deviceid":"x"}`)); !errors.Is(err, inventory.ErrUnsupported) {
		t.Errorf("ParseInventory(contact) = %v", err)
	}
}

func TestNetDiscovery(t *testing.T) {
	m, err := Parse([]byte(`{"action":"netdiscovery","deviceid":"agent-1","jobid":3,"content":{"network_device":
		{"type":"PRINTER","ips":["10.0.0.9","10.0.0.9"],"mac":"00:11:22:33:44:55","name":"printer-2"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	inv := m.Inventory
	it.Eq(t, "action", inv.Action, inventory.ActionNetDiscovery)
	it.Eq(t, "itemtype (from the device type)", inv.ItemType, inventory.ItemPrinter)
	it.Eq(t, "device", inv.Device.Name+" "+inv.Device.Type+" "+strings.Join(inv.Device.IPs, ","), "printer-2 Printer 10.0.0.9")
	it.Eq(t, "MACs", strings.Join(inv.MACs(), ","), "00:11:22:33:44:55")
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}
}

// A partial inventory carries only what changed: the rest is "not reported".
func TestPartial(t *testing.T) {
	inv, err := ParseInventory([]byte(`{"deviceid":"pc-2024","itemtype":"Computer","partial":true,
		"content":{"softwares":[],"drives":[{"volumn":"/dev/sda1","type":"/","total":100,"free":"40"}],"versionclient":"GLPI-Agent_v1.7"}}`))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "action (none given)", inv.Action, inventory.ActionInventory)
	it.Eq(t, "partial", inv.Partial, true)
	it.Eq(t, "agent", inv.Agent, inventory.Agent{Name: "GLPI-Agent", Version: "1.7"})
	it.Eq(t, "sections", it.SectionList(inv), "drives,softwares")
	it.Eq(t, "softwares reported empty", len(inv.Softwares), 0)
	h := inv.SectionHashes()
	if len(h) != 2 || h["softwares"] == "" || h["hardware"] != "" {
		t.Errorf("hashes %v", h)
	}
	it.Eq(t, "free (a string)", inv.Volumes[0].FreeMB, 40)
	if err := inv.Validate(); err != nil {
		t.Errorf("a partial inventory needs no HARDWARE: %v", err)
	}
	full := *inv
	full.Partial = false
	if err := full.Validate(); err == nil || !strings.Contains(err.Error(), "HARDWARE") {
		t.Errorf("a full inventory without HARDWARE: %v", err)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, doc string
		want      error
		msg       string
	}{
		{"unknown action", `{"action":"wakeup","deviceid":"x"}`, inventory.ErrUnsupported, `action "wakeup"`},
		{"unknown itemtype", `{"action":"inventory","deviceid":"x","itemtype":"Monitor","content":{}}`, inventory.ErrUnsupported, `itemtype "Monitor"`},
		{"no content", `{"action":"inventory","deviceid":"x"}`, inventory.ErrMalformed, "needs a content object"},
		{"scalar content", `{"action":"inventory","deviceid":"x","content":"hello"}`, inventory.ErrMalformed, "needs a content object"},
		{"xml", `<REQUEST><QUERY>PROLOG</QUERY></REQUEST>`, inventory.ErrMalformed, "syntax error"},
		{"truncated", `{"action":"inventory","deviceid":"x","content":{"hardware":{"name":"pc"`, inventory.ErrMalformed, "ends too early"},
		{"array", `[{"action":"inventory"}]`, inventory.ErrMalformed, "not an object"},
		{"deep", `{"content":` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 41), inventory.ErrLimit, "deeper than 32"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc))
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "glpi: ") {
				t.Errorf("err = %v, want %v saying %q", err, c.want, c.msg)
			}
		})
	}
	// Values of the wrong type are read as text, numbers in strings as numbers.
	inv, err := ParseInventory([]byte(`{"deviceid":"x","content":{"hardware":{"name":123,"memory":"2048","uuid":true},
		"cpus":[{"name":"c","core":"4","speed":"2.4 GHz"}],"networks":[{"description":"e","mac":"zz","virtualdev":1}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	it.Eq(t, "name", inv.Hardware.Name, "123")
	it.Eq(t, "memory", inv.Hardware.MemoryMB, 2048)
	it.Eq(t, "cores", inv.CPUs[0].Cores, 4)
	it.Eq(t, "virtual (1)", inv.Networks[0].Virtual, true)
	it.Eq(t, "warnings", strings.Join(inv.Warnings, "|"), `networks/mac: "zz" is not a MAC address`)
}

// A JSON document within the body cap but far beyond any inventory.
func TestHugeDocument(t *testing.T) {
	doc := `{"deviceid":"x","content":{"softwares":[` + strings.Repeat(`{},`, 5_000_000) + `{}]}}`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse([]byte(doc))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, inventory.ErrLimit) || !strings.Contains(err.Error(), "more than 500000 values") {
		t.Fatalf("err = %v", err)
	}
	alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
	t.Logf("%d MB document refused after %d MiB allocated", len(doc)>>20, alloc)
	if alloc > 512 {
		t.Errorf("%d MiB allocated", alloc)
	}
}
