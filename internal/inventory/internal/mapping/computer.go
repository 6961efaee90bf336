package mapping

import (
	"strings"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/tree"
)

// count reads a non-negative quantity, with a warning when the value is not a number.
func (b *Builder) count(n *tree.Node, names ...string) int {
	field, s := n.Field(names...)
	if s == "" {
		return 0
	}
	v, ok := Int(s)
	if !ok {
		b.Warn("%s: %q is not a number", b.path(n, field), tree.Clip(s))
		return 0
	}
	return max(v, 0)
}

// path names a field in a warning as the document spells it: "HARDWARE/MEMORY" in XML,
// "hardware/memory" in JSON.
func (b *Builder) path(n *tree.Node, field string) string {
	return b.spell(n.Name + "/" + field)
}

// spell writes a name of the tree (upper case) as the document does.
func (b *Builder) spell(name string) string {
	if b.Inv.Format == inventory.FormatGLPI {
		return strings.ToLower(name)
	}
	return name
}

// date reads a date field, with a warning when it is not a real date.
func (b *Builder) date(n *tree.Node, order DateOrder, names ...string) string {
	field, s := n.Field(names...)
	d, ok := Date(s, order)
	if !ok {
		b.Warn("%s: %q is not a date", b.path(n, field), tree.Clip(s))
	}
	return d
}

func (b *Builder) dateTime(n *tree.Node, names ...string) string {
	field, s := n.Field(names...)
	d, ok := DateTime(s)
	if !ok {
		b.Warn("%s: %q is not a date and time", b.path(n, field), tree.Clip(s))
	}
	return d
}

func (b *Builder) mac(n *tree.Node, names ...string) string {
	field, s := n.Field(names...)
	m, ok := MAC(s)
	if !ok {
		b.Warn("%s: %q is not a MAC address", b.path(n, field), tree.Clip(s))
	}
	return m
}

func (b *Builder) hardware(n *tree.Node) {
	h := &b.Inv.Hardware
	h.Name = n.Value("NAME")
	h.UUID = n.Value("UUID")
	h.Workgroup = n.Value("WORKGROUP")
	h.ChassisType = n.Value("CHASSIS_TYPE")
	h.VMSystem = n.Value("VMSYSTEM")
	h.MemoryMB = b.count(n, "MEMORY")
	h.SwapMB = b.count(n, "SWAP")
	h.DNS = n.Value("DNS")
	h.DefaultGateway = n.Value("DEFAULTGATEWAY")
	h.Description = n.Value("DESCRIPTION")
	if isUptime(h.Description) {
		// Unix agents write "architecture/uptime" here: it would change the section
		// at every run. The architecture is in OPERATINGSYSTEM (OCS: see package ocs).
		h.Description = ""
	}
	h.WinProductID = n.Value("WINPRODID")
	h.WinProductKey = n.Value("WINPRODKEY")
	switch u := n.Value("LASTLOGGEDUSER"); u {
	case "wtmp", "reboot":
		// What `last` prints first when the login log is empty ("wtmp begins ...")
		// or holds only reboots, read as a user name by the agent.
		b.Warn("%s: %q is not a user (an empty login log), left out", b.path(n, "LASTLOGGEDUSER"), u)
	default:
		h.LastLoggedUser = u
	}
}

// isUptime reports whether a HARDWARE/DESCRIPTION is "x86_64/00-00-00 01:59:28" or
// "x86_64/1529606993" rather than a description someone wrote.
func isUptime(s string) bool {
	arch, up, ok := strings.Cut(s, "/")
	if !ok || arch == "" || up == "" || strings.ContainsAny(arch, " ") {
		return false
	}
	return strings.Trim(up, "0123456789-: ") == ""
}

func (b *Builder) bios(n *tree.Node) {
	b.Inv.BIOS = inventory.BIOS{
		SystemManufacturer: n.Value("SMANUFACTURER"),
		SystemModel:        n.Value("SMODEL"),
		SystemSerial:       n.Value("SSN"),
		SKU:                n.Value("SKUNUMBER"),
		Manufacturer:       n.Value("BMANUFACTURER"),
		Version:            n.Value("BVERSION"),
		Date:               b.date(n, MonthFirst, "BDATE"),
		Serial:             n.Value("BIOSSERIAL"),
		AssetTag:           n.Value("ASSETTAG"),
		BoardManufacturer:  n.Value("MMANUFACTURER"),
		BoardModel:         n.Value("MMODEL"),
		BoardSerial:        n.Value("MSN"),
	}
}

