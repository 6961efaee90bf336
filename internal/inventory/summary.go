package inventory

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Summary holds the values an asset keeps in its own columns so that list views never
// read child tables. It describes this document only: for a partial inventory, values
// of sections it did not carry are zero and must not overwrite stored ones.
type Summary struct {
	Name           string   `json:"name,omitempty"`
	Serial         string   `json:"serial,omitempty"`
	UUID           string   `json:"uuid,omitempty"`
	Manufacturer   string   `json:"manufacturer,omitempty"`
	Model          string   `json:"model,omitempty"`
	OS             string   `json:"os,omitempty"`
	OSVersion      string   `json:"os_version,omitempty"`
	Processor      string   `json:"processor,omitempty"`
	ProcessorCount int      `json:"processor_count,omitempty"`
	CoreCount      int      `json:"core_count,omitempty"`
	TotalMemoryMB  int      `json:"total_memory_mb,omitempty"`
	TotalDiskMB    int      `json:"total_disk_mb,omitempty"`
	PrimaryIP      string   `json:"primary_ip,omitempty"`
	MACs           []string `json:"macs,omitempty"`
	SoftwareCount  int      `json:"software_count"`
	IsVirtual      bool     `json:"is_virtual"`
	VMSystem       string   `json:"vmsystem,omitempty"`
}

// Summary computes the summary values.
func (inv *Inventory) Summary() Summary {
	virtual, system := inv.Virtualization()
	s := Summary{
		Name:           inv.Name(),
		Serial:         inv.Serial(),
		UUID:           inv.Hardware.UUID,
		Manufacturer:   inv.Manufacturer(),
		Model:          inv.Model(),
		OS:             inv.OSName(),
		OSVersion:      inv.OS.Version,
		Processor:      inv.Processor(),
		ProcessorCount: len(inv.CPUs),
		TotalMemoryMB:  inv.TotalMemoryMB(),
		TotalDiskMB:    inv.TotalDiskMB(),
		PrimaryIP:      inv.PrimaryIP(),
		MACs:           inv.MACs(),
		SoftwareCount:  len(inv.Softwares),
		IsVirtual:      virtual,
		VMSystem:       system,
	}
	for _, c := range inv.CPUs {
		s.CoreCount += c.Cores
	}
	return s
}

// Name is the device's name: the hostname, or the SNMP name of a network device.
func (inv *Inventory) Name() string {
	if inv.Hardware.Name != "" || inv.Device == nil {
		return inv.Hardware.Name
	}
	return inv.Device.Name
}

// Serial is the device's serial number as reported (possibly a placeholder: see
// Identity).
func (inv *Inventory) Serial() string {
	if inv.BIOS.SystemSerial != "" || inv.Device == nil {
		return inv.BIOS.SystemSerial
	}
	return inv.Device.Serial
}

// Manufacturer is the device's manufacturer.
func (inv *Inventory) Manufacturer() string {
	if inv.BIOS.SystemManufacturer != "" || inv.Device == nil {
		return inv.BIOS.SystemManufacturer
	}
	return inv.Device.Manufacturer
}

// Model is the device's model.
func (inv *Inventory) Model() string {
	if inv.BIOS.SystemModel != "" || inv.Device == nil {
		return inv.BIOS.SystemModel
	}
	return inv.Device.Model
}

// OSName is the operating system's most descriptive name.
func (inv *Inventory) OSName() string {
	if inv.OS.FullName != "" {
		return inv.OS.FullName
	}
	return inv.OS.Name
}

// Processor describes the processors: "Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz", with
// "2 x " in front when there are several of the same model.
func (inv *Inventory) Processor() string {
	if len(inv.CPUs) == 0 {
		return ""
	}
	model := inv.CPUs[0].Model
	same := true
	for _, c := range inv.CPUs[1:] {
		same = same && c.Model == model
	}
	switch {
	case len(inv.CPUs) == 1 || !same:
		return model
	default:
		return fmt.Sprintf("%d x %s", len(inv.CPUs), model)
	}
}

// TotalMemoryMB is the installed memory: the sum of the memory modules, or the memory
// the system reports when there are none (virtual machines, phones).
func (inv *Inventory) TotalMemoryMB() int {
	total := 0
	for _, m := range inv.Memories {
		total += m.CapacityMB
	}
	if total > 0 {
		return total
	}
	return inv.Hardware.MemoryMB
}

