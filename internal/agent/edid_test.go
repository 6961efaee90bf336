package agent

import (
	"encoding/hex"
	"testing"
)

// A Dell U2419H's EDID base block as the monitor sends it: a detailed timing for
// 1920x1080 at 60 Hz, then a serial number, a product name and range limits descriptor.
const dellEDID = "00ffffffffffff0010acf0a03036334c" +
	"0c1d010380351e78eaee95a3544c9926" +
	"0f5054a54b00714f8180a9c0d1c00101" +
	"010101010101023a801871382d40582c" +
	"45000f282100001e000000ff00374d54" +
	"30313932334142434c0a000000fc0044" +
	"454c4c205532343139480a20000000fd" +
	"00384c1e5311000a20202020202000cc"

func TestParseEDID(t *testing.T) {
	b, err := hex.DecodeString(dellEDID)
	if err != nil {
		t.Fatal(err)
	}
	e, err := parseEDID(b)
	if err != nil {
		t.Fatal(err)
	}
	want := edid{PNPID: "DEL", ProductCode: 0xa0f0, SerialNum: 0x4c333630, SerialText: "7MT01923ABCL",
		Name: "DELL U2419H", Week: 12, Year: 2019, WidthCM: 53, HeightCM: 30, Version: "1.3"}
	if e != want {
		t.Fatalf("got %+v\nwant %+v", e, want)
	}
	m := e.monitor("DP-1")
	if m.Manufacturer != "Dell" || m.Name != "DELL U2419H" || m.Model != "DELL U2419H" ||
		m.Serial != "7MT01923ABCL" || m.AltSerial != "1278424624" || m.Description != "DELA0F0" || m.Port != "DP-1" {
		t.Fatalf("monitor: %+v", m)
	}

	// Extension blocks after the base block are ignored.
	if _, err := parseEDID(append(b, make([]byte, 128)...)); err != nil {
		t.Fatal(err)
	}
	bad := append([]byte(nil), b...)
	bad[100] ^= 1
	if _, err := parseEDID(bad); err == nil {
		t.Fatal("a wrong checksum is accepted")
	}
	if _, err := parseEDID(b[:100]); err == nil {
		t.Fatal("a short block is accepted")
	}
	bad = append([]byte(nil), b...)
	bad[1] = 0
	if _, err := parseEDID(bad); err == nil {
		t.Fatal("a bad header is accepted")
	}
}

func TestEDIDWithoutSerialText(t *testing.T) {
	b, _ := hex.DecodeString(dellEDID)
	// Replace the serial descriptor by a dummy (0x10) descriptor and fix the checksum.
	copy(b[72:90], []byte{0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	var sum byte
	for _, c := range b[:127] {
		sum += c
	}
	b[127] = -sum
	e, err := parseEDID(b)
	if err != nil {
		t.Fatal(err)
	}
	if m := e.monitor("HDMI-A-1"); m.Serial != "1278424624" || m.AltSerial != "" {
		t.Fatalf("numeric serial: %+v", m)
	}
}