func (b *Builder) os(n *tree.Node) {
	tz := n.Child("TIMEZONE")
	b.Inv.OS = inventory.OS{
		Name:           n.Value("NAME"),
		Version:        n.Value("VERSION"),
		FullName:       n.Value("FULL_NAME"),
		KernelName:     n.Value("KERNEL_NAME"),
		Kernel:         n.Value("KERNEL_VERSION"),
		Arch:           n.Value("ARCH"),
		ServicePack:    n.Value("SERVICE_PACK"),
		InstallDate:    b.date(n, DayFirst, "INSTALL_DATE"),
		BootTime:       b.dateTime(n, "BOOT_TIME"),
		FQDN:           n.Value("FQDN"),
		DNSDomain:      n.Value("DNS_DOMAIN"),
		TimezoneName:   tz.Value("NAME"),
		TimezoneOffset: tz.Value("OFFSET"),
	}
}

func (b *Builder) cpu(n *tree.Node) inventory.CPU {
	return inventory.CPU{
		// OCS names the model TYPE and counts CORES, THREADS and LOGICAL_CPUS.
		Model:        n.Value("NAME", "TYPE"),
		Manufacturer: n.Value("MANUFACTURER"),
		Cores:        b.count(n, "CORE", "CORES", "CORECOUNT"),
		Threads:      b.count(n, "THREAD", "LOGICAL_CPUS", "THREADS"),
		SpeedMHz:     b.count(n, "SPEED"),
		Arch:         n.Value("ARCH", "CPUARCH"),
		Serial:       n.Value("SERIAL"),
	}
}

// memory maps a memory module; an empty slot (no capacity, or "Empty") gives false.
func (b *Builder) memory(n *tree.Node) (inventory.Memory, bool) {
	m := inventory.Memory{
		CapacityMB:   b.count(n, "CAPACITY"),
		Type:         n.Value("TYPE"),
		SpeedMHz:     b.count(n, "SPEED"),
		Serial:       n.Value("SERIALNUMBER", "SERIAL"),
		Slot:         b.count(n, "NUMSLOTS"),
		Caption:      n.Value("CAPTION"),
		Description:  n.Value("DESCRIPTION"),
		Manufacturer: n.Value("MANUFACTURER"),
		Model:        n.Value("MODEL"),
	}
	if m.CapacityMB == 0 || strings.EqualFold(m.Type, "empty") {
		return m, false
	}
	return m, true
}

func (b *Builder) storage(n *tree.Node) inventory.Storage {
	s := inventory.Storage{
		Name:         n.Value("NAME"),
		Model:        n.Value("MODEL"),
		Manufacturer: n.Value("MANUFACTURER"),
		Serial:       n.Value("SERIALNUMBER", "SERIAL"),
		SizeMB:       b.count(n, "DISKSIZE"),
		Interface:    n.Value("INTERFACE"),
		Type:         n.Value("TYPE"),
		Description:  n.Value("DESCRIPTION"),
		Firmware:     n.Value("FIRMWARE"),
	}
	if strings.EqualFold(s.Interface, "serial-ata") {
		s.Interface = "SATA"
	}
	return s
}

func (b *Builder) volume(n *tree.Node) inventory.Volume {
	v := inventory.Volume{
		Device:  n.Value("VOLUMN"),
		FSType:  n.Value("FILESYSTEM"),
		TotalMB: b.count(n, "TOTAL"),
		FreeMB:  b.count(n, "FREE"),
		Label:   n.Value("LABEL"),
		Serial:  n.Value("SERIAL"),
		System:  Bool(n.Value("SYSTEMDRIVE")),
	}
	// On Unix TYPE is the mount point; on Windows, the kind of drive.
	if t := n.Value("TYPE"); strings.HasPrefix(t, "/") {
		v.Mount = t
	} else {
		v.Kind = t
	}
	if l := n.Value("LETTER"); isDriveLetter(l) {
		v.Letter = strings.ToUpper(l[:2])
	}
	if name, algo := n.Value("ENCRYPT_NAME"), n.Value("ENCRYPT_ALGO"); Bool(n.Value("ENCRYPT_STATUS")) || name != "" {
		v.Encryption = strings.TrimSpace(name + " " + algo)
	}
	return v
}

