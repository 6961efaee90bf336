package agent

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
)

// Two sockets of 2 cores with hyper-threading, as an x86 kernel prints them (abridged).
const cpuinfoX86 = `processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz
physical id	: 0
core id		: 0
cpu cores	: 2
cpu MHz		: 1200.000
flags		: fpu vme hypervisor

processor	: 1
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz
physical id	: 0
core id		: 1
cpu cores	: 2
cpu MHz		: 2400.000

processor	: 2
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz
physical id	: 0
core id		: 0
cpu cores	: 2

processor	: 3
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz
physical id	: 0
core id		: 1
cpu cores	: 2

processor	: 4
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz
physical id	: 1
core id		: 0
cpu cores	: 2

processor	: 5
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz
physical id	: 1
core id		: 1
cpu cores	: 2
`

// A Raspberry Pi 4 (4 Cortex-A72 cores): no model name, no physical id, and a board
// summary after the processors.
const cpuinfoARM = `processor	: 0
BogoMIPS	: 108.00
Features	: fp asimd evtstrm crc32 cpuid
CPU implementer	: 0x41
CPU architecture: 8
CPU variant	: 0x0
CPU part	: 0xd08
CPU revision	: 3

processor	: 1
CPU implementer	: 0x41
CPU part	: 0xd08

processor	: 2
CPU implementer	: 0x41
CPU part	: 0xd08

processor	: 3
CPU implementer	: 0x41
CPU part	: 0xd08

Hardware	: BCM2835
Revision	: c03114
Serial		: 10000000abcdef01
Model		: Raspberry Pi 4 Model B Rev 1.4
`

func TestParseCPUInfo(t *testing.T) {
	p := parseCPUInfo([]byte(cpuinfoX86))
	if len(p) != 6 || p[5].Package != "1" || p[5].Core != "1" || p[0].Cores != 2 || p[0].MHz != 1200 ||
		p[0].Model != "Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz" || p[0].Vendor != "GenuineIntel" {
		t.Fatalf("x86: %+v", p)
	}
	if !hypervisorFlag([]byte(cpuinfoX86)) || hypervisorFlag([]byte(cpuinfoARM)) {
		t.Fatal("hypervisor flag")
	}
	p = parseCPUInfo([]byte(cpuinfoARM))
	if len(p) != 4 || p[0].Model != "ARM Cortex-A72" || p[0].Vendor != "ARM" || p[3].Package != "" {
		t.Fatalf("arm: %+v", p)
	}
}

func TestParseMeminfoAndStat(t *testing.T) {
	mem, swap, err := parseMeminfo([]byte("MemTotal:       24683656 kB\nMemFree:        21642864 kB\nSwapTotal:       2097148 kB\n"))
	if err != nil || mem != 24105 || swap != 2047 {
		t.Fatalf("meminfo: %d %d %v", mem, swap, err)
	}
	if _, _, err := parseMeminfo([]byte("MemFree: 1 kB\n")); err == nil {
		t.Fatal("meminfo without MemTotal accepted")
	}
	bt, err := parseBootTime([]byte("cpu  1 2 3\nintr 5 6\nctxt 99\nbtime 1795775328\nprocesses 12\n"))
	if err != nil || !bt.Equal(time.Unix(1795775328, 0)) {
		t.Fatalf("btime: %v %v", bt, err)
	}
	if _, err := parseBootTime([]byte("cpu 1\n")); err == nil {
		t.Fatal("stat without btime accepted")
	}
}

func TestParseRoutes(t *testing.T) {
	route := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
		"wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n" +
		"eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
		"tun0\t00000000\t00000000\t0001\t0\t0\t50\t00000000\t0\t0\t0\n"
	per, best := bestRoute(parseRoutes([]byte(route)))
	if best != netip.MustParseAddr("192.0.2.1") || per["wlan0"] != netip.MustParseAddr("192.168.1.1") || len(per) != 2 {
		t.Fatalf("routes: %v %v", per, best)
	}
	route6 := "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n" +
		"fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n" +
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
	per6, _ := bestRoute(parseRoutes6([]byte(route6)))
	if len(per6) != 1 || per6["eth0"] != netip.MustParseAddr("fd00::1") {
		t.Fatalf("routes6: %v", per6)
	}
}

