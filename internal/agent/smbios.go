package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"parc/internal/inventory"
)

// Reader of the raw SMBIOS structure table (/sys/firmware/dmi/tables/DMI on Linux,
// readable by root only), after the DMTF SMBIOS reference specification 3.x. parc reads
// the system, board, chassis and BIOS strings from it when /sys/class/dmi/id is missing,
// and the memory modules (type 17), which /sys/class/dmi/id does not give.

type smbiosStruct struct {
	Type    byte
	Data    []byte // the formatted area, header included
	Strings []string
}

// str returns the string the byte at off refers to ("" when absent or out of range).
func (s smbiosStruct) str(off int) string {
	if off >= len(s.Data) {
		return ""
	}
	n := int(s.Data[off])
	if n == 0 || n > len(s.Strings) {
		return ""
	}
	return cleanString(s.Strings[n-1])
}

func (s smbiosStruct) byteAt(off int) (byte, bool) {
	if off >= len(s.Data) {
		return 0, false
	}
	return s.Data[off], true
}

func (s smbiosStruct) word(off int) (uint16, bool) {
	if off+2 > len(s.Data) {
		return 0, false
	}
	return binary.LittleEndian.Uint16(s.Data[off:]), true
}

func (s smbiosStruct) dword(off int) (uint32, bool) {
	if off+4 > len(s.Data) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(s.Data[off:]), true
}

// parseSMBIOS splits a structure table into structures.
func parseSMBIOS(b []byte) ([]smbiosStruct, error) {
	var out []smbiosStruct
	for off := 0; off+4 <= len(b); {
		typ, length := b[off], int(b[off+1])
		if length < 4 || off+length > len(b) {
			return out, fmt.Errorf("smbios: structure at %d overruns the table", off)
		}
		s := smbiosStruct{Type: typ, Data: b[off : off+length]}
		// The string set ends with two NULs; a structure without strings has two NULs
		// right after its formatted area.
		p := off + length
		end := -1
		for i := p; i+1 < len(b); i++ {
			if b[i] == 0 && b[i+1] == 0 {
				end = i
				break
			}
		}
		if end < 0 {
			return out, fmt.Errorf("smbios: unterminated strings at %d", p)
		}
		if end > p {
			s.Strings = strings.Split(string(b[p:end]), "\x00")
		}
		out = append(out, s)
		if typ == 127 {
			break
		}
		off = end + 2
	}
	if len(out) == 0 {
		return nil, errors.New("smbios: empty table")
	}
	return out, nil
}

// smbiosInfo holds what parc takes from the table.
type smbiosInfo struct {
	BIOS     inventory.BIOS
	UUID     string
	Chassis  string
	Memories []inventory.Memory
	// MemoryArrays counts type 16 structures: a table without them describes no
	// physical memory (some hypervisors), so its type 17 list is not a real reading.
	MemoryArrays int
}

func readSMBIOS(structs []smbiosStruct) smbiosInfo {
	var info smbiosInfo
	slot := 0
	for _, s := range structs {
		switch s.Type {
		case 0:
			info.BIOS.Manufacturer = s.str(4)
			info.BIOS.Version = s.str(5)
			info.BIOS.Date = biosDate(s.str(8))
		case 1:
			info.BIOS.SystemManufacturer = s.str(4)
			info.BIOS.SystemModel = s.str(5)
			info.BIOS.SystemSerial = s.str(7)
			if len(s.Data) >= 0x18 {
				info.UUID = smbiosUUID(s.Data[8:0x18])
			}
			info.BIOS.SKU = s.str(0x19)
		case 2:
			info.BIOS.BoardManufacturer = s.str(4)
			info.BIOS.BoardModel = s.str(5)
			info.BIOS.BoardSerial = s.str(7)
		case 3:
			if t, ok := s.byteAt(5); ok {
				info.Chassis = chassisType(int(t & 0x7f))
			}
			info.BIOS.AssetTag = s.str(8)
		case 16:
			info.MemoryArrays++
		case 17:
			slot++
			if m, ok := memoryDevice(s); ok {
				m.Slot = slot
				info.Memories = append(info.Memories, m)
			}
		}
	}
	return info
}

// memoryDevice reads a type 17 structure; false for an empty slot.
func memoryDevice(s smbiosStruct) (inventory.Memory, bool) {
	size, ok := s.word(0x0c)
	if !ok || size == 0 || size == 0xffff {
		return inventory.Memory{}, false
	}
	var mb int
	switch {
	case size == 0x7fff:
		ext, ok := s.dword(0x1c)
		if !ok {
			return inventory.Memory{}, false
		}
		mb = int(ext & 0x7fffffff)
	case size&0x8000 != 0:
		mb = int(size&0x7fff) / 1024 // size in kB
	default:
		mb = int(size)
	}
	if mb == 0 {
		return inventory.Memory{}, false
	}
	m := inventory.Memory{
		CapacityMB:   mb,
		Caption:      s.str(0x10),
		Manufacturer: memoryVendor(s.str(0x17)),
		Serial:       s.str(0x18),
		Model:        s.str(0x1a),
	}
	if t, ok := s.byteAt(0x12); ok {
		m.Type = memoryTypes[t]
	}
	if f, ok := s.byteAt(0x0e); ok {
		m.Description = formFactors[f]
	}
	if bank := s.str(0x11); bank != "" && m.Caption != "" && !strings.Contains(m.Caption, bank) {
		m.Caption = bank + " " + m.Caption
	}
	speed, _ := s.word(0x20) // configured speed
	if speed == 0 || speed == 0xffff {
		speed, _ = s.word(0x15)
	}
	if speed == 0xffff {
		if ext, ok := s.dword(0x54); ok {
			m.SpeedMHz = int(ext)
		}
	} else {
		m.SpeedMHz = int(speed)
	}
	for _, p := range []*string{&m.Serial, &m.Manufacturer, &m.Model} {
		if inventory.IsDummySerial(*p) || strings.EqualFold(*p, "unknown") {
			*p = ""
		}
	}
	return m, true
}