func isDriveLetter(s string) bool {
	if len(s) < 2 || len(s) > 3 || s[1] != ':' || (len(s) == 3 && s[2] != '\\') {
		return false
	}
	c := s[0] | 0x20
	return c >= 'a' && c <= 'z'
}

// software maps an installed package; one without a name gives false.
func (b *Builder) software(n *tree.Node) (inventory.Software, bool) {
	s := inventory.Software{
		Name:        n.Value("NAME"),
		Version:     n.Value("VERSION"),
		Publisher:   n.Value("PUBLISHER"),
		InstallDate: b.date(n, DayFirst, "INSTALLDATE", "INSTALL_DATE"),
		Arch:        n.Value("ARCH", "ARCHITECTURE"),
		Source:      strings.ToLower(n.Value("FROM")),
		GUID:        n.Value("GUID"),
		Category:    n.Value("SYSTEM_CATEGORY"),
		SizeBytes:   int64(b.count(n, "FILESIZE")),
		Comments:    n.Value("COMMENTS"),
		URL:         n.Value("URL_INFO_ABOUT", "HELPLINK"),
	}
	// The OCS agent puts a Debian package's home page in PUBLISHER.
	if p := strings.ToLower(s.Publisher); strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		if s.URL == "" {
			s.URL = s.Publisher
		}
		s.Publisher = ""
	}
	if s.Name == "" {
		b.Warn("%s: an entry without a name was left out", b.path(n, "NAME"))
		return s, false
	}
	return s, true
}

func (b *Builder) localUser(n *tree.Node) inventory.LocalUser {
	return inventory.LocalUser{
		Login: n.Value("LOGIN"),
		Name:  n.Value("NAME"),
		ID:    n.Value("ID", "ID_USER"), // OCS: ID_USER, and none for uid 0
		Home:  n.Value("HOME"),
		Shell: n.Value("SHELL"),
	}
}

func (b *Builder) localGroup(n *tree.Node) inventory.LocalGroup {
	g := inventory.LocalGroup{Name: n.Value("NAME"), ID: n.Value("ID", "ID_GROUP")}
	for _, c := range n.Children {
		if (c.Name == "MEMBER" || c.Name == "MEMBERS") && c.Text != "" {
			g.Members = append(g.Members, c.Text)
		}
	}
	return g
}

func (b *Builder) monitor(n *tree.Node) inventory.Monitor {
	return inventory.Monitor{
		Name:         n.Value("NAME", "CAPTION"),
		Manufacturer: n.Value("MANUFACTURER"),
		Model:        n.Value("CAPTION"),
		Serial:       n.Value("SERIAL"),
		AltSerial:    n.Value("ALTSERIAL"),
		Description:  n.Value("DESCRIPTION"),
		Port:         n.Value("PORT"),
	}
}

func (b *Builder) battery(n *tree.Node) inventory.Battery {
	return inventory.Battery{
		Name:            n.Value("NAME"),
		Manufacturer:    n.Value("MANUFACTURER"),
		Serial:          n.Value("SERIAL"),
		Chemistry:       n.Value("CHEMISTRY"),
		CapacityMWh:     milli(n.Value("CAPACITY"), "wh"),
		RealCapacityMWh: milli(n.Value("REAL_CAPACITY"), "wh"),
		VoltageMV:       milli(n.Value("VOLTAGE"), "v"),
		Date:            b.date(n, MonthFirst, "DATE"),
	}
}

// milli reads an energy or a voltage in thousandths of unit: "43.7456 Wh" is 43746,
// "8.614 V" is 8614; a bare number is taken as already in thousandths.
func milli(s, unit string) int {
	f, ok := Float(s)
	if !ok || f <= 0 {
		return 0
	}
	l := strings.ToLower(strings.TrimSpace(s))
	if strings.HasSuffix(l, unit) && !strings.HasSuffix(l, "m"+unit) {
		f *= 1000
	}
	v, ok := clamp(f + 0.5)
	if !ok {
		return 0
	}
	return v
}

