package agent

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Parsers of /proc and /etc text formats. They take the file's contents so that tests
// feed them samples; the Linux collectors read the files under the collector's root.

// cpuProc is one logical processor of /proc/cpuinfo.
type cpuProc struct {
	Num      int    // "processor"
	Package  string // "physical id"; "" when the file has none (most non-x86)
	Core     string // "core id"
	Cores    int    // "cpu cores": cores of the package
	Model    string
	Vendor   string
	MHz      float64 // "cpu MHz": current speed on x86
	Implmntr string  // ARM "CPU implementer"
	Part     string  // ARM "CPU part"
}

// parseCPUInfo reads the processor blocks of /proc/cpuinfo. Blocks without a numeric
// "processor" (the board summary ARM kernels append) are skipped.
func parseCPUInfo(data []byte) []cpuProc {
	var procs []cpuProc
	for _, block := range strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n\n") {
		f := colonFields(block)
		num, err := strconv.Atoi(f["processor"])
		if err != nil {
			continue
		}
		p := cpuProc{
			Num:      num,
			Package:  f["physical id"],
			Core:     f["core id"],
			Vendor:   f["vendor_id"],
			Implmntr: f["CPU implementer"],
			Part:     f["CPU part"],
		}
		p.Cores, _ = strconv.Atoi(f["cpu cores"])
		p.MHz, _ = strconv.ParseFloat(f["cpu MHz"], 64)
		for _, k := range []string{"model name", "cpu model", "cpu", "Processor"} {
			if v := cleanString(f[k]); v != "" {
				p.Model = v
				break
			}
		}
		if p.Vendor == "" && p.Implmntr != "" {
			p.Vendor = armImplementers[strings.ToLower(p.Implmntr)]
		}
		if (p.Model == "" || strings.HasPrefix(p.Model, "ARMv")) && p.Part != "" {
			if name := armParts[strings.ToLower(p.Implmntr)+":"+strings.ToLower(p.Part)]; name != "" {
				p.Model = name
			}
		}
		procs = append(procs, p)
	}
	return procs
}

// armImplementers and armParts name the most common ARM cores (lscpu has the full
// tables); unknown ones keep what the kernel reports.
var armImplementers = map[string]string{
	"0x41": "ARM", "0x42": "Broadcom", "0x43": "Cavium", "0x48": "HiSilicon", "0x4e": "NVIDIA",
	"0x51": "Qualcomm", "0x53": "Samsung", "0x61": "Apple", "0x6d": "Microsoft", "0xc0": "Ampere",
}

var armParts = map[string]string{
	"0x41:0xd03": "ARM Cortex-A53", "0x41:0xd04": "ARM Cortex-A35", "0x41:0xd05": "ARM Cortex-A55",
	"0x41:0xd07": "ARM Cortex-A57", "0x41:0xd08": "ARM Cortex-A72", "0x41:0xd09": "ARM Cortex-A73",
	"0x41:0xd0a": "ARM Cortex-A75", "0x41:0xd0b": "ARM Cortex-A76", "0x41:0xd0c": "ARM Neoverse-N1",
	"0x41:0xd0d": "ARM Cortex-A77", "0x41:0xd40": "ARM Neoverse-V1", "0x41:0xd41": "ARM Cortex-A78",
	"0x41:0xd44": "ARM Cortex-X1", "0x41:0xd49": "ARM Neoverse-N2", "0x41:0xd4f": "ARM Neoverse-V2",
	"0xc0:0xac3": "Ampere-1", "0x48:0xd01": "HiSilicon Kunpeng-920",
}

// cpuVendor turns a CPUID vendor string into a manufacturer's name.
func cpuVendor(v string) string {
	switch v {
	case "GenuineIntel":
		return "Intel"
	case "AuthenticAMD":
		return "AMD"
	case "HygonGenuine":
		return "Hygon"
	case "CentaurHauls":
		return "Centaur"
	case "  Shanghai  ", "Shanghai":
		return "Zhaoxin"
	}
	return v
}

// meminfo returns MemTotal and SwapTotal of /proc/meminfo in MiB.
func parseMeminfo(data []byte) (memMB, swapMB int, err error) {
	f := colonFields(string(data))
	kb := func(k string) (int, bool) {
		v, ok := strings.CutSuffix(f[k], " kB")
		if !ok {
			return 0, false
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		return n, err == nil
	}
	mem, ok := kb("MemTotal")
	if !ok {
		return 0, 0, errors.New("no MemTotal in meminfo")
	}
	swap, _ := kb("SwapTotal")
	return mem / 1024, swap / 1024, nil
}

// parseBootTime reads btime (seconds since the epoch) from /proc/stat.
func parseBootTime(data []byte) (time.Time, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "btime "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil || n <= 0 {
				return time.Time{}, fmt.Errorf("bad btime %q", v)
			}
			return time.Unix(n, 0), nil
		}
	}
	return time.Time{}, errors.New("no btime in /proc/stat")
}

