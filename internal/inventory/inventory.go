// Package inventory holds parc's normalised inventory: what an agent reported about one
// device, whatever protocol carried it. One small package per agent protocol turns a
// request body into an *Inventory:
//
//   - inventory/fusion: FusionInventory agent and GLPI Agent XML (<REQUEST><CONTENT>...);
//   - inventory/ocs: OCS Inventory unix agent XML;
//   - inventory/glpi: GLPI Agent native JSON;
//   - inventory/wire: compression of request and reply bodies, with size caps.
//
// The model keeps the sections of the document apart, so that reconciliation can apply
// them one by one: a section that the document did not carry is "not reported", never
// "removed" (see Sections and Inventory.Has). SectionHashes gives one stable hash per
// reported section so that an unchanged re-inventory writes nothing.
//
// Values are normalised on the way in: sizes in MB, speeds in MHz or Mbit/s, dates as
// "2006-01-02", date-times as "2006-01-02 15:04:05", MAC addresses as lower-case
// "aa:bb:cc:dd:ee:ff", IP addresses in canonical form. Values that cannot be read are
// dropped with a line in Warnings rather than failing the whole inventory. Serials and
// UUIDs are kept as reported; IsDummySerial and IsDummyUUID tell placeholders apart and
// Identity leaves them out.
package inventory

// Format names the protocol a document came in.
type Format string

const (
	FormatFusion Format = "fusioninventory" // FusionInventory / GLPI Agent XML
	FormatOCS    Format = "ocs"             // OCS Inventory agent XML
	FormatGLPI   Format = "glpi"            // GLPI Agent native JSON
)

// Action is what the agent sent: a device's own inventory, an SNMP inventory of a
// network device, or a device found by a network discovery.
type Action string

const (
	ActionInventory    Action = "inventory"
	ActionNetInventory Action = "netinventory"
	ActionNetDiscovery Action = "netdiscovery"
)

// ItemType is the kind of asset the inventory describes (GLPI's names).
type ItemType string

const (
	ItemComputer         ItemType = "Computer"
	ItemNetworkEquipment ItemType = "NetworkEquipment"
	ItemPrinter          ItemType = "Printer"
	ItemPhone            ItemType = "Phone"
	ItemUnmanaged        ItemType = "Unmanaged"
)

// Inventory is one device's inventory, normalised.
type Inventory struct {
	Format   Format   `json:"format"`
	Action   Action   `json:"action"`
	ItemType ItemType `json:"itemtype"`
	// DeviceID is the agent's own id ("hostname-YYYY-MM-DD-HH-MM-SS"): stable for one
	// agent installation, new after a reinstall. A hint, not the device's identity.
	DeviceID string `json:"device_id"`
	Agent    Agent  `json:"agent"`
	Tag      string `json:"tag,omitempty"`
	// Partial is true when the sender says only some sections were sent. Absent
	// sections are "not reported" whether or not Partial is set; Partial only tells
	// that the absence was deliberate.
	Partial bool `json:"partial,omitempty"`
	// Sections lists, sorted, the sections the document carried (even empty ones).
	Sections []Section `json:"sections"`

	Hardware        Hardware         `json:"hardware,omitzero"`
	BIOS            BIOS             `json:"bios,omitzero"`
	OS              OS               `json:"operatingsystem,omitzero"`
	CPUs            []CPU            `json:"cpus,omitempty"`
	Memories        []Memory         `json:"memories,omitempty"`
	Storages        []Storage        `json:"storages,omitempty"`
	Volumes         []Volume         `json:"drives,omitempty"`
	Networks        []Network        `json:"networks,omitempty"`
	Softwares       []Software       `json:"softwares,omitempty"`
	Users           []User           `json:"users,omitempty"`
	LocalUsers      []LocalUser      `json:"local_users,omitempty"`
	LocalGroups     []LocalGroup     `json:"local_groups,omitempty"`
	Monitors        []Monitor        `json:"monitors,omitempty"`
	Batteries       []Battery        `json:"batteries,omitempty"`
	VirtualMachines []VirtualMachine `json:"virtualmachines,omitempty"`
	Antivirus       []Antivirus      `json:"antivirus,omitempty"`
	Controllers     []Controller     `json:"controllers,omitempty"`
	Videos          []Video          `json:"videos,omitempty"`
	Firmwares       []Firmware       `json:"firmwares,omitempty"`
	RemoteMgmt      []RemoteMgmt     `json:"remote_mgmt,omitempty"`
	PowerSupplies   []PowerSupply    `json:"powersupplies,omitempty"`
	// Device is the SNMP view of a network device or printer (netinventory and
	// netdiscovery); nil for computers and phones.
	Device *NetworkDevice `json:"network_device,omitempty"`
	Ports  []Port         `json:"network_ports,omitempty"`

	// Warnings lists values that were dropped or repaired while reading the document.
	Warnings []string `json:"warnings,omitempty"`
}

