package agent

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"parc/internal/inventory"
)

// edid is what a monitor's EDID base block (VESA E-EDID 1.3/1.4) says about it.
type edid struct {
	PNPID       string // three-letter manufacturer id: "DEL", "SAM"...
	ProductCode uint16
	SerialNum   uint32 // numeric serial; 0 when unset
	SerialText  string // serial number descriptor (0xFF)
	Name        string // display product name descriptor (0xFC)
	Text        string // unspecified text descriptor (0xFE)
	Week, Year  int    // of manufacture (Week 0: unknown; 255: Year is the model year)
	WidthCM     int
	HeightCM    int
	Version     string // "1.4"
}

var edidHeader = []byte{0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}

// parseEDID reads the 128-byte base block of an EDID (extension blocks are ignored).
func parseEDID(b []byte) (edid, error) {
	var e edid
	if len(b) < 128 {
		return e, fmt.Errorf("edid: %d bytes, want at least 128", len(b))
	}
	b = b[:128]
	if string(b[:8]) != string(edidHeader) {
		return e, errors.New("edid: bad header")
	}
	var sum byte
	for _, c := range b {
		sum += c
	}
	if sum != 0 {
		return e, errors.New("edid: bad checksum")
	}
	id := binary.BigEndian.Uint16(b[8:10])
	for _, shift := range []uint{10, 5, 0} {
		c := byte(id>>shift) & 0x1f
		if c < 1 || c > 26 {
			return e, fmt.Errorf("edid: bad manufacturer id %#04x", id)
		}
		e.PNPID += string(rune('A' + c - 1))
	}
	e.ProductCode = binary.LittleEndian.Uint16(b[10:12])
	e.SerialNum = binary.LittleEndian.Uint32(b[12:16])
	e.Week, e.Year = int(b[16]), 1990+int(b[17])
	e.Version = fmt.Sprintf("%d.%d", b[18], b[19])
	e.WidthCM, e.HeightCM = int(b[21]), int(b[22])
	for i := 54; i+18 <= 126; i += 18 {
		d := b[i : i+18]
		if d[0] != 0 || d[1] != 0 || d[2] != 0 {
			continue // a detailed timing descriptor
		}
		text := descriptorText(d[5:18])
		switch d[3] {
		case 0xff:
			e.SerialText = text
		case 0xfc:
			e.Name = text
		case 0xfe:
			if e.Text == "" {
				e.Text = text
			}
		}
	}
	return e, nil
}

// descriptorText reads the 13 bytes of a text descriptor: ends at a line feed, padded
// with spaces.
func descriptorText(b []byte) string {
	if i := strings.IndexByte(string(b), '\n'); i >= 0 {
		b = b[:i]
	}
	return cleanString(string(b))
}

// monitor turns an EDID into the model's Monitor.
func (e edid) monitor(port string) inventory.Monitor {
	m := inventory.Monitor{
		Name:         e.Name,
		Model:        e.Name,
		Manufacturer: e.PNPID,
		Description:  fmt.Sprintf("%s%04X", e.PNPID, e.ProductCode),
		Port:         port,
	}
	if name := pnpVendors[e.PNPID]; name != "" {
		m.Manufacturer = name
	}
	if m.Name == "" {
		m.Name = e.Text // laptop panels often name themselves in a text descriptor
	}
	num := ""
	if e.SerialNum != 0 && e.SerialNum != 0x01010101 && e.SerialNum != 0xffffffff {
		num = strconv.FormatUint(uint64(e.SerialNum), 10)
	}
	switch {
	case e.SerialText != "" && !inventory.IsDummySerial(e.SerialText):
		m.Serial, m.AltSerial = e.SerialText, num
	default:
		m.Serial = num
	}
	return m
}

// pnpVendors names the manufacturers of most monitors met in offices (the PNP id
// registry has thousands; unknown ids are reported as the id itself).
var pnpVendors = map[string]string{
	"ACR": "Acer", "AOC": "AOC", "APP": "Apple", "AUO": "AU Optronics", "AUS": "ASUSTeK",
	"BNQ": "BenQ", "BOE": "BOE", "CMN": "Chimei Innolux", "CMO": "Chi Mei Optoelectronics",
	"DEL": "Dell", "ENC": "EIZO", "EIZ": "EIZO", "FUS": "Fujitsu Siemens", "GSM": "LG Electronics",
	"GBT": "Gigabyte", "HPN": "HP", "HWP": "HP", "HSD": "HannStar", "IVM": "Iiyama",
	"LEN": "Lenovo", "LGD": "LG Display", "LPL": "LG Philips", "MSI": "MSI", "NEC": "NEC",
	"PHL": "Philips", "SAM": "Samsung", "SDC": "Samsung Display", "SEC": "Samsung",
	"SHP": "Sharp", "SNY": "Sony", "VSC": "ViewSonic", "XMI": "Xiaomi", "HKC": "HKC",
	"IQT": "Hyundai ImageQuest", "MEI": "Panasonic", "NCP": "Najing CEC Panda",
	"TSB": "Toshiba", "CPQ": "Compaq", "KDB": "Kyocera", "BBY": "Insignia",
}