// TotalDiskMB is the size of the disks, or of the file systems when no disk is listed.
func (inv *Inventory) TotalDiskMB() int {
	total := 0
	for _, s := range inv.Storages {
		total += s.SizeMB
	}
	if total > 0 {
		return total
	}
	for _, v := range inv.Volumes {
		total += v.TotalMB
	}
	return total
}

// PrimaryIP is the address the device is most likely reached at: an IPv4 address of an
// interface that has the default gateway, else any routable IPv4 address of an
// interface that is not a loopback, else a global IPv6 address; for network devices,
// the first address they report.
func (inv *Inventory) PrimaryIP() string {
	type candidate struct {
		addr  netip.Addr
		score int
	}
	var best candidate
	consider := func(a string, score int) {
		addr, err := netip.ParseAddr(a)
		if err != nil || addr.IsLoopback() || addr.IsUnspecified() || addr.IsMulticast() {
			return
		}
		if addr.IsLinkLocalUnicast() {
			score -= 100
		}
		if score > best.score {
			best = candidate{addr, score}
		}
	}
	for _, n := range inv.Networks {
		if n.Type == "loopback" {
			continue
		}
		score := 10
		if n.Status == "up" {
			score += 10
		}
		if n.Gateway != "" || (inv.Hardware.DefaultGateway != "" && sameSubnet(n.IPv4, inv.Hardware.DefaultGateway)) {
			score += 40
		}
		if n.Virtual {
			score -= 5
		}
		for _, a := range n.IPv4 {
			consider(a.Address, score+20)
		}
		for _, a := range n.IPv6 {
			consider(a.Address, score)
		}
	}
	if best.addr.IsValid() {
		return best.addr.String()
	}
	if inv.Device != nil {
		for _, a := range inv.Device.IPs {
			addr, err := netip.ParseAddr(a)
			if err == nil && !addr.IsLoopback() && !addr.IsUnspecified() {
				return addr.String()
			}
		}
	}
	return ""
}

func sameSubnet(addrs []IPAddress, gateway string) bool {
	gw, err := netip.ParseAddr(gateway)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		addr, err := netip.ParseAddr(a.Address)
		if err != nil || a.Prefix <= 0 {
			continue
		}
		if p, err := addr.Prefix(a.Prefix); err == nil && p.Contains(gw) {
			return true
		}
	}
	return false
}

// MACs lists, sorted and without duplicates, the unicast MAC addresses of the device's
// interfaces, or a network device's own MAC (its ports' are in Ports); all-zero,
// broadcast and multicast addresses are left out.
func (inv *Inventory) MACs() []string {
	var macs []string
	add := func(m string) {
		if IsUsableMAC(m) {
			macs = append(macs, m)
		}
	}
	for _, n := range inv.Networks {
		add(n.MAC)
	}
	if inv.Device != nil {
		add(inv.Device.MAC)
	}
	slices.Sort(macs)
	return slices.Compact(macs)
}

// IsUsableMAC reports whether m (normalised "aa:bb:cc:dd:ee:ff") can identify an
// interface: not empty, not all zeros, not a group (multicast or broadcast) address.
func IsUsableMAC(m string) bool {
	if len(m) != 17 || repeatedChar(m) {
		return false
	}
	first, err := strconv.ParseUint(m[:2], 16, 8)
	return err == nil && first&1 == 0
}

// Identity is what recognises a device across inventories, with placeholders removed:
// GLPI's default rules match on serial and UUID, then serial, then name; OCS adds MACs.
type Identity struct {
	Name   string   `json:"name,omitempty"`
	Serial string   `json:"serial,omitempty"`
	UUID   string   `json:"uuid,omitempty"` // lower case
	MACs   []string `json:"macs,omitempty"`
}

// Identity returns the device's identity. A dummy serial or UUID (see IsDummySerial,
// IsDummyUUID) is left empty, so that matching falls through to the next rule.
func (inv *Inventory) Identity() Identity {
	id := Identity{Name: strings.TrimSpace(inv.Name()), MACs: inv.MACs()}
	if s := strings.TrimSpace(inv.Serial()); !IsDummySerial(s) {
		id.Serial = s
	}
	if u := strings.TrimSpace(inv.Hardware.UUID); !IsDummyUUID(u) {
		id.UUID = strings.ToLower(u)
	}
	return id
}