// Agent is the software that sent the inventory, from VERSIONCLIENT/VERSIONPROVIDER,
// the JSON versionclient or, when the document has none, the User-Agent header (see
// ParseAgent).
type Agent struct {
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
}

// Hardware holds the HARDWARE section: the machine as the operating system sees it.
// The system serial, manufacturer and model are in BIOS (SSN, SMANUFACTURER, SMODEL),
// the section every agent reports them in; Inventory.Serial and friends read them.
type Hardware struct {
	Name           string `json:"name,omitempty"` // hostname
	UUID           string `json:"uuid,omitempty"` // SMBIOS system UUID, as reported
	Workgroup      string `json:"workgroup,omitempty"`
	ChassisType    string `json:"chassis_type,omitempty"`
	VMSystem       string `json:"vmsystem,omitempty"` // as reported: "Physical", "VMware", "Docker"...
	MemoryMB       int    `json:"memory_mb,omitempty"`
	SwapMB         int    `json:"swap_mb,omitempty"`
	DNS            string `json:"dns,omitempty"`
	DefaultGateway string `json:"default_gateway,omitempty"`
	LastLoggedUser string `json:"last_logged_user,omitempty"`
	Description    string `json:"description,omitempty"`
	WinProductID   string `json:"win_product_id,omitempty"`
	WinProductKey  string `json:"win_product_key,omitempty"`
}

// BIOS holds the BIOS section: firmware, system and board identity.
type BIOS struct {
	SystemManufacturer string `json:"system_manufacturer,omitempty"` // SMANUFACTURER
	SystemModel        string `json:"system_model,omitempty"`        // SMODEL
	SystemSerial       string `json:"system_serial,omitempty"`       // SSN: the machine's serial
	SKU                string `json:"sku,omitempty"`
	Manufacturer       string `json:"manufacturer,omitempty"` // BMANUFACTURER: firmware vendor
	Version            string `json:"version,omitempty"`
	Date               string `json:"date,omitempty"`
	Serial             string `json:"serial,omitempty"` // BIOSSERIAL, rarely reported
	AssetTag           string `json:"asset_tag,omitempty"`
	BoardManufacturer  string `json:"board_manufacturer,omitempty"`
	BoardModel         string `json:"board_model,omitempty"`
	BoardSerial        string `json:"board_serial,omitempty"` // MSN
}

// OS holds the operating system.
type OS struct {
	Name           string `json:"name,omitempty"`
	Version        string `json:"version,omitempty"`
	FullName       string `json:"full_name,omitempty"`
	KernelName     string `json:"kernel_name,omitempty"`
	Kernel         string `json:"kernel_version,omitempty"`
	Arch           string `json:"arch,omitempty"`
	ServicePack    string `json:"service_pack,omitempty"`
	InstallDate    string `json:"install_date,omitempty"`
	BootTime       string `json:"boot_time,omitempty"`
	FQDN           string `json:"fqdn,omitempty"`
	DNSDomain      string `json:"dns_domain,omitempty"`
	TimezoneName   string `json:"timezone_name,omitempty"`
	TimezoneOffset string `json:"timezone_offset,omitempty"`
}

// CPU is one processor (socket).
type CPU struct {
	Model        string `json:"model,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Cores        int    `json:"cores,omitempty"`
	Threads      int    `json:"threads,omitempty"`
	SpeedMHz     int    `json:"speed_mhz,omitempty"`
	Arch         string `json:"arch,omitempty"`
	Serial       string `json:"serial,omitempty"`
}

// Memory is one installed memory module. Empty slots are not listed.
type Memory struct {
	CapacityMB   int    `json:"capacity_mb"`
	Type         string `json:"type,omitempty"`
	SpeedMHz     int    `json:"speed_mhz,omitempty"`
	Serial       string `json:"serial,omitempty"`
	Slot         int    `json:"slot,omitempty"` // NUMSLOTS: the slot number
	Caption      string `json:"caption,omitempty"`
	Description  string `json:"description,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
}