// memoryVendor names the JEDEC manufacturer codes some firmware reports instead of a
// name ("80CE000080CE" for Samsung); other values are kept.
func memoryVendor(v string) string {
	u := strings.ToUpper(strings.TrimSpace(v))
	if len(u) >= 4 && strings.Trim(u, "0123456789ABCDEF") == "" {
		if name, ok := jedecVendors[u[:4]]; ok {
			return name
		}
	}
	return v
}

var jedecVendors = map[string]string{
	"80CE": "Samsung", "802C": "Micron", "80AD": "SK Hynix", "0198": "Kingston",
	"859B": "Crucial", "04CB": "A-DATA", "029E": "Corsair", "04CD": "G.Skill",
	"8551": "Qimonda", "01BA": "PNY", "0194": "Smart Modular", "8A76": "Lexar",
}

var memoryTypes = map[byte]string{
	0x01: "Other", 0x02: "Unknown", 0x03: "DRAM", 0x04: "EDRAM", 0x05: "VRAM", 0x06: "SRAM",
	0x07: "RAM", 0x08: "ROM", 0x09: "Flash", 0x0a: "EEPROM", 0x0b: "FEPROM", 0x0c: "EPROM",
	0x0d: "CDRAM", 0x0e: "3DRAM", 0x0f: "SDRAM", 0x10: "SGRAM", 0x11: "RDRAM", 0x12: "DDR",
	0x13: "DDR2", 0x14: "DDR2 FB-DIMM", 0x18: "DDR3", 0x19: "FBD2", 0x1a: "DDR4",
	0x1b: "LPDDR", 0x1c: "LPDDR2", 0x1d: "LPDDR3", 0x1e: "LPDDR4",
	0x1f: "Logical non-volatile device", 0x20: "HBM", 0x21: "HBM2", 0x22: "DDR5",
	0x23: "LPDDR5", 0x24: "HBM3",
}

var formFactors = map[byte]string{
	0x01: "Other", 0x03: "SIMM", 0x04: "SIP", 0x05: "Chip", 0x06: "DIP", 0x07: "ZIP",
	0x08: "Proprietary Card", 0x09: "DIMM", 0x0a: "TSOP", 0x0b: "Row of chips", 0x0c: "RIMM",
	0x0d: "SODIMM", 0x0e: "SRIMM", 0x0f: "FB-DIMM", 0x10: "Die",
}

// chassisType names an SMBIOS chassis type (the names dmidecode and GLPI use).
func chassisType(t int) string {
	names := []string{"", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box",
		"Mini Tower", "Tower", "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station",
		"All in One", "Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis",
		"Expansion Chassis", "SubChassis", "Bus Expansion Chassis", "Peripheral Chassis",
		"RAID Chassis", "Rack Mount Chassis", "Sealed-case PC", "Multi-system chassis",
		"Compact PCI", "Advanced TCA", "Blade", "Blade Enclosure", "Tablet", "Convertible",
		"Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC"}
	if t > 0 && t < len(names) {
		return names[t]
	}
	return ""
}

// smbiosUUID formats the 16 bytes of a system UUID as the kernel does (lower case, the
// first three fields little-endian as SMBIOS 2.6 and later store them). All-zero and
// all-FF values mean "not set" and give "".
func smbiosUUID(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	zero, ff := true, true
	for _, c := range b {
		zero = zero && c == 0
		ff = ff && c == 0xff
	}
	if zero || ff {
		return ""
	}
	return fmt.Sprintf("%08x-%04x-%04x-%x-%x",
		binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint16(b[4:6]),
		binary.LittleEndian.Uint16(b[6:8]), b[8:10], b[10:16])
}

// biosDate turns the SMBIOS "MM/DD/YYYY" (or "MM/DD/YY") into "YYYY-MM-DD"; other
// forms are kept as they are.
func biosDate(s string) string {
	p := strings.Split(s, "/")
	if len(p) != 3 {
		return s
	}
	m, err1 := strconv.Atoi(p[0])
	d, err2 := strconv.Atoi(p[1])
	y, err3 := strconv.Atoi(p[2])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return s
	}
	if len(p[2]) == 2 {
		y += 1900
		if y < 1970 {
			y += 100
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}
