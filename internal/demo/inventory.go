package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"parc/internal/agent"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/parcdoc"
	"parc/internal/record"
)

// machine is a demo computer whose agent reports: what the fleet step knows of it.
type machine struct {
	id                 int64
	name, serial, uuid string
	maker, model       string
	laptop             bool
	osName, osVersion  string
	site               *site
	owner              *employee
	bought             time.Time
	// Filled by loadInventory: the first document, the address it came from, when the
	// agent last reported, and the agent.
	inv                    *inventory.Inventory
	ip                     string
	lastSeen               time.Time
	agentVersion, deviceID string
}

// Agent versions the demo's machines run: most are current, a few were not updated.
var agentVersions = []string{"1.4.2", "1.4.2", "1.4.2", "1.4.2", "1.3.0"}

// loadInventory has the demo's computers at work report to parc as their agent
// would: each document is the parc-agent/1 document the agent sends, read by the
// server's own decoder and stored by the ingest service, at the time it would have
// arrived. A third of the machines reported twice, a month apart, so their history
// shows what changed in between (memory added, software updated, installed,
// removed); a few have not reported for over a month. The dictionary and the
// assignment rules are the ones a technician would set up first.
func loadInventory(ctx context.Context, a *Services, machines []*machine, sites []*site, now time.Time) (map[string]int, error) {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	if err := inventoryRules(ctx, a, sys, machines, counts); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, seed>>5))
	svc := a.Inventory
	type report struct {
		m   *machine
		at  time.Time
		inv *inventory.Inventory
	}
	var reports []report
	for i, m := range machines {
		m.agentVersion = pick(rng, agentVersions)
		m.deviceID = m.name + "-" + m.bought.AddDate(0, 0, 10+rng.IntN(20)).Format("2006-01-02-15-04-05")
		m.inv = m.inventory(rng)
		switch {
		case i%20 == 7: // away: last seen five weeks to three months ago
			m.lastSeen = now.Add(-time.Duration(35*24+rng.IntN(55*24)) * time.Hour)
			reports = append(reports, report{m, m.lastSeen, m.inv})
		case i%3 == 1: // reported a month ago, then again lately
			first := now.Add(-time.Duration(25*24+rng.IntN(15*24)) * time.Hour)
			m.lastSeen = now.Add(-time.Duration(1+rng.IntN(60)) * time.Hour)
			reports = append(reports, report{m, first, m.inv}, report{m, m.lastSeen, m.upgraded()})
		default:
			m.lastSeen = now.Add(-time.Duration(1+rng.IntN(60)) * time.Hour)
			reports = append(reports, report{m, m.lastSeen, m.inv})
		}
	}
	// The servers report once, in the last day: each hypervisor before its guests.
	for i, sv := range servers {
		s := siteByCode(sites, sv.site)
		if s == nil {
			return nil, fmt.Errorf("demo: server %s on unknown site %s", sv.name, sv.site)
		}
		m := &machine{name: sv.name, site: s, ip: fmt.Sprintf("10.%d.0.%d", s.subnet, sv.ip), agentVersion: agentVersions[0]}
		reports = append(reports, report{m, now.Add(-time.Duration(20-i) * time.Hour), serverInventory(i, s)})
	}
	// In the order they arrived, as the server would have received them, with the
	// record service's clock (history, update times) at that time too, as the
	// helpdesk step does: nothing else runs while the demo loads.
	slices.SortStableFunc(reports, func(x, y report) int { return x.at.Compare(y.at) })
	real := a.Records.Now
	defer func() { a.Records.Now = real }()
	for _, r := range reports {
		doc, err := agent.Marshal(r.inv)
		if err != nil {
			return nil, err
		}
		inv, err := parcdoc.Decode(doc, inventory.Limits{})
		if err != nil {
			return nil, fmt.Errorf("demo: inventory of %s: %w", r.m.name, err)
		}
		at := r.at.UTC().Truncate(time.Microsecond)
		svc.Now = func() time.Time { return at }
		a.Records.Now = svc.Now
		res, err := svc.Ingest(ctx, inv, ingest.Meta{RemoteIP: r.m.ip, UserAgent: agent.AgentName + "/" + r.m.agentVersion, Raw: doc})
		if err != nil {
			return nil, fmt.Errorf("demo: inventory of %s: %w", r.m.name, err)
		}
		if r.m.id != 0 && res.ComputerID != r.m.id {
			return nil, fmt.Errorf("demo: the inventory of %s went to computer %d, not %d", r.m.name, res.ComputerID, r.m.id)
		}
		counts["inventories"]++
	}
	for {
		n, err := svc.FoldInstallCounts(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			break
		}
	}
	counts["computers"] = len(servers) // the hypervisor made its guests, their agents then filled them
	return counts, nil
}

