package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"parc/internal/inventory"
)

// Readers of Linux /sys, under the collector's root. They build on plain files, so
// tests run them on fake trees on any OS.

// dmiID is what /sys/class/dmi/id gives. Serials and the UUID are readable by root only.
type dmiID struct {
	BIOS    inventory.BIOS
	UUID    string
	Chassis string
}

// readDMIID reads /sys/class/dmi/id. errSkip when the directory is missing (no
// SMBIOS: ARM boards, some hypervisors); a file root alone may read is left empty with
// a warning.
func (c *collector) readDMIID() (dmiID, error) {
	dir := c.path("sys/class/dmi/id")
	if !exists(dir) {
		return dmiID{}, errSkip
	}
	var denied []string
	get := func(name string) string {
		s, err := readString(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrPermission):
			denied = append(denied, name)
		case err != nil:
			c.warn("bios: %s: %v: left empty", name, err)
		}
		return cleanString(s)
	}
	var d dmiID
	d.BIOS = inventory.BIOS{
		SystemManufacturer: get("sys_vendor"),
		SystemModel:        get("product_name"),
		SystemSerial:       get("product_serial"),
		SKU:                get("product_sku"),
		Manufacturer:       get("bios_vendor"),
		Version:            get("bios_version"),
		Date:               biosDate(get("bios_date")),
		AssetTag:           get("chassis_asset_tag"),
		BoardManufacturer:  get("board_vendor"),
		BoardModel:         get("board_name"),
		BoardSerial:        get("board_serial"),
	}
	d.UUID = strings.ToLower(get("product_uuid"))
	if t, err := strconv.Atoi(get("chassis_type")); err == nil {
		d.Chassis = chassisType(t)
	}
	if len(denied) > 0 {
		c.warn("bios: %s not readable without root privileges: left empty", strings.Join(denied, ", "))
	}
	return d, nil
}

// readSMBIOSTable reads and parses /sys/firmware/dmi/tables/DMI; errSkip when missing.
func (c *collector) readSMBIOSTable() (smbiosInfo, error) {
	b, err := readFile(c.path("sys/firmware/dmi/tables/DMI"))
	if errors.Is(err, fs.ErrNotExist) {
		return smbiosInfo{}, errSkip
	}
	if errors.Is(err, fs.ErrPermission) {
		return smbiosInfo{}, errors.New("the SMBIOS table (/sys/firmware/dmi/tables/DMI) is readable by root only")
	}
	if err != nil {
		return smbiosInfo{}, err
	}
	structs, err := parseSMBIOS(b)
	if err != nil && len(structs) == 0 {
		return smbiosInfo{}, err
	}
	return readSMBIOS(structs), nil
}

// readCPUs groups the logical processors of /proc/cpuinfo by physical package. The
// package and core of each processor come from /proc/cpuinfo on x86, else from
// /sys/devices/system/cpu/cpuN/topology. The speed is the maximum frequency of
// cpufreq (stable from one run to the next), else the one in the model name, else
// the current speed when the CPU has no frequency scaling (virtual machines).
func (c *collector) readCPUs(arch string) ([]inventory.CPU, error) {
	data, err := readFile(c.path("proc/cpuinfo"))
	if err != nil {
		return nil, err
	}
	procs := parseCPUInfo(data)
	if len(procs) == 0 {
		return nil, errors.New("no processor in /proc/cpuinfo")
	}
	type socket struct {
		cpu   inventory.CPU
		cores map[string]bool
	}
	var order []string
	sockets := map[string]*socket{}
	for _, p := range procs {
		topo := c.path("sys/devices/system/cpu", "cpu"+strconv.Itoa(p.Num), "topology")
		pkg, core := p.Package, p.Core
		if pkg == "" {
			pkg = value(filepath.Join(topo, "physical_package_id"))
		}
		if core == "" {
			core = value(filepath.Join(topo, "core_id"))
		}
		if pkg == "" {
			pkg = "0" // no topology: one package (single-socket boards, most VMs)
		}
		if core == "" {
			core = strconv.Itoa(p.Num) // no topology: count each processor as a core
		}
		s, ok := sockets[pkg]
		if !ok {
			s = &socket{cores: map[string]bool{}}
			s.cpu.Arch = arch
			sockets[pkg] = s
			order = append(order, pkg)
		}
		s.cores[core] = true
		s.cpu.Threads++
		if s.cpu.Model == "" {
			s.cpu.Model = p.Model
		}
		if s.cpu.Manufacturer == "" {
			s.cpu.Manufacturer = cpuVendor(p.Vendor)
		}
		if s.cpu.SpeedMHz == 0 {
			s.cpu.SpeedMHz = c.cpuSpeed(p)
		}
		if p.Cores > len(s.cores) {
			// x86 reports the package's cores; trust it over what was seen so far
			// (some processors may be offline).
			s.cpu.Cores = p.Cores
		}
	}
	cpus := make([]inventory.CPU, 0, len(order))
	for _, k := range order {
		s := sockets[k]
		s.cpu.Cores = max(s.cpu.Cores, len(s.cores))
		cpus = append(cpus, s.cpu)
	}
	return cpus, nil
}

