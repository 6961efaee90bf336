package mapping

import (
	"strings"
	"testing"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/tree"
)

func TestInt(t *testing.T) {
	for s, want := range map[string]int{
		"24105": 24105, " 7 ": 7, "1333 MHz": 1333, "1600 MT/s": 1600, "274877.906944": 274877,
		"-1 Mbps": -1, "4194MB": 4194, "1.5e3": 1500, "+3": 3, "0x10": 0,
	} {
		if got, ok := Int(s); !ok || got != want {
			t.Errorf("Int(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "abc", "-", ".", "1e400", "99999999999999999999999"} {
		if got, ok := Int(s); ok {
			t.Errorf("Int(%q) = %d, want no number", s, got)
		}
	}
	if Count("-5") != 0 || Count("x") != 0 || Count("12 GB") != 12 {
		t.Error("Count")
	}
}

func TestSpeedMbps(t *testing.T) {
	for s, want := range map[string]int{
		"100": 100, "1000 Mbps": 1000, "-1": 0, "-1 Mbps": 0, "0": 0, "": 0,
		"9223372036854.78": 0, "1073.741824": 1073, "10": 10,
	} {
		if got := SpeedMbps(s); got != want {
			t.Errorf("SpeedMbps(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestBool(t *testing.T) {
	for _, s := range []string{"1", "true", "TRUE", "yes", " on "} {
		if !Bool(s) {
			t.Errorf("Bool(%q) false", s)
		}
	}
	for _, s := range []string{"", "0", "false", "no", "2"} {
		if Bool(s) {
			t.Errorf("Bool(%q) true", s)
		}
	}
}

func TestMAC(t *testing.T) {
	for s, want := range map[string]string{
		"02:FC:00:00:00:01": "02:fc:00:00:00:01",
		"68-B5-99-E6-84-EB": "68:b5:99:e6:84:eb",
		"0017.f2d1.1432":    "00:17:f2:d1:14:32",
		"0017F2D11432":      "00:17:f2:d1:14:32",
		"00:00:00:00:00:00": "",
		"":                  "",
	} {
		if got, ok := MAC(s); !ok || got != want {
			t.Errorf("MAC(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
	for _, s := range []string{"b53d:dc:44:af:e9", "d5:c9:gh:81:cf:80", "02:00:00:00:00", "unknown ssid", "0017F2D114"} {
		if got, ok := MAC(s); ok {
			t.Errorf("MAC(%q) = %q, want refused", s, got)
		}
	}
}

func TestAddrAndPrefix(t *testing.T) {
	if a, ok := Addr(" fe80::1%en0 "); !ok || a.String() != "fe80::1" {
		t.Errorf("zone: %v %v", a, ok)
	}
	if a, ok := Addr("::ffff:10.0.0.1"); !ok || a.String() != "10.0.0.1" {
		t.Errorf("mapped: %v", a)
	}
	for _, s := range []string{"0.0.0.0", "::", ""} {
		if a, ok := Addr(s); !ok || a.IsValid() {
			t.Errorf("Addr(%q) = %v, %v; want no address, no error", s, a, ok)
		}
	}
	if _, ok := Addr("192.168.1.300"); ok {
		t.Error("bad address accepted")
	}
	for _, c := range []struct {
		mask string
		bits int
		want int
	}{
		{"255.255.255.0", 32, 24}, {"255.0.0.0", 32, 8}, {"255.255.255.255", 32, 32},
		{"255.255.0.255", 32, 0}, {"0.0.0.0", 32, 0}, {"24", 32, 24}, {"/64", 128, 64},
		{"ffff:ffff:ffff:ffff::", 128, 64}, {"fff0::", 128, 12}, {"255.255.255.0", 128, 0},
		{"33", 32, 0}, {"junk", 32, 0},
	} {
		if got := Prefix(c.mask, c.bits); got != c.want {
			t.Errorf("Prefix(%q, %d) = %d, want %d", c.mask, c.bits, got, c.want)
		}
	}
}

func TestDate(t *testing.T) {
	cases := []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2019-12-19", DayFirst, "2019-12-19"},
		{"2025/04/20 00:00:00", DayFirst, "2025-04-20"},
		{"2006-08-20 12:06", DayFirst, "2006-08-20"},
		{"2015-04-17T03:02:45Z", DayFirst, "2015-04-17"},
		{"08/06/2017", DayFirst, "2017-06-08"},   // FusionInventory: day first
		{"16/01/2017", DayFirst, "2017-01-16"},   // unambiguous either way
		{"07/25/2014", DayFirst, "2014-07-25"},   // day > 12: must be month first
		{"07/25/2014", MonthFirst, "2014-07-25"}, // BIOS date
		{"08/24/2010", MonthFirst, "2010-08-24"}, // BIOS date
		{"11/01/2007", MonthFirst, "2007-11-01"}, // battery date
		{"31.12.2008", DayFirst, "2008-12-31"},   // dotted
		{"20200131", DayFirst, "2020-01-31"},     // compact
		{"Thu Mar 14 15:05:41 2013", DayFirst, "2013-03-14"},
		{"01/01/1970", DayFirst, ""}, // the epoch: unknown
		{"N/A", DayFirst, ""},
		{"", DayFirst, ""},
	}
	for _, c := range cases {
		if got, ok := Date(c.in, c.order); !ok || got != c.want {
			t.Errorf("Date(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, s := range []string{"1970-00-01", "2022-21-09", "31/02/2020", "13/13/2020", "yesterday", "1/2/3", "12/05/1850"} {
		if got, ok := Date(s, DayFirst); ok {
			t.Errorf("Date(%q) = %q, want refused", s, got)
		}
	}
	if got, ok := DateTime("2026-11-23 22:54:25"); !ok || got != "2026-11-23 22:54:25" {
		t.Errorf("DateTime: %q %v", got, ok)
	}
	if got, ok := DateTime("16/01/2017 10:12"); !ok || got != "2017-01-16 10:12:00" {
		t.Errorf("DateTime d/m/y h:m: %q %v", got, ok)
	}
	if got, ok := DateTime("2023-56-29 06:56:38"); ok {
		t.Errorf("DateTime with minute as month: %q", got)
	}
}

func xmlContent(t *testing.T, sections string) *tree.Node {
	t.Helper()
	root, _, err := tree.ParseXML([]byte("<REQUEST><CONTENT>"+sections+"</CONTENT></REQUEST>"), inventory.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return root.Child("CONTENT")
}

func TestNetworksMerged(t *testing.T) {
	b := New(inventory.FormatFusion)
	b.Content(xmlContent(t, `
<NETWORKS><DESCRIPTION>eth0</DESCRIPTION><MACADDR>02:FC:00:00:00:01</MACADDR><IPADDRESS>192.0.2.2</IPADDRESS>
  <IPMASK>255.255.255.0</IPMASK><IPGATEWAY>192.0.2.1</IPGATEWAY><STATUS>Up</STATUS><SPEED>-1</SPEED></NETWORKS>
<NETWORKS><DESCRIPTION>eth0</DESCRIPTION><MACADDR>02:fc:00:00:00:01</MACADDR><IPADDRESS6>fe80::fc:ff:fe00:1</IPADDRESS6>
  <IPMASK6>ffff:ffff:ffff:ffff::</IPMASK6><TYPE>ethernet</TYPE></NETWORKS>
<NETWORKS><DESCRIPTION>eth0</DESCRIPTION><MACADDR>02:fc:00:00:00:01</MACADDR><IPADDRESS>192.0.2.2</IPADDRESS></NETWORKS>
<NETWORKS><DESCRIPTION>eth0</DESCRIPTION><MACADDR>02:fc:00:00:00:01</MACADDR><IPADDRESS>fd00::2</IPADDRESS>
  <IPGATEWAY>fe80::</IPGATEWAY><SPEED>1000 Mbps</SPEED></NETWORKS>
<NETWORKS><DESCRIPTION>lo0</DESCRIPTION><IPADDRESS>127.0.0.1</IPADDRESS></NETWORKS>
<NETWORKS><DESCRIPTION>rmnet</DESCRIPTION><IPADDRESS>0.0.0.0</IPADDRESS><IPGATEWAY>0.0.0.0</IPGATEWAY><MACADDR>zz</MACADDR></NETWORKS>
<NETWORKS><DESCRIPTION>bad</DESCRIPTION><IPADDRESS>300.1.1.1</IPADDRESS></NETWORKS>`))
	inv := b.Finish()
	if len(inv.Networks) != 4 {
		t.Fatalf("%d interfaces: %+v", len(inv.Networks), inv.Networks)
	}
	eth := inv.Networks[0]
	if eth.Name != "eth0" || eth.MAC != "02:fc:00:00:00:01" || eth.Type != "ethernet" || eth.Status != "up" ||
		eth.SpeedMbps != 1000 || eth.Gateway != "192.0.2.1" || eth.Gateway6 != "fe80::" {
		t.Errorf("eth0 %+v", eth)
	}
	if len(eth.IPv4) != 1 || eth.IPv4[0] != (inventory.IPAddress{Address: "192.0.2.2", Mask: "255.255.255.0", Prefix: 24}) {
		t.Errorf("eth0 IPv4 %+v", eth.IPv4)
	}
	if len(eth.IPv6) != 2 || eth.IPv6[0].Address != "fe80::fc:ff:fe00:1" || eth.IPv6[0].Prefix != 64 || eth.IPv6[1].Address != "fd00::2" {
		t.Errorf("eth0 IPv6 %+v", eth.IPv6)
	}
	if lo := inv.Networks[1]; lo.Type != "loopback" {
		t.Errorf("loopback inferred from 127.0.0.1: %+v", lo)
	}
	if rm := inv.Networks[2]; len(rm.IPv4) != 0 || rm.Gateway != "" || rm.MAC != "" {
		t.Errorf("0.0.0.0 means no address: %+v", rm)
	}
	if len(inv.Warnings) != 2 || !strings.Contains(inv.Warnings[0], `"zz" is not a MAC`) ||
		!strings.Contains(inv.Warnings[1], `"300.1.1.1" is not an IP`) {
		t.Errorf("warnings %q", inv.Warnings)
	}
}

func TestSectionsAndItems(t *testing.T) {
	b := New(inventory.FormatFusion)
	b.Content(xmlContent(t, `
<HARDWARE><NAME>pc</NAME><MEMORY>lots</MEMORY><LASTLOGGEDUSER>wtmp</LASTLOGGEDUSER></HARDWARE>
<HARDWARE><NAME>again</NAME></HARDWARE>
<MEMORIES><CAPACITY>8192</CAPACITY><SPEED>1600 MT/s</SPEED><SERIALNUMBER>23853943</SERIALNUMBER></MEMORIES>
<MEMORIES><CAPTION>Status: Empty</CAPTION><TYPE>Empty</TYPE><SERIALNUMBER>Empty</SERIALNUMBER></MEMORIES>
<SOFTWARES><VERSION>1</VERSION></SOFTWARES>
<SOFTWARES><NAME>p</NAME><PUBLISHER>https://example.org/</PUBLISHER><INSTALLDATE>1970-00-01</INSTALLDATE></SOFTWARES>
<BATTERIES><CAPACITY>43.7456 Wh</CAPACITY><VOLTAGE>8.614 V</VOLTAGE><DATE>10/11/2015</DATE></BATTERIES>
<BATTERIES><CAPACITY>5100 mWh</CAPACITY><VOLTAGE>10800</VOLTAGE></BATTERIES>
<VIRTUALMACHINES><NAME>w</NAME><MEMORY>4194MB</MEMORY><STATUS>Stopped</STATUS><VMTYPE>Hyper-V</VMTYPE></VIRTUALMACHINES>
<DRIVES><LETTER>C:</LETTER><TYPE>Local Disk</TYPE><SYSTEMDRIVE>1</SYSTEMDRIVE></DRIVES>
<DRIVES><LETTER>Réservé au système</LETTER><ENCRYPT_STATUS>Yes</ENCRYPT_STATUS><ENCRYPT_NAME>LUKS1</ENCRYPT_NAME><ENCRYPT_ALGO>aes</ENCRYPT_ALGO></DRIVES>
<LOCAL_GROUPS><NAME>g</NAME><MEMBER>a</MEMBER><MEMBER>b</MEMBER></LOCAL_GROUPS>
<USERS/>
<ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>T1</KEYVALUE></ACCOUNTINFO>
<VERSIONPROVIDER><NAME>FusionInventory</NAME><VERSION>2.6-3</VERSION></VERSIONPROVIDER>
<VERSIONCLIENT/>`))
	inv := b.Finish()
	want := []inventory.Section{"batteries", "drives", "hardware", "local_groups", "memories", "softwares", "users", "virtualmachines"}
	if strings.Join(sectionNames(inv.Sections), ",") != strings.Join(sectionNames(want), ",") {
		t.Errorf("sections %v, want %v", inv.Sections, want)
	}
	if inv.Hardware.Name != "pc" || inv.Hardware.MemoryMB != 0 || inv.Hardware.LastLoggedUser != "" {
		t.Errorf("hardware %+v", inv.Hardware)
	}
	if len(inv.Memories) != 1 || inv.Memories[0].SpeedMHz != 1600 {
		t.Errorf("memories (empty slot dropped) %+v", inv.Memories)
	}
	if len(inv.Softwares) != 1 || inv.Softwares[0].URL != "https://example.org/" || inv.Softwares[0].Publisher != "" {
		t.Errorf("softwares %+v", inv.Softwares)
	}
	if bt := inv.Batteries; bt[0].CapacityMWh != 43746 || bt[0].VoltageMV != 8614 || bt[0].Date != "2015-10-11" ||
		bt[1].CapacityMWh != 5100 || bt[1].VoltageMV != 10800 {
		t.Errorf("batteries %+v", bt)
	}
	if vm := inv.VirtualMachines[0]; vm.MemoryMB != 4194 || vm.Status != "off" || vm.VMType != "hyperv" {
		t.Errorf("vm %+v", vm)
	}
	if d := inv.Volumes; d[0].Letter != "C:" || d[0].Kind != "Local Disk" || !d[0].System || d[1].Letter != "" || d[1].Encryption != "LUKS1 aes" {
		t.Errorf("drives %+v", d)
	}
	if g := inv.LocalGroups[0]; strings.Join(g.Members, ",") != "a,b" {
		t.Errorf("group %+v", g)
	}
	if len(inv.Users) != 0 || inv.Tag != "T1" || inv.Agent != (inventory.Agent{Name: "FusionInventory", Version: "2.6-3"}) {
		t.Errorf("users %v tag %q agent %+v", inv.Users, inv.Tag, inv.Agent)
	}
	for _, w := range []string{`HARDWARE/MEMORY: "lots" is not a number`, `section HARDWARE is repeated`,
		`"wtmp" is not a user`, "an entry without a name", `"1970-00-01" is not a date`} {
		if !strings.Contains(strings.Join(inv.Warnings, "\n"), w) {
			t.Errorf("no warning %q in %q", w, inv.Warnings)
		}
	}
}

func TestIsUptime(t *testing.T) {
	for s, want := range map[string]bool{
		"x86_64/00-00-00 01:59:28": true, "x86_64/1529606993": true, "i386/46-08-06 06:55:16": true,
		"": false, "Poste de Marie": false, "HP/Compaq": false, "Salle 2/3": false, "x86_64/": false,
	} {
		if isUptime(s) != want {
			t.Errorf("isUptime(%q) = %v", s, !want)
		}
	}
}

func TestWarningsBounded(t *testing.T) {
	b := New(inventory.FormatFusion)
	for range maxWarnings + 7 {
		b.Warn("w")
	}
	inv := b.Finish()
	if len(inv.Warnings) != maxWarnings+1 || inv.Warnings[maxWarnings] != "7 more warnings left out" {
		t.Errorf("%d warnings, last %q", len(inv.Warnings), inv.Warnings[len(inv.Warnings)-1])
	}
}

func sectionNames(s []inventory.Section) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}