// inventoryRules writes the software dictionary and one assignment rule per site
// (its address range to its organisation and site), through the record service.
func inventoryRules(ctx context.Context, a *Services, sys *record.Actor, machines []*machine, counts map[string]int) error {
	create := func(typ string, in record.Input) error {
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType(typ), in); err != nil {
			return describe(typ, fmt.Sprint(in["name"]), err)
		}
		counts[typ]++
		return nil
	}
	dictionary := []record.Input{
		{"position": int64(10), "name": "Les mises à jour Windows ne sont pas des logiciels", "match_name": `\(KB[0-9]+\)`, "action": "ignore"},
		{"position": int64(20), "name": "Firefox sous un seul nom", "match_name": `^Mozilla Firefox`, "action": "rename", "new_name": "Mozilla Firefox"},
		{"position": int64(30), "name": "7-Zip sans sa version", "match_name": `^7-Zip\b`, "action": "rename", "new_name": "7-Zip"},
		{"position": int64(40), "name": "Une seule graphie de Microsoft", "match_publisher": `^Microsoft Corporation`, "action": "set_publisher", "new_publisher": "Microsoft"},
		{"position": int64(50), "name": "Logiciels métier", "match_name": `^(Sage 100|Secib|Cegid|Traçabilité HACCP)`, "action": "set_category", "new_name": "Métier"},
	}
	for _, in := range dictionary {
		if err := create("software-rules", in); err != nil {
			return err
		}
	}
	seen := map[*site]bool{}
	for _, m := range machines {
		s := m.site
		if seen[s] {
			continue
		}
		seen[s] = true
		in := record.Input{"position": int64(100 + 10*len(seen)), "name": "Nouvelles machines de " + s.name, "kind": "assign",
			"ip_range": fmt.Sprintf("10.%d.0.0/16", s.subnet), "location_id": s.id, "organization_id": s.orgID}
		if err := create("inventory-rules", in); err != nil {
			return err
		}
	}
	return nil
}