var ghzInName = regexp.MustCompile(`@\s*([0-9.]+)\s*GHz`)

func (c *collector) cpuSpeed(p cpuProc) int {
	freq := c.path("sys/devices/system/cpu", "cpu"+strconv.Itoa(p.Num), "cpufreq")
	if khz, ok := intValue(filepath.Join(freq, "cpuinfo_max_freq")); ok && khz > 0 {
		return int(khz / 1000)
	}
	if m := ghzInName.FindStringSubmatch(p.Model); m != nil {
		if g, err := strconv.ParseFloat(m[1], 64); err == nil {
			return int(g*1000 + 0.5)
		}
	}
	if !exists(freq) && p.MHz > 0 {
		return int(p.MHz + 0.5)
	}
	return 0
}

// readStorages lists the disks of /sys/block. Virtual block devices (loop, zram, ram,
// device-mapper, md RAID) are left out: they are not hardware; the file systems on them
// are in the drives section.
func (c *collector) readStorages(pci *pciNames) ([]inventory.Storage, error) {
	dir := c.path("sys/block")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []inventory.Storage
	for _, e := range entries {
		name := e.Name()
		link, _ := os.Readlink(filepath.Join(dir, name))
		if strings.Contains(link, "/devices/virtual/") {
			continue
		}
		base := filepath.Join(dir, name)
		dev := filepath.Join(base, "device")
		sectors, _ := intValue(filepath.Join(base, "size"))
		removable, _ := intValue(filepath.Join(base, "removable"))
		cdrom := strings.HasPrefix(name, "sr")
		if sectors == 0 && !cdrom {
			continue // empty card reader slot, absent medium
		}
		s := inventory.Storage{
			Name:     name,
			SizeMB:   int(sectors * 512 / 1000 / 1000), // disks are sold in decimal MB; as other agents
			Model:    cleanString(firstValue(filepath.Join(dev, "model"), filepath.Join(dev, "name"))),
			Serial:   c.diskSerial(base, dev),
			Firmware: cleanString(firstValue(filepath.Join(dev, "firmware_rev"), filepath.Join(dev, "rev"))),
		}
		s.Interface = diskInterface(name, link)
		vendor := cleanString(value(filepath.Join(dev, "vendor")))
		switch {
		case strings.HasPrefix(vendor, "0x"):
			s.Manufacturer = pci.vendor(strings.TrimPrefix(vendor, "0x"))
		case vendor != "" && !strings.EqualFold(vendor, "ATA"):
			s.Manufacturer = vendor
		}
		if s.Manufacturer == "" {
			s.Manufacturer = diskVendorFromModel(s.Model)
		}
		if s.Manufacturer == "" && s.Interface == "NVMe" {
			if v := value(filepath.Join(dev, "device", "vendor")); strings.HasPrefix(v, "0x") {
				s.Manufacturer = pci.vendor(strings.TrimPrefix(v, "0x"))
			}
		}
		rotational, hasRot := intValue(filepath.Join(base, "queue", "rotational"))
		switch {
		case cdrom:
			s.Type = "cdrom"
		case removable == 1:
			s.Type = "removable"
		case s.Interface == "virtio" || s.Interface == "Xen" || s.Interface == "Hyper-V":
			// The rotational flag of a virtual disk says nothing of the storage under it.
			s.Description = "virtual disk"
		case s.Interface == "NVMe" || (hasRot && rotational == 0):
			s.Type = "SSD"
		case hasRot && rotational == 1:
			s.Type = "HDD"
		}
		out = append(out, s)
	}
	return out, nil
}

func firstValue(paths ...string) string {
	for _, p := range paths {
		if v := value(p); v != "" {
			return v
		}
	}
	return ""
}

// diskSerial reads a disk's serial: NVMe and MMC give it in device/serial, virtio in
// serial, SCSI and SATA in the unit serial number VPD page (0x80).
func (c *collector) diskSerial(base, dev string) string {
	if s := cleanString(firstValue(filepath.Join(dev, "serial"), filepath.Join(base, "serial"))); s != "" {
		return s
	}
	if b, err := readFile(filepath.Join(dev, "vpd_pg80")); err == nil && len(b) > 4 {
		n := int(b[2])<<8 | int(b[3])
		if 4+n <= len(b) {
			return cleanString(string(b[4 : 4+n]))
		}
	}
	return ""
}