func (b *Builder) virtualMachine(n *tree.Node) inventory.VirtualMachine {
	vm := inventory.VirtualMachine{
		Name:      n.Value("NAME"),
		UUID:      n.Value("UUID"),
		Status:    strings.ToLower(n.Value("STATUS")),
		VMType:    strings.ToLower(n.Value("VMTYPE")),
		Subsystem: n.Value("SUBSYSTEM"),
		MemoryMB:  b.count(n, "MEMORY"),
		VCPUs:     b.count(n, "VCPU"),
		MAC:       b.mac(n, "MAC"),
		Image:     n.Value("IMAGE"),
		Comment:   n.Value("COMMENT"),
	}
	switch vm.Status {
	case "stopped":
		vm.Status = "off"
	case "pause":
		vm.Status = "paused"
	case "unknown":
		vm.Status = ""
	}
	switch vm.VMType {
	case "hyper-v":
		vm.VMType = "hyperv"
	case "solaris zone", "solaris zones":
		vm.VMType = "solariszone"
	}
	return vm
}

func (b *Builder) antivirus(n *tree.Node) inventory.Antivirus {
	return inventory.Antivirus{
		Name:        n.Value("NAME"),
		Company:     n.Value("COMPANY"),
		Version:     n.Value("VERSION"),
		Enabled:     Bool(n.Value("ENABLED")),
		UpToDate:    Bool(n.Value("UPTODATE")),
		GUID:        n.Value("GUID"),
		BaseVersion: n.Value("BASE_VERSION", "DATFILEVERSION"),
		Expiration:  b.date(n, DayFirst, "EXPIRATION"),
	}
}

// Controller maps a controller in FusionInventory's form; a PCIID "vendor:product"
// fills the ids when they are not given apart.
func Controller(n *tree.Node) inventory.Controller {
	c := inventory.Controller{
		Name:         n.Value("NAME", "CAPTION"),
		Manufacturer: n.Value("MANUFACTURER"),
		Type:         n.Value("TYPE"),
		Driver:       n.Value("DRIVER"),
		PCIClass:     n.Value("PCICLASS"),
		PCISlot:      n.Value("PCISLOT"),
		VendorID:     strings.ToLower(n.Value("VENDORID")),
		ProductID:    strings.ToLower(n.Value("PRODUCTID")),
		SubsystemID:  strings.ToLower(n.Value("PCISUBSYSTEMID")),
		Rev:          n.Value("REV"),
	}
	if c.VendorID == "" {
		if v, p, ok := strings.Cut(n.Value("PCIID"), ":"); ok {
			c.VendorID, c.ProductID = strings.ToLower(v), strings.ToLower(p)
		}
	}
	return c
}

func (b *Builder) video(n *tree.Node) inventory.Video {
	return inventory.Video{
		Name:       n.Value("NAME"),
		Chipset:    n.Value("CHIPSET"),
		MemoryMB:   b.count(n, "MEMORY"),
		Resolution: n.Value("RESOLUTION"),
		PCISlot:    n.Value("PCISLOT"),
	}
}

func (b *Builder) firmware(n *tree.Node) inventory.Firmware {
	return inventory.Firmware{
		Name:         n.Value("NAME"),
		Version:      n.Value("VERSION"),
		Manufacturer: n.Value("MANUFACTURER"),
		Type:         n.Value("TYPE"),
		Description:  n.Value("DESCRIPTION"),
		Date:         b.date(n, DayFirst, "DATE"),
	}
}

// powerSupply reads a power supply; XML says "750 W" and "Yes" where JSON has 750
// and true.
func (b *Builder) powerSupply(n *tree.Node) inventory.PowerSupply {
	p := inventory.PowerSupply{
		Name:           n.Value("NAME"),
		Manufacturer:   n.Value("MANUFACTURER"),
		Model:          n.Value("MODEL"),
		PartNumber:     n.Value("PARTNUM"),
		Serial:         n.Value("SERIALNUMBER", "SERIAL"),
		HotReplaceable: Bool(n.Value("HOTREPLACEABLE")),
		Plugged:        Bool(n.Value("PLUGGED")),
		Status:         n.Value("STATUS"),
		Location:       n.Value("LOCATION"),
	}
	if s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(n.Value("POWER_MAX")), "W")); s != "" {
		if w, ok := Int(s); ok && w > 0 {
			p.PowerMaxW = w
		} else {
			b.Warn("%s: %q is not a power in watts", b.path(n, "POWER_MAX"), tree.Clip(n.Value("POWER_MAX")))
		}
	}
	return p
}