// Storage is one physical (or virtual) disk.
type Storage struct {
	Name         string `json:"name,omitempty"`
	Model        string `json:"model,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Serial       string `json:"serial,omitempty"`
	SizeMB       int    `json:"size_mb,omitempty"`
	Interface    string `json:"interface,omitempty"`
	Type         string `json:"type,omitempty"`
	Description  string `json:"description,omitempty"`
	Firmware     string `json:"firmware,omitempty"`
}

// Volume is one mounted file system (DRIVES).
type Volume struct {
	Device     string `json:"device,omitempty"` // VOLUMN: /dev/sda1, volume name...
	Mount      string `json:"mount,omitempty"`  // mount point on Unix
	Letter     string `json:"letter,omitempty"` // "C:" on Windows
	FSType     string `json:"fs_type,omitempty"`
	TotalMB    int    `json:"total_mb,omitempty"`
	FreeMB     int    `json:"free_mb,omitempty"`
	Label      string `json:"label,omitempty"`
	Serial     string `json:"serial,omitempty"`
	Kind       string `json:"kind,omitempty"` // Windows drive type: "Local Disk", "Network Drive"...
	System     bool   `json:"system,omitempty"`
	Encryption string `json:"encryption,omitempty"` // e.g. "LUKS1 aes-xts-plain64" when encrypted
}

// Network is one network interface. Agents send one entry per address; the entries of
// one interface (same name and MAC) are merged, so an interface lists all its addresses.
type Network struct {
	Name       string      `json:"name"`          // DESCRIPTION: "eth0", or the adapter on Windows
	MAC        string      `json:"mac,omitempty"` // lower-case "aa:bb:cc:dd:ee:ff"
	Type       string      `json:"type,omitempty"`
	Status     string      `json:"status,omitempty"` // "up" or "down"
	Virtual    bool        `json:"virtual,omitempty"`
	Management bool        `json:"management,omitempty"` // a BMC / out-of-band interface
	SpeedMbps  int         `json:"speed_mbps,omitempty"`
	MTU        int         `json:"mtu,omitempty"`
	Driver     string      `json:"driver,omitempty"`
	PCISlot    string      `json:"pci_slot,omitempty"`
	IPv4       []IPAddress `json:"ipv4,omitempty"`
	IPv6       []IPAddress `json:"ipv6,omitempty"`
	Gateway    string      `json:"gateway,omitempty"`
	Gateway6   string      `json:"gateway6,omitempty"`
	DHCPServer string      `json:"dhcp_server,omitempty"`
}

// IPAddress is an address with its mask as reported and the prefix length read from it.
type IPAddress struct {
	Address string `json:"address"`
	Mask    string `json:"mask,omitempty"`
	Prefix  int    `json:"prefix,omitempty"`
}

// Software is one installed package or program.
type Software struct {
	Name        string `json:"name"`
	Version     string `json:"version,omitempty"`
	Publisher   string `json:"publisher,omitempty"`
	InstallDate string `json:"install_date,omitempty"`
	Arch        string `json:"arch,omitempty"`
	Source      string `json:"source,omitempty"` // FROM, lower case: deb, rpm, registry, msi, wmi, android...
	GUID        string `json:"guid,omitempty"`
	Category    string `json:"category,omitempty"`
	SizeBytes   int64  `json:"size_bytes,omitempty"`
	Comments    string `json:"comments,omitempty"`
	URL         string `json:"url,omitempty"`
}

// User is a user seen logged on (USERS).
type User struct {
	Login  string `json:"login"`
	Domain string `json:"domain,omitempty"`
}

// LocalUser is a local account.
type LocalUser struct {
	Login string `json:"login"`
	Name  string `json:"name,omitempty"`
	ID    string `json:"id,omitempty"`
	Home  string `json:"home,omitempty"`
	Shell string `json:"shell,omitempty"`
}

// LocalGroup is a local group and its members.
type LocalGroup struct {
	Name    string   `json:"name"`
	ID      string   `json:"id,omitempty"`
	Members []string `json:"members,omitempty"`
}

// Monitor is a display.
type Monitor struct {
	Name         string `json:"name,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	Serial       string `json:"serial,omitempty"`
	AltSerial    string `json:"alt_serial,omitempty"`
	Description  string `json:"description,omitempty"`
	Port         string `json:"port,omitempty"`
}

// Battery is a battery.
type Battery struct {
	Name            string `json:"name,omitempty"`
	Manufacturer    string `json:"manufacturer,omitempty"`
	Serial          string `json:"serial,omitempty"`
	Chemistry       string `json:"chemistry,omitempty"`
	CapacityMWh     int    `json:"capacity_mwh,omitempty"`
	RealCapacityMWh int    `json:"real_capacity_mwh,omitempty"`
	VoltageMV       int    `json:"voltage_mv,omitempty"`
	Date            string `json:"date,omitempty"`
}