func diskInterface(name, link string) string {
	switch {
	case strings.HasPrefix(name, "nvme") || strings.Contains(link, "/nvme"):
		return "NVMe"
	case strings.HasPrefix(name, "vd") || strings.Contains(link, "/virtio"):
		return "virtio"
	case strings.HasPrefix(name, "xvd"):
		return "Xen"
	case strings.HasPrefix(name, "mmcblk"):
		return "MMC"
	case strings.Contains(link, "/usb"):
		return "USB"
	case strings.Contains(link, "/VMBUS") || strings.Contains(link, "/vmbus"):
		return "Hyper-V"
	case strings.Contains(link, "/ata"):
		return "SATA"
	case strings.Contains(link, "/host") || strings.HasPrefix(name, "sd"):
		return "SCSI"
	}
	return ""
}

// diskVendorFromModel guesses a disk's manufacturer from its model when the bus does
// not say it (SATA disks report "ATA").
func diskVendorFromModel(model string) string {
	m := strings.ToUpper(model)
	for _, p := range []struct{ prefix, name string }{
		{"SAMSUNG", "Samsung"}, {"WDC", "Western Digital"}, {"WD", "Western Digital"},
		{"TOSHIBA", "Toshiba"}, {"KIOXIA", "Kioxia"}, {"HGST", "HGST"}, {"HITACHI", "Hitachi"},
		{"INTEL", "Intel"}, {"KINGSTON", "Kingston"}, {"CRUCIAL", "Crucial"}, {"CT", "Crucial"},
		{"MICRON", "Micron"}, {"MTFD", "Micron"}, {"SANDISK", "SanDisk"}, {"SK HYNIX", "SK hynix"},
		{"HFS", "SK hynix"}, {"LITEON", "Lite-On"}, {"LITE-ON", "Lite-On"}, {"CORSAIR", "Corsair"},
		{"ADATA", "ADATA"}, {"PNY", "PNY"}, {"SEAGATE", "Seagate"}, {"ST", "Seagate"},
		{"MAXTOR", "Maxtor"}, {"FUJITSU", "Fujitsu"}, {"QEMU", "QEMU"}, {"VBOX", "Oracle"},
		{"VMWARE", "VMware"}, {"APPLE", "Apple"},
	} {
		if !strings.HasPrefix(m, p.prefix) {
			continue
		}
		// "ST" and "CT" are Seagate's and Crucial's prefixes only when a digit follows.
		if (p.prefix == "ST" || p.prefix == "CT") && (len(m) < 3 || m[2] < '0' || m[2] > '9') {
			continue
		}
		return p.name
	}
	return ""
}

// ifaceAddr is an address of a network interface.
type ifaceAddr struct {
	Addr   netip.Addr
	Prefix int
}

// liveAddrs lists an interface's addresses through the standard library (netlink on
// Linux).
func liveAddrs(name string) ([]ifaceAddr, error) {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	addrs, err := ifc.Addrs()
	if err != nil {
		return nil, err
	}
	var out []ifaceAddr
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(ipn.IP)
		if !ok {
			continue
		}
		ones, _ := ipn.Mask.Size()
		out = append(out, ifaceAddr{ip.Unmap(), ones})
	}
	return out, nil
}

// addAddrs files addresses into an interface's IPv4 and IPv6 lists, with the mask in
// the usual notation ("255.255.255.0", "ffff:ffff:ffff:ffff::").
func addAddrs(n *inventory.Network, addrs []ifaceAddr) {
	for _, a := range addrs {
		if !a.Addr.IsValid() || a.Addr.IsUnspecified() {
			continue
		}
		bits := a.Addr.BitLen()
		ip := inventory.IPAddress{Address: a.Addr.String(), Prefix: a.Prefix,
			Mask: net.IP(net.CIDRMask(a.Prefix, bits)).String()}
		if a.Addr.Is4() {
			n.IPv4 = append(n.IPv4, ip)
		} else {
			n.IPv6 = append(n.IPv6, ip)
		}
	}
}

