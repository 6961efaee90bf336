package agent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"parc/internal/inventory"
)

// The Windows collector reads most hardware facts through WMI (CIM), with one
// PowerShell run that prints them as JSON. The script and its parser are here, without
// a build constraint, so that the parser is tested on every platform.

// cimScript prints one JSON object whose keys hold the instances of each class; a class
// that could not be read (a namespace missing on Windows Server, a class missing in a
// VM) is null, so that its section is left out rather than reported empty.
const cimScript = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [Text.Encoding]::UTF8
function Q($class, $props, $ns = 'root/cimv2', $filter = $null) {
  $p = @{ Namespace = $ns; ClassName = $class; ErrorAction = 'Stop' }
  if ($filter) { $p.Filter = $filter }
  try { ,@(Get-CimInstance @p | Select-Object -Property $props) } catch { $null }
}
function D($v, $f) { if ($v) { $v.ToString($f) } else { $null } }
function S($a) { if ($a) { -join [char[]]@($a | Where-Object { $_ -ne 0 }) } else { $null } }
$r = [ordered]@{
  cs = Q Win32_ComputerSystem Manufacturer,Model,Domain,PartOfDomain,Workgroup,TotalPhysicalMemory,UserName,SystemSKUNumber
  csp = Q Win32_ComputerSystemProduct UUID,IdentifyingNumber
  bios = Q Win32_BIOS Manufacturer,SMBIOSBIOSVersion,SerialNumber,@{n='ReleaseDate';e={D $_.ReleaseDate 'yyyy-MM-dd'}}
  board = Q Win32_BaseBoard Manufacturer,Product,SerialNumber
  enclosure = Q Win32_SystemEnclosure ChassisTypes,SMBIOSAssetTag
  os = Q Win32_OperatingSystem Caption,Version,BuildNumber,SerialNumber,CSDVersion,@{n='InstallDate';e={D $_.InstallDate 'yyyy-MM-dd'}},@{n='LastBootUpTime';e={D $_.LastBootUpTime 'yyyy-MM-dd HH:mm:ss'}}
  cpu = Q Win32_Processor Name,Manufacturer,NumberOfCores,NumberOfLogicalProcessors,MaxClockSpeed
  memory = Q Win32_PhysicalMemory Capacity,Speed,ConfiguredClockSpeed,Manufacturer,SerialNumber,PartNumber,DeviceLocator,BankLabel,SMBIOSMemoryType,FormFactor
  disks = Q Win32_DiskDrive Index,Model,SerialNumber,Size,InterfaceType,FirmwareRevision,MediaType
  volumes = Q Win32_LogicalDisk DeviceID,DriveType,FileSystem,Size,FreeSpace,VolumeName,VolumeSerialNumber,ProviderName
  nics = Q Win32_NetworkAdapterConfiguration MACAddress,Description,DefaultIPGateway,DHCPServer,DNSServerSearchOrder root/cimv2 'IPEnabled = True'
  video = Q Win32_VideoController Name,AdapterRAM,VideoProcessor,CurrentHorizontalResolution,CurrentVerticalResolution
  users = Q Win32_UserAccount Name,FullName,SID,Disabled root/cimv2 'LocalAccount = True'
  battery = Q Win32_Battery Name,DeviceID,Chemistry,DesignCapacity,FullChargeCapacity,DesignVoltage
  monitors = Q WmiMonitorID @{n='Maker';e={S $_.ManufacturerName}},@{n='Product';e={S $_.ProductCodeID}},@{n='Serial';e={S $_.SerialNumberID}},@{n='Name';e={S $_.UserFriendlyName}},InstanceName root/wmi
  av = Q AntiVirusProduct displayName,productState,instanceGuid root/SecurityCenter2
}
$r | ConvertTo-Json -Depth 4 -Compress
`

// encodePowerShell encodes a script for powershell -EncodedCommand (base64 of
// UTF-16LE), which spares any quoting.
func encodePowerShell(script string) []byte {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(u))
	for i, r := range u {
		b[2*i], b[2*i+1] = byte(r), byte(r>>8)
	}
	return b
}

// flexInt reads a JSON number or a numeric string (WMI gives 64-bit values as either,
// depending on the PowerShell version); anything else is 0.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.ParseFloat(s, 64)
	if err == nil {
		*f = flexInt(n)
	}
	return nil
}

// list reads a JSON array, a single object (PowerShell unwraps one-element arrays
// in some versions) or null.
type list[T any] struct {
	Items []T
	Null  bool
}

func (l *list[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		l.Null = true
		return nil
	case len(b) > 0 && b[0] == '[':
		return json.Unmarshal(b, &l.Items)
	default:
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		l.Items = []T{one}
		return nil
	}
}

// stringList reads a string array, a single string or null.
type stringList []string

func (s *stringList) UnmarshalJSON(b []byte) error {
	var l list[string]
	if err := l.UnmarshalJSON(b); err != nil {
		return nil // numbers or objects: not a string list
	}
	*s = l.Items
	return nil
}

type cimData struct {
	CS list[struct {
		Manufacturer, Model, Domain, Workgroup, UserName, SystemSKUNumber string
		PartOfDomain                                                      bool
		TotalPhysicalMemory                                               flexInt
	}] `json:"cs"`
	CSP list[struct {
		UUID, IdentifyingNumber string
	}] `json:"csp"`
	BIOS list[struct {
		Manufacturer, SMBIOSBIOSVersion, SerialNumber, ReleaseDate string
	}] `json:"bios"`
	Board list[struct {
		Manufacturer, Product, SerialNumber string
	}] `json:"board"`
	Enclosure list[struct {
		ChassisTypes   []flexInt
		SMBIOSAssetTag string
	}] `json:"enclosure"`
	OS list[struct {
		Caption, Version, BuildNumber, SerialNumber, CSDVersion, InstallDate, LastBootUpTime string
	}] `json:"os"`
	CPU list[struct {
		Name, Manufacturer                                      string
		NumberOfCores, NumberOfLogicalProcessors, MaxClockSpeed flexInt
	}] `json:"cpu"`
	Memory list[struct {
		Capacity, Speed, ConfiguredClockSpeed, SMBIOSMemoryType, FormFactor flexInt
		Manufacturer, SerialNumber, PartNumber, DeviceLocator, BankLabel    string
	}] `json:"memory"`
	Disks list[struct {
		Index, Size                                                     flexInt
		Model, SerialNumber, InterfaceType, FirmwareRevision, MediaType string
	}] `json:"disks"`
	Volumes list[struct {
		DeviceID, FileSystem, VolumeName, VolumeSerialNumber, ProviderName string
		DriveType, Size, FreeSpace                                         flexInt
	}] `json:"volumes"`
	NICs list[struct {
		MACAddress, Description, DHCPServer    string
		DefaultIPGateway, DNSServerSearchOrder stringList
	}] `json:"nics"`
	Video list[struct {
		Name, VideoProcessor                                               string
		AdapterRAM, CurrentHorizontalResolution, CurrentVerticalResolution flexInt
	}] `json:"video"`
	Users list[struct {
		Name, FullName, SID string
		Disabled            bool
	}] `json:"users"`
	Battery list[struct {
		Name, DeviceID                                               string
		Chemistry, DesignCapacity, FullChargeCapacity, DesignVoltage flexInt
	}] `json:"battery"`
	Monitors list[struct {
		Maker, Product, Serial, Name, InstanceName string
	}] `json:"monitors"`
	AV list[struct {
		DisplayName  string  `json:"displayName"`
		ProductState flexInt `json:"productState"`
		InstanceGUID string  `json:"instanceGuid"`
	}] `json:"av"`
}

func parseCIM(out []byte) (*cimData, error) {
	out = bytes.TrimPrefix(bytes.TrimSpace(out), []byte("\xef\xbb\xbf"))
	var d cimData
	if err := json.Unmarshal(out, &d); err != nil {
		return nil, fmt.Errorf("powershell output: %w", err)
	}
	return &d, nil
}

// winMemoryForm names WMI's Win32_PhysicalMemory.FormFactor (not SMBIOS's numbering).
var winMemoryForm = map[flexInt]string{8: "DIMM", 12: "SODIMM", 7: "SIMM", 9: "TSOP", 13: "SRIMM", 11: "RIMM"}

var winBatteryChemistry = map[flexInt]string{3: "Lead Acid", 4: "Nickel Cadmium", 5: "Nickel Metal Hydride", 6: "Lithium-ion", 7: "Zinc air", 8: "Lithium Polymer"}

var winDriveType = map[flexInt]string{2: "Removable Disk", 3: "Local Disk", 4: "Network Drive", 5: "Compact Disc", 6: "RAM Disk"}

// applyCIM fills the inventory from the WMI data; each class read (not null) marks its
// section present. systemDrive is %SystemDrive% ("C:").
func applyCIM(c *collector, d *cimData, systemDrive string) {
	inv := c.inv
	if !d.CS.Null && len(d.CS.Items) > 0 {
		cs := d.CS.Items[0]
		inv.BIOS.SystemManufacturer, inv.BIOS.SystemModel, inv.BIOS.SKU = cleanString(cs.Manufacturer), cleanString(cs.Model), cleanString(cs.SystemSKUNumber)
		inv.Hardware.MemoryMB = int(cs.TotalPhysicalMemory >> 20)
		if cs.PartOfDomain {
			inv.Hardware.Workgroup = cs.Domain
		} else {
			inv.Hardware.Workgroup = cs.Workgroup
		}
		if cs.UserName != "" {
			domain, login, ok := strings.Cut(cs.UserName, `\`)
			if !ok {
				domain, login = "", cs.UserName
			}
			inv.Hardware.LastLoggedUser = login
			inv.Users = []inventory.User{{Login: login, Domain: domain}}
		}
		inv.MarkPresent(inventory.SectionUsers)
	}
	if !d.CSP.Null && len(d.CSP.Items) > 0 {
		inv.Hardware.UUID = strings.ToLower(d.CSP.Items[0].UUID)
		inv.BIOS.SystemSerial = cleanString(d.CSP.Items[0].IdentifyingNumber)
	}
	if !d.BIOS.Null && len(d.BIOS.Items) > 0 {
		b := d.BIOS.Items[0]
		inv.BIOS.Manufacturer, inv.BIOS.Version, inv.BIOS.Date = cleanString(b.Manufacturer), cleanString(b.SMBIOSBIOSVersion), b.ReleaseDate
		if s := cleanString(b.SerialNumber); s != "" {
			inv.BIOS.SystemSerial = s
		}
		inv.MarkPresent(inventory.SectionBIOS)
	}
	if !d.Board.Null && len(d.Board.Items) > 0 {
		b := d.Board.Items[0]
		inv.BIOS.BoardManufacturer, inv.BIOS.BoardModel, inv.BIOS.BoardSerial = cleanString(b.Manufacturer), cleanString(b.Product), cleanString(b.SerialNumber)
	}
	if !d.Enclosure.Null && len(d.Enclosure.Items) > 0 {
		e := d.Enclosure.Items[0]
		if len(e.ChassisTypes) > 0 {
			inv.Hardware.ChassisType = chassisType(int(e.ChassisTypes[0]))
		}
		inv.BIOS.AssetTag = cleanString(e.SMBIOSAssetTag)
	}
	if !d.OS.Null && len(d.OS.Items) > 0 {
		o := d.OS.Items[0]
		inv.OS.Name = "Windows"
		inv.OS.FullName = cleanString(o.Caption)
		inv.OS.Kernel = o.Version
		inv.OS.KernelName = "MSWin32"
		inv.OS.ServicePack = o.CSDVersion
		inv.OS.InstallDate = o.InstallDate
		inv.OS.BootTime = o.LastBootUpTime
		if inv.OS.Version == "" {
			inv.OS.Version = o.BuildNumber
		}
		inv.Hardware.WinProductID = o.SerialNumber
		inv.MarkPresent(inventory.SectionOS)
	}
	if !d.CPU.Null {
		for _, p := range d.CPU.Items {
			inv.CPUs = append(inv.CPUs, inventory.CPU{
				Model: cleanString(p.Name), Manufacturer: cpuVendor(p.Manufacturer), Cores: int(p.NumberOfCores),
				Threads: int(p.NumberOfLogicalProcessors), SpeedMHz: int(p.MaxClockSpeed), Arch: inv.OS.Arch,
			})
		}
		inv.MarkPresent(inventory.SectionCPUs)
	}
	if !d.Memory.Null {
		for i, m := range d.Memory.Items {
			mod := inventory.Memory{
				CapacityMB: int(m.Capacity >> 20), Type: memoryTypes[byte(m.SMBIOSMemoryType)],
				SpeedMHz: int(m.ConfiguredClockSpeed), Serial: cleanString(m.SerialNumber),
				Model: cleanString(m.PartNumber), Caption: cleanString(m.DeviceLocator),
				Manufacturer: memoryVendor(cleanString(m.Manufacturer)), Description: winMemoryForm[m.FormFactor], Slot: i + 1,
			}
			if mod.SpeedMHz == 0 {
				mod.SpeedMHz = int(m.Speed)
			}
			for _, p := range []*string{&mod.Serial, &mod.Manufacturer, &mod.Model} {
				if inventory.IsDummySerial(*p) {
					*p = ""
				}
			}
			if mod.CapacityMB > 0 {
				inv.Memories = append(inv.Memories, mod)
			}
		}
		// Hyper-V and some hypervisors expose no module: not a real reading.
		if len(inv.Memories) > 0 {
			inv.MarkPresent(inventory.SectionMemories)
		}
	}
	if !d.Disks.Null {
		for _, k := range d.Disks.Items {
			s := inventory.Storage{
				Name: fmt.Sprintf("PhysicalDrive%d", k.Index), Model: cleanString(k.Model),
				Serial: cleanString(k.SerialNumber), SizeMB: int(k.Size / 1000 / 1000),
				Interface: k.InterfaceType, Firmware: cleanString(k.FirmwareRevision), Description: k.MediaType,
			}
			s.Manufacturer = diskVendorFromModel(s.Model)
			inv.Storages = append(inv.Storages, s)
		}
		inv.MarkPresent(inventory.SectionStorages)
	}
	if !d.Volumes.Null {
		for _, v := range d.Volumes.Items {
			inv.Volumes = append(inv.Volumes, inventory.Volume{
				Letter: v.DeviceID, Device: v.ProviderName, FSType: v.FileSystem,
				TotalMB: int(v.Size >> 20), FreeMB: int(v.FreeSpace >> 20), Label: v.VolumeName,
				Serial: v.VolumeSerialNumber, Kind: winDriveType[v.DriveType],
				System: strings.EqualFold(v.DeviceID, systemDrive),
			})
		}
		inv.MarkPresent(inventory.SectionVolumes)
	}
	if !d.NICs.Null {
		var dns []string
		for _, n := range d.NICs.Items {
			mac := normalMAC(n.MACAddress)
			for _, s := range n.DNSServerSearchOrder {
				if !slices.Contains(dns, s) {
					dns = append(dns, s)
				}
			}
			for i := range inv.Networks {
				nw := &inv.Networks[i]
				if mac == "" || nw.MAC != mac {
					continue
				}
				for _, g := range n.DefaultIPGateway {
					if strings.Contains(g, ":") {
						fillEmpty(&nw.Gateway6, g)
					} else {
						fillEmpty(&nw.Gateway, g)
					}
				}
				nw.DHCPServer = n.DHCPServer
			}
			for _, g := range n.DefaultIPGateway {
				if !strings.Contains(g, ":") {
					fillEmpty(&inv.Hardware.DefaultGateway, g)
				}
			}
		}
		inv.Hardware.DNS = strings.Join(dns, "/")
	}
	if !d.Video.Null {
		for _, v := range d.Video.Items {
			vid := inventory.Video{Name: cleanString(v.Name), Chipset: cleanString(v.VideoProcessor), MemoryMB: int(v.AdapterRAM >> 20)}
			if v.CurrentHorizontalResolution > 0 {
				vid.Resolution = fmt.Sprintf("%dx%d", v.CurrentHorizontalResolution, v.CurrentVerticalResolution)
			}
			inv.Videos = append(inv.Videos, vid)
		}
		inv.MarkPresent(inventory.SectionVideos)
	}
	if !d.Users.Null {
		for _, u := range d.Users.Items {
			inv.LocalUsers = append(inv.LocalUsers, inventory.LocalUser{Login: u.Name, Name: u.FullName, ID: u.SID})
		}
		inv.MarkPresent(inventory.SectionLocalUsers)
	}
	if !d.Battery.Null {
		for _, b := range d.Battery.Items {
			inv.Batteries = append(inv.Batteries, inventory.Battery{
				Name: cleanString(b.Name), Serial: cleanString(b.DeviceID), Chemistry: winBatteryChemistry[b.Chemistry],
				CapacityMWh: int(b.DesignCapacity), RealCapacityMWh: int(b.FullChargeCapacity), VoltageMV: int(b.DesignVoltage),
			})
		}
		inv.MarkPresent(inventory.SectionBatteries)
	}
	if !d.Monitors.Null {
		for _, m := range d.Monitors.Items {
			mon := inventory.Monitor{Name: cleanString(m.Name), Model: cleanString(m.Name), Manufacturer: m.Maker, Serial: cleanString(m.Serial)}
			if name := pnpVendors[m.Maker]; name != "" {
				mon.Manufacturer = name
			}
			if m.Maker != "" {
				mon.Description = m.Maker + strings.ToUpper(m.Product)
			}
			if inventory.IsDummySerial(mon.Serial) {
				mon.Serial = ""
			}
			inv.Monitors = append(inv.Monitors, mon)
		}
		inv.MarkPresent(inventory.SectionMonitors)
	}
	if !d.AV.Null {
		for _, a := range d.AV.Items {
			// productState: byte 1 (0x1000 bits) is the real-time protection state,
			// byte 0 (0x10 bits) the signatures' state (0: up to date).
			st := int64(a.ProductState)
			inv.Antivirus = append(inv.Antivirus, inventory.Antivirus{
				Name: a.DisplayName, GUID: a.InstanceGUID,
				Enabled: (st>>12)&0xf == 1, UpToDate: (st>>4)&0xf == 0,
			})
		}
		inv.MarkPresent(inventory.SectionAntivirus)
	}
}