// inventory is what the machine's agent reports on its first run.
func (m *machine) inventory(rng *rand.Rand) *inventory.Inventory {
	inv := &inventory.Inventory{Format: agent.FormatParc, Action: inventory.ActionInventory, ItemType: inventory.ItemComputer,
		DeviceID: m.deviceID, Agent: inventory.Agent{Name: agent.AgentName, Version: m.agentVersion}, Tag: strings.ToUpper(m.site.org)}
	apple := m.maker == "Apple"
	linux := m.osName == "Ubuntu"
	login := "admin.local"
	if m.owner != nil {
		login = ascii(m.owner.first) + "." + ascii(m.owner.last)
	}
	chassis := "Desktop"
	if m.laptop {
		chassis = "Notebook"
	}
	memGB := 8
	switch r := rng.IntN(10); {
	case apple || r < 3:
		memGB = 16
	case r == 9:
		memGB = 32
	}
	inv.Hardware = inventory.Hardware{Name: m.name, UUID: m.uuid, ChassisType: chassis, VMSystem: "Physical", MemoryMB: memGB * 1024,
		LastLoggedUser: login, Workgroup: strings.ToUpper(m.site.org)}
	inv.BIOS = inventory.BIOS{SystemManufacturer: smbiosMaker[m.maker], SystemModel: m.model, SystemSerial: m.serial,
		Manufacturer: smbiosMaker[m.maker], Version: fmt.Sprintf("1.%d.%d", 10+rng.IntN(12), rng.IntN(4)), Date: m.bought.AddDate(0, -3, 0).Format("01/02/2006")}
	switch {
	case apple:
		inv.OS = inventory.OS{Name: m.osName, Version: m.osVersion, FullName: m.osName, KernelName: "darwin", Kernel: "23.6.0", Arch: "arm64"}
	case linux:
		inv.OS = inventory.OS{Name: m.osName, Version: m.osVersion, FullName: m.osName, KernelName: "linux", Kernel: "6.8.0-49-generic", Arch: "x86_64"}
	default:
		inv.OS = inventory.OS{Name: m.osName, Version: m.osVersion, FullName: m.osName, KernelName: "MSWin32", Kernel: "10.0.22631", Arch: "64-bit"}
	}
	inv.OS.InstallDate = m.bought.AddDate(0, 0, 3).Format("2006-01-02")
	inv.OS.DNSDomain = m.site.domain
	kind := "desktop"
	if apple {
		kind = "apple"
	} else if m.laptop {
		kind = "laptop"
	}
	c := pick(rng, cpus[kind])
	inv.CPUs = []inventory.CPU{{Model: c.model, Manufacturer: c.maker, Cores: c.cores, Threads: c.threads, SpeedMHz: c.mhz}}
	inv.Memories = memoryModules(memGB, apple, m.serial)
	diskGB := []int{256, 512, 512, 1024}[rng.IntN(4)]
	inv.Storages = []inventory.Storage{{Name: "nvme0n1", Model: disks[m.maker], Serial: fmt.Sprintf("%s%06d", m.serial[:3], rng.IntN(1000000)), SizeMB: diskGB * 1000 * 1000 / 1024, Interface: "NVMe", Type: "SSD"}}
	mount := volume(diskGB, rng, apple, linux)
	inv.Volumes = []inventory.Volume{mount}
	m.ip = fmt.Sprintf("10.%d.%d.%d", m.site.subnet, 1+rng.IntN(4), 10+rng.IntN(230))
	nic := inventory.Network{Name: "Intel(R) Ethernet Connection (17) I219-LM", Type: "ethernet", SpeedMbps: 1000, Status: "up"}
	if m.laptop {
		nic = inventory.Network{Name: "Intel(R) Wi-Fi 6E AX211 160MHz", Type: "wifi", SpeedMbps: 866, Status: "up"}
	}
	if apple {
		nic = inventory.Network{Name: "en0", Type: "wifi", SpeedMbps: 1200, Status: "up"}
	}
	nic.MAC = fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", 0x3c, 0x52, 0x82, m.id>>8&0xff, m.id&0xff, rng.IntN(256))
	nic.IPv4 = []inventory.IPAddress{{Address: m.ip, Mask: "255.255.0.0", Prefix: 16}}
	nic.Gateway = fmt.Sprintf("10.%d.0.1", m.site.subnet)
	inv.Networks = []inventory.Network{nic}
	inv.Softwares = m.software(rng, apple, linux)
	if !apple && !linux {
		av := inventory.Antivirus{Name: "Microsoft Defender Antivirus", Company: "Microsoft Corporation", Version: "4.18.24090.11", Enabled: true, UpToDate: rng.IntN(12) != 0}
		if m.site.org == "cda" {
			av = inventory.Antivirus{Name: "ESET Endpoint Security", Company: "ESET", Version: "11.1.2039.2", Enabled: true, UpToDate: rng.IntN(12) != 0}
		}
		inv.Antivirus = []inventory.Antivirus{av}
	}
	if m.laptop {
		inv.Batteries = []inventory.Battery{{Name: "Primary", Manufacturer: smbiosMaker[m.maker], Chemistry: "Li-ion", CapacityMWh: 54000,
			RealCapacityMWh: 54000 - rng.IntN(12000), Serial: fmt.Sprintf("%05d", rng.IntN(100000)), Date: m.bought.AddDate(0, -2, 0).Format("2006-01-02")}}
	}
	inv.Users = []inventory.User{{Login: login, Domain: strings.ToUpper(m.site.org)}}
	inv.Sections = []inventory.Section{inventory.SectionHardware, inventory.SectionBIOS, inventory.SectionOS, inventory.SectionCPUs,
		inventory.SectionMemories, inventory.SectionStorages, inventory.SectionVolumes, inventory.SectionNetworks, inventory.SectionSoftwares,
		inventory.SectionUsers, inventory.SectionBatteries, inventory.SectionAntivirus}
	slices.Sort(inv.Sections)
	return inv
}

// memoryModules fills the slots of a machine with gb of memory: soldered memory on
// Macs, two modules elsewhere from 16 GB, one below.
func memoryModules(gb int, apple bool, serial string) []inventory.Memory {
	if apple {
		return []inventory.Memory{{CapacityMB: gb * 1024, Type: "LPDDR5", Caption: "System memory", Slot: 1}}
	}
	n := 1
	if gb >= 16 {
		n = 2
	}
	var out []inventory.Memory
	for i := 0; i < n; i++ {
		out = append(out, inventory.Memory{CapacityMB: gb * 1024 / n, Type: "DDR5", SpeedMHz: 5600, Slot: i + 1,
			Caption: fmt.Sprintf("DIMM %d", i+1), Manufacturer: "Samsung", Serial: fmt.Sprintf("%s%02d", serial, i)})
	}
	return out
}