// readNetworks lists the interfaces of /sys/class/net with their addresses and default
// gateways. Container-side veth ends are left out: they come and go with containers.
func (c *collector) readNetworks(gw4, gw6 map[string]netip.Addr) ([]inventory.Network, error) {
	dir := c.path("sys/class/net")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []inventory.Network
	for _, e := range entries {
		name := e.Name()
		base := filepath.Join(dir, name)
		if !exists(filepath.Join(base, "address")) && !exists(filepath.Join(base, "type")) {
			continue // not an interface (bonding_masters)
		}
		link, _ := os.Readlink(base)
		if strings.HasPrefix(name, "veth") {
			continue
		}
		n := inventory.Network{
			Name:    name,
			Virtual: strings.Contains(link, "/devices/virtual/"),
			MAC:     normalMAC(value(filepath.Join(base, "address"))),
		}
		arp, _ := intValue(filepath.Join(base, "type"))
		switch {
		case arp == 772:
			n.Type = "loopback"
		case exists(filepath.Join(base, "wireless")) || exists(filepath.Join(base, "phy80211")):
			n.Type = "wifi"
		case exists(filepath.Join(base, "bridge")):
			n.Type = "bridge"
		case exists(filepath.Join(base, "bonding")):
			n.Type = "bond"
		case arp == 1:
			n.Type = "ethernet"
		case arp == 32:
			n.Type = "infiniband"
		case arp == 65534 || arp == 768 || arp == 776 || arp == 778:
			n.Type = "tunnel"
		}
		flags, _ := intValue(filepath.Join(base, "flags"))
		switch value(filepath.Join(base, "operstate")) {
		case "up":
			n.Status = "up"
		case "unknown", "":
			if flags&1 != 0 {
				n.Status = "up"
			} else {
				n.Status = "down"
			}
		default:
			n.Status = "down"
		}
		if mtu, ok := intValue(filepath.Join(base, "mtu")); ok {
			n.MTU = int(mtu)
		}
		if sp, ok := intValue(filepath.Join(base, "speed")); ok && sp > 0 && sp < 10_000_000 {
			n.SpeedMbps = int(sp)
		}
		if drv, err := os.Readlink(filepath.Join(base, "device", "driver")); err == nil {
			n.Driver = filepath.Base(drv)
		}
		if real, err := filepath.EvalSymlinks(filepath.Join(base, "device")); err == nil {
			n.PCISlot = pciSlotOf(real)
		}
		if c.addrs != nil {
			if addrs, err := c.addrs(name); err == nil {
				addAddrs(&n, addrs)
			}
		}
		if g, ok := gw4[name]; ok {
			n.Gateway = g.String()
		}
		if g, ok := gw6[name]; ok {
			n.Gateway6 = g.String()
		}
		out = append(out, n)
	}
	return out, nil
}

var pciAddr = regexp.MustCompile(`^[0-9a-f]{4,}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$`)

// pciSlotOf returns the PCI address of the last PCI device in a /sys device path, in
// lspci's short form ("00:03.0") when the domain is 0.
func pciSlotOf(p string) string {
	slot := ""
	for _, el := range strings.Split(filepath.ToSlash(p), "/") {
		if pciAddr.MatchString(el) {
			slot = el
		}
	}
	return strings.TrimPrefix(slot, "0000:")
}

// normalMAC lower-cases an Ethernet MAC; other link addresses (InfiniBand, tunnels)
// and all-zero ones give "".
func normalMAC(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	hw, err := net.ParseMAC(s)
	if err != nil || len(hw) != 6 {
		return ""
	}
	s = hw.String()
	if s == "00:00:00:00:00:00" {
		return ""
	}
	return s
}

// readBatteries lists the system batteries of /sys/class/power_supply (devices'
// batteries, scope "Device", such as a wireless mouse's, are left out). errSkip when the
// class is missing.
func (c *collector) readBatteries() ([]inventory.Battery, error) {
	dir := c.path("sys/class/power_supply")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errSkip
	}
	if err != nil {
		return nil, err
	}
	var out []inventory.Battery
	for _, e := range entries {
		base := filepath.Join(dir, e.Name())
		if value(filepath.Join(base, "type")) != "Battery" || value(filepath.Join(base, "scope")) == "Device" {
			continue
		}
		b := inventory.Battery{
			Name:         cleanString(value(filepath.Join(base, "model_name"))),
			Manufacturer: cleanString(value(filepath.Join(base, "manufacturer"))),
			Serial:       cleanString(value(filepath.Join(base, "serial_number"))),
			Chemistry:    value(filepath.Join(base, "technology")),
		}
		if b.Name == "" {
			b.Name = e.Name()
		}
		uv, _ := intValue(filepath.Join(base, "voltage_min_design"))
		b.VoltageMV = int(uv / 1000)
		mwh := func(energy, charge string) int {
			if uwh, ok := intValue(filepath.Join(base, energy)); ok && uwh > 0 {
				return int(uwh / 1000)
			}
			if uah, ok := intValue(filepath.Join(base, charge)); ok && uah > 0 && uv > 0 {
				return int(uah * uv / 1_000_000_000)
			}
			return 0
		}
		b.CapacityMWh = mwh("energy_full_design", "charge_full_design")
		b.RealCapacityMWh = mwh("energy_full", "charge_full")
		y, _ := intValue(filepath.Join(base, "manufacture_year"))
		m, _ := intValue(filepath.Join(base, "manufacture_month"))
		d, _ := intValue(filepath.Join(base, "manufacture_day"))
		if y > 1990 && m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			b.Date = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		}
		out = append(out, b)
	}
	return out, nil
}