func TestParseMounts(t *testing.T) {
	m := parseMounts([]byte("/dev/vda / ext4 rw,relatime 0 0\n/dev/sdb1 /media/My\\040Disk vfat rw 0 0\nproc /proc proc rw 0 0\n"))
	want := []mount{{"/dev/vda", "/", "ext4", "rw,relatime"}, {"/dev/sdb1", "/media/My Disk", "vfat", "rw"}, {"proc", "/proc", "proc", "rw"}}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("%+v", m)
	}
	if !skipMountPoint("/proc/sys/fs/binfmt_misc") || !skipMountPoint("/run") || skipMountPoint("/running") || !skipMountPoint("/snap/core/1") || skipMountPoint("/home") {
		t.Fatal("skipMountPoint")
	}
}

func TestParsePasswdGroupResolv(t *testing.T) {
	users := parsePasswd([]byte("root:x:0:0:root:/root:/bin/bash\n# comment\nbad line\njdoe:x:1000:1000:John Doe,,,:/home/jdoe:/bin/zsh\n+@netgroup::::::\n"))
	if len(users) != 2 || users[1] != (passwdEntry{Login: "jdoe", Name: "John Doe", Home: "/home/jdoe", Shell: "/bin/zsh", UID: 1000, GID: 1000}) {
		t.Fatalf("passwd: %+v", users)
	}
	groups := parseGroup([]byte("sudo:x:27:jdoe,admin\njdoe:x:1000:\n"))
	if len(groups) != 2 || !reflect.DeepEqual(groups[0].Members, []string{"jdoe", "admin"}) || groups[1].GID != 1000 || groups[1].Members != nil {
		t.Fatalf("group: %+v", groups)
	}
	servers, domain := parseResolvConf([]byte("# generated\nnameserver 10.0.0.53\nnameserver 2001:db8::53\nsearch corp.example.org example.org\n"))
	if !reflect.DeepEqual(servers, []string{"10.0.0.53", "2001:db8::53"}) || domain != "corp.example.org" {
		t.Fatalf("resolv.conf: %v %q", servers, domain)
	}
}

func TestKeyValuesAndHosts(t *testing.T) {
	kv := keyValues([]byte("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME='Debian'\nVERSION_ID=12\n# c\nQUOTED=\"a \\\"b\\\"\"\n"))
	if kv["PRETTY_NAME"] != "Debian GNU/Linux 12 (bookworm)" || kv["NAME"] != "Debian" || kv["VERSION_ID"] != "12" || kv["QUOTED"] != `a "b"` {
		t.Fatalf("%v", kv)
	}
	hosts := []byte("127.0.0.1 localhost\n127.0.1.1 pc42.corp.example.org pc42 # the machine\n")
	if got := hostsFQDN(hosts, "pc42"); got != "pc42.corp.example.org" {
		t.Fatalf("fqdn %q", got)
	}
	if got := hostsFQDN(hosts, "other"); got != "other" {
		t.Fatalf("fqdn %q", got)
	}
}

func TestParseUtmp(t *testing.T) {
	rec := func(typ int16, user, line, host string, sec int32) []byte {
		r := make([]byte, utmpSize)
		r[0], r[1] = byte(typ), byte(typ>>8)
		copy(r[8:40], line)
		copy(r[44:76], user)
		copy(r[76:332], host)
		r[340], r[341], r[342], r[343] = byte(sec), byte(sec>>8), byte(sec>>16), byte(sec>>24)
		return r
	}
	var b []byte
	b = append(b, rec(2, "reboot", "~", "6.1.0", 1700000000)...)
	b = append(b, rec(7, "alice", "pts/0", "10.0.0.5", 1700000100)...)
	b = append(b, rec(7, "bob", "tty1", "", 1700000200)...)
	b = append(b, rec(8, "", "pts/0", "", 1700000300)...)
	recs := parseUtmp(b)
	if len(recs) != 2 || recs[0].User != "alice" || recs[0].Host != "10.0.0.5" || recs[1].Line != "tty1" {
		t.Fatalf("%+v", recs)
	}
	if last, ok := lastLogin(recs); !ok || last.User != "bob" || !last.Time.Equal(time.Unix(1700000200, 0)) {
		t.Fatalf("last %+v", last)
	}
}

func TestNormalMACAndPCISlot(t *testing.T) {
	if normalMAC("02:FC:00:00:00:01") != "02:fc:00:00:00:01" || normalMAC("00:00:00:00:00:00") != "" || normalMAC("") != "" ||
		normalMAC("80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:de") != "" {
		t.Fatal("normalMAC")
	}
	if s := pciSlotOf("/sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.0/net/enp2s0"); s != "02:00.0" {
		t.Fatalf("slot %q", s)
	}
	if s := pciSlotOf("/sys/devices/pci0001:00/0001:00:03.0/virtio2"); s != "0001:00:03.0" {
		t.Fatalf("slot %q", s)
	}
}
