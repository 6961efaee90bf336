package agent

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"parc/internal/inventory"
)

// detectVirtLinux tells what runs this Linux system: a container engine, a hypervisor,
// or nothing (""). systemd-detect-virt is asked first (it knows the most; containers
// win over the VM they run in, as other agents report); without it parc looks at the
// same facts itself. The BIOS, disks and PCI devices are searched afterwards by
// inventory.Virtualization (see collectLinux).
func (c *collector) detectVirtLinux() string {
	if out, err := c.run("systemd-detect-virt"); err == nil || len(out) > 0 {
		id := strings.TrimSpace(string(out))
		if id == "none" {
			return ""
		}
		if name, ok := systemdVirt[id]; ok {
			return name
		}
		if id != "" {
			return id
		}
	}
	switch {
	case exists(c.path(".dockerenv")):
		return "Docker"
	case exists(c.path("run/.containerenv")):
		return "Podman"
	}
	if cg := value(c.path("proc/1/cgroup")); cg != "" {
		switch {
		case strings.Contains(cg, "/docker"):
			return "Docker"
		case strings.Contains(cg, "/lxc"):
			return "LXC"
		}
	}
	if exists(c.path("proc/vz")) && !exists(c.path("proc/bc")) {
		return "Virtuozzo"
	}
	if strings.Contains(strings.ToLower(value(c.path("proc/sys/kernel/osrelease"))), "microsoft") {
		return "WSL"
	}
	if t := value(c.path("sys/hypervisor/type")); t == "xen" {
		return "Xen"
	}
	return ""
}

// hypervisorFlag reports whether /proc/cpuinfo shows the x86 "hypervisor" flag.
func hypervisorFlag(cpuinfo []byte) bool {
	for _, line := range strings.Split(string(cpuinfo), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "flags" {
			return strings.Contains(" "+v+" ", " hypervisor ")
		}
	}
	return false
}

// systemdVirt maps systemd-detect-virt's ids to the names agents report in VMSYSTEM.
var systemdVirt = map[string]string{
	"kvm": "KVM", "qemu": "QEMU", "bochs": "Bochs", "xen": "Xen", "uml": "UML",
	"vmware": "VMware", "oracle": "VirtualBox", "microsoft": "Hyper-V", "zvm": "z/VM",
	"parallels": "Parallels", "bhyve": "bhyve", "qnx": "QNX", "acrn": "ACRN",
	"powervm": "PowerVM", "apple": "Apple Virtualization", "sre": "SRE",
	"google": "Google Compute Engine", "amazon": "Amazon EC2", "openvz": "Virtuozzo",
	"lxc": "LXC", "lxc-libvirt": "libvirt-lxc", "systemd-nspawn": "systemd-nspawn",
	"docker": "Docker", "podman": "Podman", "rkt": "rkt", "wsl": "WSL", "proot": "proot",
	"pouch": "Pouch",
}

// avProduct is a security product parc recognises on Linux by its files and processes.
type avProduct struct {
	name, company string
	paths         []string // any of them present: installed
	processes     []string // any of them running: enabled
}

var linuxAV = []avProduct{
	{"Microsoft Defender for Endpoint", "Microsoft", []string{"opt/microsoft/mdatp"}, []string{"wdavdaemon"}},
	{"Sophos Protection for Linux", "Sophos", []string{"opt/sophos-spl"}, []string{"sophos_threat_d", "sophos_managem"}},
	{"ESET Endpoint Antivirus", "ESET", []string{"opt/eset/efs", "opt/eset/eea"}, []string{"startd", "oaeventd"}},
	{"CrowdStrike Falcon", "CrowdStrike", []string{"opt/CrowdStrike"}, []string{"falcon-sensor"}},
	{"Trend Micro Deep Security Agent", "Trend Micro", []string{"opt/ds_agent"}, []string{"ds_agent"}},
	{"SentinelOne", "SentinelOne", []string{"opt/sentinelone"}, []string{"s1-agent", "sentinelone-ag"}},
	{"Bitdefender Endpoint Security Tools", "Bitdefender", []string{"opt/bitdefender-security-tools"}, []string{"bdsecd", "bdedr"}},
	{"Kaspersky Endpoint Security", "Kaspersky", []string{"opt/kaspersky/kesl"}, []string{"kesl"}},
}

// processNames lists the command names (/proc/PID/comm, at most 15 characters) of the
// running processes.
func (c *collector) processNames() map[string]bool {
	names := map[string]bool{}
	dirs, _ := os.ReadDir(c.path("proc"))
	for _, d := range dirs {
		if n := d.Name(); n[0] >= '0' && n[0] <= '9' {
			if comm := value(c.path("proc", n, "comm")); comm != "" {
				names[comm] = true
			}
		}
	}
	return names
}

// readAntivirus detects ClamAV (with its version and signature database) and the
// commercial products of linuxAV. It is partial by nature: a product parc does not
// know is not reported.
func (c *collector) readAntivirus() []inventory.Antivirus {
	procs := c.processNames()
	var out []inventory.Antivirus
	clamPaths := []string{"usr/sbin/clamd", "usr/bin/clamscan", "usr/bin/clamdscan", "usr/local/sbin/clamd", "usr/local/bin/clamscan"}
	for _, p := range clamPaths {
		if !exists(c.path(p)) {
			continue
		}
		av := inventory.Antivirus{Name: "ClamAV", Company: "Cisco", Enabled: procs["clamd"]}
		if out, err := c.run(filepath.Base(p), "--version"); err == nil {
			av.Version, av.BaseVersion, av.UpToDate = parseClamVersion(string(out), c.now())
		}
		out = append(out, av)
		break
	}
	for _, p := range linuxAV {
		for _, path := range p.paths {
			if !exists(c.path(path)) {
				continue
			}
			av := inventory.Antivirus{Name: p.name, Company: p.company}
			for _, proc := range p.processes {
				av.Enabled = av.Enabled || procs[proc]
			}
			out = append(out, av)
			break
		}
	}
	return out
}

var clamVersion = regexp.MustCompile(`^ClamAV ([^/\s]+)(?:/(\d+)/(.+))?$`)

// parseClamVersion reads "ClamAV 1.0.7/27450/Tue Nov 26 09:33:01 2024": the engine
// version, the signature database version and its date; the database is up to date
// when less than 7 days old.
func parseClamVersion(s string, now time.Time) (version, base string, upToDate bool) {
	m := clamVersion.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", "", false
	}
	version, base = m[1], m[2]
	if t, err := time.Parse("Mon Jan _2 15:04:05 2006", strings.TrimSpace(m[3])); err == nil {
		upToDate = now.Sub(t) < 7*24*time.Hour
	}
	return version, base, upToDate
}

// virtualization finishes Hardware.VMSystem: the detected system, else what
// inventory.Virtualization reads from the BIOS, PCI devices, disks and drivers, else a
// generic "Virtual Machine" when the CPU says it runs under a hypervisor, else
// "Physical".
func virtualization(inv *inventory.Inventory, detected string, hypervisor bool) string {
	if detected != "" {
		return detected
	}
	if virtual, system := inv.Virtualization(); virtual {
		return system
	}
	if hypervisor {
		return "Virtual Machine"
	}
	return "Physical"
}