// route is a default route.
type route struct {
	Iface   string
	Gateway netip.Addr
	Metric  int64
}

// parseRoutes reads the IPv4 default routes of /proc/net/route (hexadecimal, host
// byte order: little-endian on every architecture Linux runs parc on).
func parseRoutes(data []byte) []route {
	var routes []route
	lines := strings.Split(string(data), "\n")
	for _, line := range lines[min(1, len(lines)):] {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		dest, err1 := strconv.ParseUint(f[1], 16, 32)
		gw, err2 := strconv.ParseUint(f[2], 16, 32)
		flags, err3 := strconv.ParseUint(f[3], 16, 32)
		metric, err4 := strconv.ParseInt(f[6], 10, 64)
		mask, err5 := strconv.ParseUint(f[7], 16, 32)
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			continue
		}
		const rtfUp, rtfGateway = 0x1, 0x2
		if dest != 0 || mask != 0 || flags&rtfUp == 0 || flags&rtfGateway == 0 || gw == 0 {
			continue
		}
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(gw))
		routes = append(routes, route{Iface: f[0], Gateway: netip.AddrFrom4(b), Metric: metric})
	}
	return routes
}

// parseRoutes6 reads the IPv6 default routes of /proc/net/ipv6_route.
func parseRoutes6(data []byte) []route {
	var routes []route
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 10 || f[1] != "00" || strings.Trim(f[0], "0") != "" {
			continue
		}
		flags, err := strconv.ParseUint(f[8], 16, 32)
		if err != nil || flags&0x2 == 0 || flags&0x1 == 0 {
			continue
		}
		nh, err := hex.DecodeString(f[4])
		if err != nil || len(nh) != 16 {
			continue
		}
		metric, _ := strconv.ParseInt(f[5], 16, 64)
		a := netip.AddrFrom16([16]byte(nh))
		if a.IsUnspecified() {
			continue
		}
		routes = append(routes, route{Iface: f[9], Gateway: a, Metric: metric})
	}
	return routes
}

// bestRoute returns, per interface, the default gateway with the lowest metric, and
// the lowest-metric gateway overall.
func bestRoute(routes []route) (map[string]netip.Addr, netip.Addr) {
	per := map[string]route{}
	var best route
	for _, r := range routes {
		if cur, ok := per[r.Iface]; !ok || r.Metric < cur.Metric {
			per[r.Iface] = r
		}
		if !best.Gateway.IsValid() || r.Metric < best.Metric {
			best = r
		}
	}
	out := make(map[string]netip.Addr, len(per))
	for k, r := range per {
		out[k] = r.Gateway
	}
	return out, best.Gateway
}

// mount is one line of /proc/self/mounts.
type mount struct {
	Device, Point, FSType, Options string
}

// parseMounts reads /proc/self/mounts (octal escapes for blanks in names).
func parseMounts(data []byte) []mount {
	var ms []mount
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		ms = append(ms, mount{unescapeMount(f[0]), unescapeMount(f[1]), f[2], f[3]})
	}
	return ms
}

func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// passwdEntry is one line of /etc/passwd.
type passwdEntry struct {
	Login, Name, Home, Shell string
	UID, GID                 int
}

func parsePasswd(data []byte) []passwdEntry {
	var out []passwdEntry
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 7 || f[0] == "" || strings.HasPrefix(f[0], "#") || strings.HasPrefix(f[0], "+") || strings.HasPrefix(f[0], "-") {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		name, _, _ := strings.Cut(f[4], ",") // GECOS: full name, room, phones...
		out = append(out, passwdEntry{Login: f[0], Name: name, UID: uid, GID: gid, Home: f[5], Shell: f[6]})
	}
	return out
}

// groupEntry is one line of /etc/group.
type groupEntry struct {
	Name    string
	GID     int
	Members []string
}

func parseGroup(data []byte) []groupEntry {
	var out []groupEntry
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 4 || f[0] == "" || strings.HasPrefix(f[0], "#") || strings.HasPrefix(f[0], "+") {
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		g := groupEntry{Name: f[0], GID: gid}
		for _, m := range strings.Split(strings.TrimSpace(f[3]), ",") {
			if m = strings.TrimSpace(m); m != "" {
				g.Members = append(g.Members, m)
			}
		}
		out = append(out, g)
	}
	return out
}

// parseResolvConf returns the name servers and the search domain of /etc/resolv.conf.
func parseResolvConf(data []byte) (servers []string, domain string) {
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			servers = append(servers, f[1])
		case "domain":
			domain = f[1]
		case "search":
			if domain == "" {
				domain = f[1]
			}
		}
	}
	return servers, domain
}
