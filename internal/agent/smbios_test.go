package agent

import (
	"encoding/binary"
	"testing"
)

// smbiosTable builds a structure table: each structure is its formatted area (header
// included, the length byte is set here) and its strings.
type smbiosEntry struct {
	data    []byte
	strings []string
}

func smbiosTable(entries ...smbiosEntry) []byte {
	var b []byte
	for i, e := range entries {
		d := append([]byte(nil), e.data...)
		d[1] = byte(len(d))
		binary.LittleEndian.PutUint16(d[2:], uint16(i))
		b = append(b, d...)
		if len(e.strings) == 0 {
			b = append(b, 0, 0)
			continue
		}
		for _, s := range e.strings {
			b = append(b, s...)
			b = append(b, 0)
		}
		b = append(b, 0)
	}
	return b
}

func memDevice(sizeMB uint16, speed uint16, typ byte, strs ...string) smbiosEntry {
	d := make([]byte, 0x22)
	d[0] = 17
	binary.LittleEndian.PutUint16(d[0x0c:], sizeMB)
	d[0x0e] = 0x09          // DIMM
	d[0x10], d[0x11] = 1, 2 // device locator, bank
	d[0x12] = typ
	binary.LittleEndian.PutUint16(d[0x15:], speed)
	d[0x17], d[0x18], d[0x1a] = 3, 4, 5
	binary.LittleEndian.PutUint16(d[0x20:], speed)
	return smbiosEntry{d, strs}
}

func TestSMBIOS(t *testing.T) {
	bios := make([]byte, 0x12)
	bios[0], bios[4], bios[5], bios[8] = 0, 1, 2, 3
	sys := make([]byte, 0x1b)
	sys[0], sys[4], sys[5], sys[6], sys[7], sys[0x19] = 1, 1, 2, 3, 4, 5
	copy(sys[8:0x18], []byte{0x44, 0x45, 0x4c, 0x4c, 0x34, 0x00, 0x10, 0x30, 0x80, 0x48, 0xb6, 0xc0, 0x4f, 0x50, 0x37, 0x32})
	board := make([]byte, 0x0f)
	board[0], board[4], board[5], board[7] = 2, 1, 2, 3
	chassis := make([]byte, 0x15)
	chassis[0], chassis[5], chassis[8] = 3, 0x0a, 1
	array := make([]byte, 0x17)
	array[0] = 16
	end := []byte{127, 4, 0, 0}
	table := smbiosTable(
		smbiosEntry{bios, []string{"Dell Inc.", "1.18.0", "03/15/2024"}},
		smbiosEntry{sys, []string{"Dell Inc.", "Latitude 5440", "Not Specified", "8C554721F", "0C10"}},
		smbiosEntry{board, []string{"Dell Inc.", "0WKG5T", "/8C554721F/CNCMK0043K0012/"}},
		smbiosEntry{chassis, []string{"No Asset Tag"}},
		smbiosEntry{array, nil},
		memDevice(8192, 3200, 0x1a, "DIMM A", "BANK 0", "80CE000080CE", "3A1B2C4D", "M471A1K43DB1-CWE  "),
		memDevice(0, 0, 0x02, "DIMM B", "BANK 1", "Not Specified", "Not Specified", "Not Specified"),
		memDevice(0x7fff, 4800, 0x22, "DIMM C", "BANK 2", "Kingston", "Unknown", "KF548C38-32"),
		smbiosEntry{end, nil},
	)
	// DIMM C: 32 GB through the extended size field.
	structs, err := parseSMBIOS(table)
	if err != nil {
		t.Fatal(err)
	}
	for i := range structs {
		if structs[i].Type == 17 && structs[i].str(0x10) == "DIMM C" {
			binary.LittleEndian.PutUint32(structs[i].Data[0x1c:], 32768)
		}
	}
	info := readSMBIOS(structs)
	b := info.BIOS
	if b.Manufacturer != "Dell Inc." || b.Version != "1.18.0" || b.Date != "2024-03-15" ||
		b.SystemManufacturer != "Dell Inc." || b.SystemModel != "Latitude 5440" || b.SystemSerial != "8C554721F" ||
		b.SKU != "0C10" || b.BoardModel != "0WKG5T" || b.BoardSerial != "/8C554721F/CNCMK0043K0012/" || b.AssetTag != "No Asset Tag" {
		t.Fatalf("bios: %+v", b)
	}
	if info.UUID != "4c4c4544-0034-3010-8048-b6c04f503732" {
		t.Fatalf("uuid %q", info.UUID)
	}
	if info.Chassis != "Notebook" || info.MemoryArrays != 1 {
		t.Fatalf("chassis %q, arrays %d", info.Chassis, info.MemoryArrays)
	}
	if len(info.Memories) != 2 {
		t.Fatalf("memories: %+v", info.Memories)
	}
	m := info.Memories[0]
	if m.CapacityMB != 8192 || m.Type != "DDR4" || m.SpeedMHz != 3200 || m.Manufacturer != "Samsung" ||
		m.Serial != "3A1B2C4D" || m.Model != "M471A1K43DB1-CWE" || m.Caption != "BANK 0 DIMM A" || m.Description != "DIMM" || m.Slot != 1 {
		t.Fatalf("module 1: %+v", m)
	}
	m = info.Memories[1]
	if m.CapacityMB != 32768 || m.Type != "DDR5" || m.Slot != 3 || m.Serial != "" || m.Manufacturer != "Kingston" {
		t.Fatalf("module 3: %+v", m)
	}

	if _, err := parseSMBIOS(table[:40]); err == nil {
		t.Fatal("a truncated table is accepted")
	}
	if _, err := parseSMBIOS(nil); err == nil {
		t.Fatal("an empty table is accepted")
	}
}

func TestBiosDateAndUUID(t *testing.T) {
	for in, want := range map[string]string{"03/15/2024": "2024-03-15", "12/01/99": "1999-12-01", "01/02/05": "2005-01-02", "2024-01-01": "2024-01-01", "13/01/2020": "13/01/2020"} {
		if got := biosDate(in); got != want {
			t.Errorf("biosDate(%q) = %q, want %q", in, got, want)
		}
	}
	if smbiosUUID(make([]byte, 16)) != "" {
		t.Error("all-zero UUID kept")
	}
	if chassisType(3) != "Desktop" || chassisType(35) != "Mini PC" || chassisType(99) != "" {
		t.Error("chassis names")
	}
}