// readMonitors reads the EDID of each connected display connector of /sys/class/drm.
// errSkip when the class is missing (no kernel graphics driver: nothing to read).
func (c *collector) readMonitors() ([]inventory.Monitor, error) {
	dir := c.path("sys/class/drm")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errSkip
	}
	if err != nil {
		return nil, err
	}
	var out []inventory.Monitor
	seen := map[string]bool{}
	for _, e := range entries {
		card, port, ok := strings.Cut(e.Name(), "-")
		if !ok || !strings.HasPrefix(card, "card") {
			continue
		}
		b, err := readFile(filepath.Join(dir, e.Name(), "edid"))
		if err != nil || len(b) == 0 {
			continue
		}
		ed, err := parseEDID(b)
		if err != nil {
			c.warn("monitors: %s: %v", e.Name(), err)
			continue
		}
		m := ed.monitor(port)
		key := m.Description + "\x00" + m.Serial
		if seen[key] && m.Serial != "" {
			continue
		}
		seen[key] = true
		out = append(out, m)
	}
	return out, nil
}

// pciDevice is one device of /sys/bus/pci/devices.
type pciDevice struct {
	Slot, Vendor, Device, SubVendor, SubDevice, Rev, Driver string
	Class                                                   uint32
}

func (c *collector) readPCI() ([]pciDevice, error) {
	dir := c.path("sys/bus/pci/devices")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errSkip
	}
	if err != nil {
		return nil, err
	}
	var out []pciDevice
	hex := func(p string) string { return strings.TrimPrefix(strings.ToLower(value(p)), "0x") }
	for _, e := range entries {
		base := filepath.Join(dir, e.Name())
		d := pciDevice{
			Slot:      strings.TrimPrefix(e.Name(), "0000:"),
			Vendor:    hex(filepath.Join(base, "vendor")),
			Device:    hex(filepath.Join(base, "device")),
			SubVendor: hex(filepath.Join(base, "subsystem_vendor")),
			SubDevice: hex(filepath.Join(base, "subsystem_device")),
			Rev:       hex(filepath.Join(base, "revision")),
		}
		if d.Vendor == "" {
			continue
		}
		cls, _ := intValue(filepath.Join(base, "class"))
		d.Class = uint32(cls)
		if drv, err := os.Readlink(filepath.Join(base, "driver")); err == nil {
			d.Driver = filepath.Base(drv)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b pciDevice) int { return strings.Compare(a.Slot, b.Slot) })
	return out, nil
}

// controllers turns PCI devices into the model's controllers and graphics cards.
func pciControllers(devs []pciDevice, names *pciNames) ([]inventory.Controller, []inventory.Video) {
	var ctrls []inventory.Controller
	var videos []inventory.Video
	for _, d := range devs {
		class := d.Class >> 8 // base class and subclass
		ctrl := inventory.Controller{
			Manufacturer: names.vendor(d.Vendor),
			Name:         names.device(d.Vendor, d.Device),
			Type:         names.class(class),
			Driver:       d.Driver,
			PCIClass:     fmt.Sprintf("%04x", class),
			PCISlot:      d.Slot,
			VendorID:     d.Vendor,
			ProductID:    d.Device,
			Rev:          d.Rev,
		}
		if d.SubVendor != "" && d.SubVendor != "0000" {
			ctrl.SubsystemID = d.SubVendor + ":" + d.SubDevice
		}
		if ctrl.Name == "" {
			ctrl.Name = ctrl.Type
		}
		ctrls = append(ctrls, ctrl)
		if class>>8 == 0x03 {
			name := strings.TrimSpace(ctrl.Manufacturer + " " + names.device(d.Vendor, d.Device))
			videos = append(videos, inventory.Video{Name: name, Chipset: names.device(d.Vendor, d.Device), PCISlot: d.Slot})
		}
	}
	return ctrls, videos
}