// VirtualMachine is a guest (or container) the device hosts.
type VirtualMachine struct {
	Name      string `json:"name,omitempty"`
	UUID      string `json:"uuid,omitempty"`
	Status    string `json:"status,omitempty"` // running, off, paused...
	VMType    string `json:"vmtype,omitempty"` // libvirt, vmware, hyperv, docker...
	Subsystem string `json:"subsystem,omitempty"`
	MemoryMB  int    `json:"memory_mb,omitempty"`
	VCPUs     int    `json:"vcpus,omitempty"`
	MAC       string `json:"mac,omitempty"`
	Image     string `json:"image,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// Antivirus is a security product.
type Antivirus struct {
	Name        string `json:"name"`
	Company     string `json:"company,omitempty"`
	Version     string `json:"version,omitempty"`
	Enabled     bool   `json:"enabled"`
	UpToDate    bool   `json:"uptodate"`
	GUID        string `json:"guid,omitempty"`
	BaseVersion string `json:"base_version,omitempty"`
	Expiration  string `json:"expiration,omitempty"`
}

// Controller is a PCI (or other bus) controller.
type Controller struct {
	Name         string `json:"name,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Type         string `json:"type,omitempty"`
	Driver       string `json:"driver,omitempty"`
	PCIClass     string `json:"pci_class,omitempty"`
	PCISlot      string `json:"pci_slot,omitempty"`
	VendorID     string `json:"vendor_id,omitempty"`
	ProductID    string `json:"product_id,omitempty"`
	SubsystemID  string `json:"subsystem_id,omitempty"`
	Rev          string `json:"rev,omitempty"`
}

// Video is a graphics card.
type Video struct {
	Name       string `json:"name,omitempty"`
	Chipset    string `json:"chipset,omitempty"`
	MemoryMB   int    `json:"memory_mb,omitempty"`
	Resolution string `json:"resolution,omitempty"`
	PCISlot    string `json:"pci_slot,omitempty"`
}

// Firmware is a firmware or system software of a network device.
type Firmware struct {
	Name         string `json:"name,omitempty"`
	Version      string `json:"version,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Type         string `json:"type,omitempty"`
	Description  string `json:"description,omitempty"`
	Date         string `json:"date,omitempty"`
}

// RemoteMgmt is a remote-control tool installed on the device, with the identifier a
// technician connects to it by (TeamViewer, AnyDesk, RustDesk, SupRemo, MeshCentral...).
type RemoteMgmt struct {
	Type    string `json:"type"` // lower case, as reported: teamviewer, anydesk...
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
}

// PowerSupply is a power supply unit of a server.
type PowerSupply struct {
	Name           string `json:"name,omitempty"`
	Manufacturer   string `json:"manufacturer,omitempty"`
	Model          string `json:"model,omitempty"`
	PartNumber     string `json:"part_number,omitempty"`
	Serial         string `json:"serial,omitempty"`
	PowerMaxW      int    `json:"power_max_w,omitempty"`
	HotReplaceable bool   `json:"hot_replaceable,omitempty"`
	Plugged        bool   `json:"plugged,omitempty"`
	Status         string `json:"status,omitempty"`
	Location       string `json:"location,omitempty"`
}

// NetworkDevice is a network device or printer as seen over SNMP.
type NetworkDevice struct {
	Name         string   `json:"name,omitempty"`
	Type         string   `json:"type,omitempty"` // Networking, Printer, Storage...
	Manufacturer string   `json:"manufacturer,omitempty"`
	Model        string   `json:"model,omitempty"`
	Serial       string   `json:"serial,omitempty"`
	AssetTag     string   `json:"asset_tag,omitempty"`
	Firmware     string   `json:"firmware,omitempty"`
	MAC          string   `json:"mac,omitempty"`
	IPs          []string `json:"ips,omitempty"`
	Description  string   `json:"description,omitempty"`
	Location     string   `json:"location,omitempty"`
	Contact      string   `json:"contact,omitempty"`
	Uptime       string   `json:"uptime,omitempty"`
	MemoryMB     int      `json:"memory_mb,omitempty"`
	RAMMB        int      `json:"ram_mb,omitempty"`
}

// Port is a network port of a network device or printer.
type Port struct {
	Number      int      `json:"number"` // ifIndex
	Name        string   `json:"name,omitempty"`
	Description string   `json:"description,omitempty"`
	Alias       string   `json:"alias,omitempty"`
	MAC         string   `json:"mac,omitempty"`
	IfType      int      `json:"if_type,omitempty"` // IANA ifType: 6 ethernet, 24 loopback...
	SpeedMbps   int      `json:"speed_mbps,omitempty"`
	MTU         int      `json:"mtu,omitempty"`
	Status      int      `json:"status,omitempty"` // ifOperStatus: 1 up, 2 down...
	IPs         []string `json:"ips,omitempty"`
}