// volume is the system volume, about half full.
func volume(diskGB int, rng *rand.Rand, apple, linux bool) inventory.Volume {
	total := diskGB * 1000 * 1000 / 1024 * 97 / 100
	v := inventory.Volume{TotalMB: total, FreeMB: total * (25 + rng.IntN(50)) / 100, System: true}
	switch {
	case apple:
		v.Mount, v.FSType, v.Label = "/", "apfs", "Macintosh HD"
	case linux:
		v.Device, v.Mount, v.FSType = "/dev/nvme0n1p2", "/", "ext4"
	default:
		v.Letter, v.FSType, v.Label, v.Kind, v.Encryption = "C:", "NTFS", "Windows", "Local Disk", "BitLocker"
	}
	return v
}

// software draws the machine's programs: its system's, and its organisation's trade
// software on Windows.
func (m *machine) software(rng *rand.Rand, apple, linux bool) []inventory.Software {
	list := windowsSoftware
	arch := "x86_64"
	switch {
	case apple:
		list, arch = macSoftware, "arm64"
	case linux:
		list, arch = ubuntuSoftware, "amd64"
	default:
		list = append(slices.Clip(list), tradeSoftware[m.site.org]...)
	}
	var out []inventory.Software
	for _, p := range list {
		if rng.IntN(100) >= p.share {
			continue
		}
		v := p.versions[0]
		if len(p.versions) > 1 && rng.IntN(4) == 0 {
			v = p.versions[1+rng.IntN(len(p.versions)-1)]
		}
		out = append(out, inventory.Software{Name: p.name, Version: v, Publisher: p.publisher, Arch: arch, Source: p.source,
			InstallDate: m.bought.AddDate(0, 0, 3+rng.IntN(200)).Format("2006-01-02")})
	}
	return out
}

// upgraded is the machine's second inventory, a month after the first: lagging
// programs updated, memory added to 8 GB machines, one program removed and one
// installed.
func (m *machine) upgraded() *inventory.Inventory {
	next := *m.inv
	next.Softwares = nil
	latest := map[string]string{}
	for _, list := range [][]pkg{windowsSoftware, ubuntuSoftware, macSoftware, tradeSoftware[m.site.org]} {
		for _, p := range list {
			latest[p.name] = p.versions[0]
		}
	}
	removed := ""
	for _, sw := range m.inv.Softwares {
		switch {
		case removed == "" && (strings.HasPrefix(sw.Name, "Zoom") || sw.Name == "TeamViewer" || sw.Name == "zoom.us" || sw.Name == "wireshark"):
			removed = sw.Name
			continue
		case latest[sw.Name] != "":
			sw.Version = latest[sw.Name]
		}
		next.Softwares = append(next.Softwares, sw)
	}
	if m.osName != "Ubuntu" && m.maker != "Apple" && !slices.ContainsFunc(next.Softwares, func(s inventory.Software) bool { return strings.HasPrefix(s.Name, "Notepad++") }) {
		next.Softwares = append(next.Softwares, inventory.Software{Name: "Notepad++ (64-bit x64)", Version: "8.7.1", Publisher: "Notepad++ Team",
			Arch: "x86_64", Source: "registry", InstallDate: m.lastSeen.AddDate(0, 0, -5).Format("2006-01-02")})
	}
	if m.maker != "Apple" && next.Hardware.MemoryMB == 8*1024 {
		next.Hardware.MemoryMB = 16 * 1024
		next.Memories = memoryModules(16, false, m.serial)
	}
	return &next
}

// serverInventory is what the agent of servers[i], on site s, reports.
func serverInventory(i int, s *site) *inventory.Inventory {
	sv := servers[i]
	virtual := sv.host >= 0
	inv := &inventory.Inventory{Format: agent.FormatParc, Action: inventory.ActionInventory, ItemType: inventory.ItemComputer,
		DeviceID: strings.ToLower(sv.name) + "-2024-06-12-10-00-00", Agent: inventory.Agent{Name: agent.AgentName, Version: agentVersions[0]},
		Tag: strings.ToUpper(s.org)}
	vmSystem := "Physical"
	if virtual {
		vmSystem = "KVM"
	}
	inv.Hardware = inventory.Hardware{Name: sv.name, UUID: sv.uuid, VMSystem: vmSystem, MemoryMB: sv.memGB * 1024, Workgroup: strings.ToUpper(s.org)}
	inv.BIOS = inventory.BIOS{SystemManufacturer: sv.maker, SystemModel: sv.model, SystemSerial: sv.serial, Manufacturer: sv.maker, Version: "1.14.2"}
	inv.OS = inventory.OS{Name: sv.osName, Version: sv.osVersion, Kernel: sv.kernel, Arch: "x86_64", DNSDomain: s.domain}
	windows := strings.HasPrefix(sv.osName, "Microsoft Windows")
	if windows {
		inv.OS.KernelName, inv.OS.Arch = "MSWin32", "64-bit"
	} else {
		inv.OS.KernelName = "linux"
	}
	for n := 0; n < sv.sockets; n++ {
		inv.CPUs = append(inv.CPUs, inventory.CPU{Model: sv.cpu.model, Manufacturer: sv.cpu.maker, Cores: sv.cpu.cores, Threads: sv.cpu.threads, SpeedMHz: sv.cpu.mhz})
	}
	module := min(sv.memGB, 32)
	for n := 0; n < sv.memGB/module; n++ {
		inv.Memories = append(inv.Memories, inventory.Memory{CapacityMB: module * 1024, Type: "DDR4", SpeedMHz: 3200, Slot: n + 1, Caption: fmt.Sprintf("DIMM A%d", n+1)})
	}
	disk := inventory.Storage{Name: "sda", Model: "PERC H755 Virtual Disk", Manufacturer: "DELL", SizeMB: sv.diskGB * 1024, Type: "disk"}
	switch {
	case virtual:
		disk = inventory.Storage{Name: "sda", Model: "QEMU HARDDISK", Manufacturer: "QEMU", SizeMB: sv.diskGB * 1024, Type: "disk"}
	case sv.maker == "HPE":
		disk = inventory.Storage{Name: "sda", Model: "HPE MR216i-o Logical Drive", Manufacturer: "HPE", SizeMB: sv.diskGB * 1024, Type: "disk"}
	}
	inv.Storages = []inventory.Storage{disk}
	vol := inventory.Volume{Device: "/dev/sda2", Mount: "/", FSType: "ext4", TotalMB: sv.diskGB * 1024 * 95 / 100, FreeMB: sv.diskGB * 1024 * 40 / 100, System: true}
	if windows {
		vol = inventory.Volume{Letter: "C:", FSType: "NTFS", Label: "System", Kind: "Local Disk", TotalMB: sv.diskGB * 1024 * 95 / 100, FreeMB: sv.diskGB * 1024 * 40 / 100, System: true}
	}
	inv.Volumes = []inventory.Volume{vol}
	inv.Networks = []inventory.Network{{Name: "eno1", MAC: serverMAC(i), Type: "ethernet", SpeedMbps: 1000, Status: "up",
		IPv4: []inventory.IPAddress{{Address: fmt.Sprintf("10.%d.0.%d", s.subnet, sv.ip), Mask: "255.255.0.0", Prefix: 16}}, Gateway: fmt.Sprintf("10.%d.0.1", s.subnet)}}
	arch := "amd64"
	if windows {
		arch = "x86_64"
	}
	for _, p := range sv.software {
		inv.Softwares = append(inv.Softwares, inventory.Software{Name: p.name, Version: p.versions[0], Publisher: p.publisher, Arch: arch, Source: p.source})
	}
	for g, guest := range servers {
		if guest.host == i {
			inv.VirtualMachines = append(inv.VirtualMachines, inventory.VirtualMachine{Name: guest.name, UUID: guest.uuid, Status: "running",
				VMType: "qemu", Subsystem: "Proxmox VE", MemoryMB: guest.memGB * 1024, VCPUs: guest.cpu.cores, MAC: serverMAC(g)})
		}
	}
	inv.Sections = []inventory.Section{inventory.SectionHardware, inventory.SectionBIOS, inventory.SectionOS, inventory.SectionCPUs,
		inventory.SectionMemories, inventory.SectionStorages, inventory.SectionVolumes, inventory.SectionNetworks, inventory.SectionSoftwares,
		inventory.SectionVirtualMachines}
	slices.Sort(inv.Sections)
	return inv
}

// serverMAC is servers[i]'s address: Proxmox's prefix for virtual machines, the
// maker's for the others.
func serverMAC(i int) string {
	oui := "b0:7b:25"
	if servers[i].host >= 0 {
		oui = "bc:24:11"
	}
	return fmt.Sprintf("%s:5e:00:%02x", oui, i+1)
}
