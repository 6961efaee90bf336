package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"parc/internal/inventory"
)

// collectLinux is the Linux collector. It reads files under the collector's root and
// makes the few live calls (uname, statfs, statx, interface addresses, commands) only
// when the root is "/", so that the whole of it runs on fake trees in tests.
func collectLinux(c *collector) {
	inv := c.inv
	cpuinfo, _ := readFile(c.path("proc/cpuinfo"))
	arch := c.linuxArch()
	c.linuxNames()

	c.section(inventory.SectionOS, func() error { return c.linuxOS(arch) })

	// BIOS, system identity and memory modules: /sys/class/dmi/id (most files readable
	// by all), else the raw SMBIOS table (root only), which alone lists the modules.
	table, tableErr := c.readSMBIOSTable()
	c.section(inventory.SectionBIOS, func() error {
		d, err := c.readDMIID()
		if errors.Is(err, errSkip) && tableErr == nil {
			inv.BIOS, inv.Hardware.UUID, inv.Hardware.ChassisType = table.BIOS, table.UUID, table.Chassis
			return nil
		}
		if err != nil {
			return err
		}
		inv.BIOS, inv.Hardware.UUID, inv.Hardware.ChassisType = d.BIOS, d.UUID, d.Chassis
		if tableErr == nil {
			// Root reads both: the table fills what the kernel left out.
			fillEmpty(&inv.BIOS.SystemSerial, table.BIOS.SystemSerial)
			fillEmpty(&inv.BIOS.BoardSerial, table.BIOS.BoardSerial)
			fillEmpty(&inv.Hardware.UUID, table.UUID)
		}
		return nil
	})
	c.section(inventory.SectionMemories, func() error {
		if tableErr != nil {
			return tableErr
		}
		if table.MemoryArrays == 0 {
			return errSkip // the table describes no physical memory (some hypervisors)
		}
		inv.Memories = table.Memories
		return nil
	})

	c.section(inventory.SectionCPUs, func() error {
		cpus, err := c.readCPUs(arch)
		inv.CPUs = cpus
		return err
	})

	pciDevs, pciErr := c.readPCI()
	var wanted []string
	for _, d := range pciDevs {
		wanted = append(wanted, d.Vendor+":"+d.Device)
	}
	names := loadPCINames(c.root, wanted)
	c.section(inventory.SectionControllers, func() error {
		if pciErr != nil {
			return pciErr
		}
		inv.Controllers, inv.Videos = pciControllers(pciDevs, names)
		return nil
	})
	c.section(inventory.SectionVideos, func() error { return pciErr })

	c.section(inventory.SectionStorages, func() error {
		s, err := c.readStorages(names)
		inv.Storages = s
		return err
	})
	c.section(inventory.SectionVolumes, c.linuxVolumes)

	routes, _ := readFile(c.path("proc/net/route"))
	routes6, _ := readFile(c.path("proc/net/ipv6_route"))
	gw4, defGW := bestRoute(parseRoutes(routes))
	gw6, _ := bestRoute(parseRoutes6(routes6))
	if defGW.IsValid() {
		inv.Hardware.DefaultGateway = defGW.String()
	}
	c.section(inventory.SectionNetworks, func() error {
		n, err := c.readNetworks(gw4, gw6)
		inv.Networks = n
		return err
	})

	if !c.opts.NoSoftware {
		c.section(inventory.SectionSoftwares, c.linuxSoftware)
	}
	c.section(inventory.SectionUsers, c.linuxUsers)
	c.section(inventory.SectionLocalUsers, c.linuxLocalUsers)
	c.section(inventory.SectionLocalGroups, c.linuxLocalGroups)
	c.section(inventory.SectionMonitors, func() error {
		m, err := c.readMonitors()
		inv.Monitors = m
		return err
	})
	c.section(inventory.SectionBatteries, func() error {
		b, err := c.readBatteries()
		inv.Batteries = b
		return err
	})
	c.section(inventory.SectionAntivirus, func() error {
		inv.Antivirus = c.readAntivirus()
		return nil
	})

	c.section(inventory.SectionHardware, func() error {
		if inv.Hardware.Name == "" {
			return errors.New("no hostname")
		}
		meminfo, err := readFile(c.path("proc/meminfo"))
		if err == nil {
			inv.Hardware.MemoryMB, inv.Hardware.SwapMB, err = parseMeminfo(meminfo)
		}
		if err != nil {
			c.warn("hardware: memory: %v", err)
		}
		if data, err := readFile(c.path("etc/resolv.conf")); err == nil {
			servers, _ := parseResolvConf(data)
			inv.Hardware.DNS = strings.Join(servers, "/")
		}
		inv.Hardware.VMSystem = virtualization(inv, c.detectVirtLinux(), hypervisorFlag(cpuinfo))
		return nil
	})
	c.sortWarnings()
}

func fillEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// linuxArch is the machine's architecture as uname reports it ("x86_64", "aarch64").
func (c *collector) linuxArch() string {
	if a := value(c.path("proc/sys/kernel/arch")); a != "" {
		return a
	}
	if c.live {
		if m, _, err := uname(); err == nil && m != "" {
			return m
		}
	}
	return goarchToUname(runtime.GOARCH)
}

func goarchToUname(a string) string {
	switch a {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	case "arm":
		return "armv7l"
	}
	return a
}

// linuxNames sets the host name (short), the FQDN and the DNS domain. The FQDN is the
// host name when it has dots, else the canonical name /etc/hosts gives it (what
// `hostname -f` finds on most machines); no DNS query is made.
func (c *collector) linuxNames() {
	host := value(c.path("proc/sys/kernel/hostname"))
	if host == "" && c.live {
		host, _ = os.Hostname()
	}
	if host == "" {
		host = value(c.path("etc/hostname"))
	}
	fqdn := host
	if !strings.Contains(host, ".") {
		if data, err := readFile(c.path("etc/hosts")); err == nil {
			fqdn = hostsFQDN(data, host)
		}
	}
	short, domain, _ := strings.Cut(fqdn, ".")
	if short == "" {
		short = host
	}
	c.inv.Hardware.Name = short
	c.inv.OS.FQDN = fqdn
	c.inv.OS.DNSDomain = domain
}

// hostsFQDN returns the canonical name of host in an /etc/hosts file when it is host
// followed by a domain, else host.
func hostsFQDN(data []byte, host string) string {
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 || !slices.Contains(f[1:], host) {
			continue
		}
		if strings.HasPrefix(f[1], host+".") {
			return f[1]
		}
	}
	return host
}

// linuxOS reads os-release, the kernel, the boot time, the time zone and the install
// date.
func (c *collector) linuxOS(arch string) error {
	o := &c.inv.OS
	var rel map[string]string
	for _, p := range []string{"etc/os-release", "usr/lib/os-release"} {
		if data, err := readFile(c.path(p)); err == nil {
			rel = keyValues(data)
			break
		}
	}
	if rel == nil {
		return errors.New("no /etc/os-release")
	}
	o.Name = rel["NAME"]
	o.Version = rel["VERSION_ID"]
	o.FullName = rel["PRETTY_NAME"]
	if o.FullName == "" {
		o.FullName = strings.TrimSpace(o.Name + " " + rel["VERSION"])
	}
	if rel["ID"] == "debian" {
		// Debian's point release ("12.11") is only in /etc/debian_version.
		if v := value(c.path("etc/debian_version")); v != "" && v[0] >= '0' && v[0] <= '9' {
			o.Version = v
		}
	}
	o.KernelName = "linux"
	o.Kernel = value(c.path("proc/sys/kernel/osrelease"))
	if o.Kernel == "" && c.live {
		_, o.Kernel, _ = uname()
	}
	o.Arch = arch
	if data, err := readFile(c.path("proc/stat")); err == nil {
		if bt, err := parseBootTime(data); err == nil {
			o.BootTime = dateTime(bt)
		}
	}
	o.TimezoneName = c.timezone()
	o.TimezoneOffset = c.now().Format("-0700")
	if t, ok := c.installDate(); ok {
		o.InstallDate = date(t)
	}
	return nil
}

// timezone returns the IANA name of the system time zone: /etc/timezone (Debian), else
// the target of the /etc/localtime link.
func (c *collector) timezone() string {
	if tz := value(c.path("etc/timezone")); tz != "" {
		return tz
	}
	if link, err := os.Readlink(c.path("etc/localtime")); err == nil {
		if _, name, ok := strings.Cut(link, "zoneinfo/"); ok {
			return name
		}
	}
	return ""
}

// installDate estimates when the system was installed: the oldest of the Debian and
// Ubuntu installer's log directory (/var/log/installer), the Red Hat installer's
// kickstart (/root/anaconda-ks.cfg), /etc/machine-id (written at first boot) and the
// creation (birth) time of the root file system's top directory. Times before 2000 or
// in the future are ignored (images built with a zero or fixed clock).
func (c *collector) installDate() (time.Time, bool) {
	var candidates []time.Time
	for _, p := range []string{"var/log/installer", "root/anaconda-ks.cfg", "etc/machine-id"} {
		if fi, err := os.Stat(c.path(p)); err == nil {
			candidates = append(candidates, fi.ModTime())
		}
	}
	if t, ok := birthTime(c.path()); ok {
		candidates = append(candidates, t)
	}
	floor := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	var best time.Time
	for _, t := range candidates {
		if t.Before(floor) || t.After(c.now().Add(24*time.Hour)) {
			continue
		}
		if best.IsZero() || t.Before(best) {
			best = t
		}
	}
	return best, !best.IsZero()
}

// pseudoFS are file system types that hold no user data: never reported as drives.
var pseudoFS = map[string]bool{
	"proc": true, "sysfs": true, "devtmpfs": true, "devpts": true, "tmpfs": true, "cgroup": true,
	"cgroup2": true, "securityfs": true, "pstore": true, "debugfs": true, "tracefs": true,
	"configfs": true, "fusectl": true, "mqueue": true, "hugetlbfs": true, "bpf": true,
	"autofs": true, "binfmt_misc": true, "rpc_pipefs": true, "nsfs": true, "efivarfs": true,
	"selinuxfs": true, "ramfs": true, "squashfs": true, "rootfs": true, "nfsd": true,
	"devfs": true, "fuse.gvfsd-fuse": true, "fuse.portal": true, "fuse.lxcfs": true,
	"fuse.snapfuse": true, "fuse.xdg-document-portal": true, "none": true, "shm": true,
	"overlay": true, "aufs": true, "zramfs": true, "functionfs": true,
}

// networkFS are the remote file systems, reported as network drives.
var networkFS = map[string]bool{
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "smbfs": true, "fuse.sshfs": true,
	"ceph": true, "glusterfs": true, "fuse.glusterfs": true, "9p": true, "virtiofs": true,
	"davfs": true, "afs": true,
}

// linuxVolumes lists the mounted file systems of /proc/self/mounts with their size and
// free space (statfs; free is what an unprivileged user may use, as df shows).
// Pseudo file systems are left out, as are container layers (overlay) other than the
// root, and each device is listed once, at its shortest mount point (bind mounts and
// btrfs subvolumes repeat it). statfs is given 5 seconds per mount: a hung network
// mount is left out with a warning instead of blocking the inventory.
func (c *collector) linuxVolumes() error {
	data, err := readFile(c.path("proc/self/mounts"))
	if err != nil {
		return err
	}
	labels := c.diskLinks("dev/disk/by-label")
	uuids := c.diskLinks("dev/disk/by-uuid")
	byDevice := map[string]inventory.Volume{}
	var order []string
	for _, m := range parseMounts(data) {
		containerRoot := m.FSType == "overlay" && m.Point == "/"
		if !containerRoot && (pseudoFS[m.FSType] || skipMountPoint(m.Point)) {
			continue
		}
		v := inventory.Volume{Device: m.Device, Mount: m.Point, FSType: m.FSType, System: m.Point == "/"}
		if networkFS[m.FSType] {
			v.Kind = "Network Drive"
		}
		key := m.Device
		if !strings.HasPrefix(key, "/") && !networkFS[m.FSType] {
			key = m.Device + "\x00" + m.Point // "none", "zfs pool/dataset"...: keep each
		}
		if cur, ok := byDevice[key]; ok && len(cur.Mount) <= len(m.Point) {
			continue
		} else if !ok {
			order = append(order, key)
		}
		byDevice[key] = v
	}
	var out []inventory.Volume
	for _, k := range order {
		v := byDevice[k]
		u, err := statfsTimeout(c.path(v.Mount), 5*time.Second)
		if err != nil {
			c.warn("drives: %s: %v", v.Mount, err)
			continue
		}
		v.TotalMB, v.FreeMB = u.TotalMB, u.FreeMB
		if real, err := filepath.EvalSymlinks(c.path(v.Device)); err == nil && strings.HasPrefix(v.Device, "/dev/") {
			v.Label, v.Serial = labels[real], uuids[real]
			v.Encryption = c.encryption(filepath.Base(real))
		}
		out = append(out, v)
	}
	c.inv.Volumes = out
	return nil
}

func skipMountPoint(p string) bool {
	for _, prefix := range []string{"/proc", "/sys", "/dev", "/run", "/snap/", "/var/lib/docker/", "/var/lib/containers/", "/var/snap/"} {
		if p == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(p, strings.TrimSuffix(prefix, "/")+"/") {
			return true
		}
	}
	return false
}

// diskLinks maps the resolved device of each link of a /dev/disk directory to the
// link's name (a label or a file system UUID).
func (c *collector) diskLinks(dir string) map[string]string {
	out := map[string]string{}
	entries, _ := os.ReadDir(c.path(dir))
	for _, e := range entries {
		if real, err := filepath.EvalSymlinks(c.path(dir, e.Name())); err == nil {
			out[real] = unescapeUdev(e.Name())
		}
	}
	return out
}

// unescapeUdev decodes udev's \x2f escapes in /dev/disk link names.
func unescapeUdev(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			var n byte
			if _, err := fmt.Sscanf(s[i+2:i+4], "%02x", &n); err == nil {
				b.WriteByte(n)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// encryption tells whether a block device is (or sits on) a dm-crypt mapping: "LUKS1",
// "LUKS2" or "dm-crypt", following device-mapper slaves (LVM on LUKS).
func (c *collector) encryption(dev string) string {
	for depth := 0; depth < 8 && dev != ""; depth++ {
		base := c.path("sys/class/block", dev)
		uuid := value(filepath.Join(base, "dm", "uuid"))
		if rest, ok := strings.CutPrefix(uuid, "CRYPT-"); ok {
			kind, _, _ := strings.Cut(rest, "-")
			if strings.HasPrefix(kind, "LUKS") {
				return kind
			}
			return "dm-crypt"
		}
		slaves, _ := os.ReadDir(filepath.Join(base, "slaves"))
		if len(slaves) == 0 {
			return ""
		}
		dev = slaves[0].Name()
	}
	return ""
}

// statfsTimeout runs statfs with a time limit (network file systems can hang).
func statfsTimeout(path string, d time.Duration) (fsUsage, error) {
	type result struct {
		u   fsUsage
		err error
	}
	ch := make(chan result, 1)
	go func() {
		u, err := statfs(path)
		ch <- result{u, err}
	}()
	select {
	case r := <-ch:
		return r.u, r.err
	case <-time.After(d):
		return fsUsage{}, fmt.Errorf("statfs gave no answer after %s", d)
	}
}

// fsUsage is the size and free space of a file system, in MiB.
type fsUsage struct{ TotalMB, FreeMB int }

// linuxSoftware reads every package database present: dpkg and apk files, pacman's
// local database, and rpm, flatpak and snap through their commands. The section is
// reported only when each database present was read: a database that failed would
// otherwise make its packages look uninstalled.
func (c *collector) linuxSoftware() error {
	var list []inventory.Software
	read := 0
	if exists(c.path("var/lib/dpkg/status")) {
		s, err := readDpkg(c.root)
		if err != nil {
			return fmt.Errorf("dpkg: %w", err)
		}
		list, read = append(list, s...), read+1
	}
	if exists(c.path("lib/apk/db/installed")) {
		data, err := readFile(c.path("lib/apk/db/installed"))
		if err != nil {
			return fmt.Errorf("apk: %w", err)
		}
		list, read = append(list, parseAPK(data)...), read+1
	}
	if exists(c.path("var/lib/pacman/local")) {
		s, err := readPacman(c.path("var/lib/pacman/local"))
		if err != nil {
			return fmt.Errorf("pacman: %w", err)
		}
		list, read = append(list, s...), read+1
	}
	if _, ok := c.commandPath("rpm"); ok && (exists(c.path("var/lib/rpm")) || exists(c.path("usr/lib/sysimage/rpm"))) {
		out, err := c.run("rpm", "-qa", "--queryformat", rpmQueryFormat)
		if err != nil {
			return err
		}
		list, read = append(list, parseRPM(out)...), read+1
	}
	if _, ok := c.commandPath("flatpak"); ok {
		out, err := c.run("flatpak", "list", "--app", "--columns="+flatpakColumns)
		if err != nil {
			return err
		}
		list, read = append(list, parseFlatpak(out)...), read+1
	}
	if _, ok := c.commandPath("snap"); ok && exists(c.path("var/lib/snapd/state.json")) {
		out, err := c.run("snap", "list")
		if err != nil && !strings.Contains(string(out), "No snaps") {
			return err
		}
		list, read = append(list, parseSnap(out)...), read+1
	}
	if read == 0 {
		return errors.New("no package database parc can read (dpkg, rpm, apk, pacman, flatpak, snap)")
	}
	c.inv.Softwares = list
	return nil
}

// linuxUsers lists the users logged on now, from utmp (what `who` reads), and sets the
// last logged user from the end of wtmp (what `last` reads).
func (c *collector) linuxUsers() error {
	if b, err := readUtmpTail(c.path("var/log/wtmp"), 4<<20); err == nil {
		if r, ok := lastLogin(parseUtmp(b)); ok {
			c.inv.Hardware.LastLoggedUser = r.User
		}
	}
	var data []byte
	var err error
	for _, p := range []string{"run/utmp", "var/run/utmp"} {
		if data, err = readFile(c.path(p)); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return errSkip // no utmp (containers, minimal systems): nobody to tell
	}
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, r := range parseUtmp(data) {
		if !seen[r.User] {
			seen[r.User] = true
			c.inv.Users = append(c.inv.Users, inventory.User{Login: r.User})
		}
	}
	return nil
}

// linuxLocalUsers lists root and the accounts of people (UID 1000 and above, without
// nobody) of /etc/passwd; system accounts are left out.
func (c *collector) linuxLocalUsers() error {
	data, err := readFile(c.path("etc/passwd"))
	if err != nil {
		return err
	}
	for _, u := range parsePasswd(data) {
		if u.UID != 0 && (u.UID < 1000 || u.UID == 65534) {
			continue
		}
		c.inv.LocalUsers = append(c.inv.LocalUsers, inventory.LocalUser{
			Login: u.Login, Name: u.Name, ID: fmt.Sprint(u.UID), Home: u.Home, Shell: u.Shell,
		})
	}
	return nil
}

// linuxLocalGroups lists the groups of /etc/group that have members (sudo, adm...) and
// the groups of people (GID 1000 and above, without nogroup).
func (c *collector) linuxLocalGroups() error {
	data, err := readFile(c.path("etc/group"))
	if err != nil {
		return err
	}
	for _, g := range parseGroup(data) {
		if len(g.Members) == 0 && (g.GID < 1000 || g.GID == 65534) {
			continue
		}
		c.inv.LocalGroups = append(c.inv.LocalGroups, inventory.LocalGroup{Name: g.Name, ID: fmt.Sprint(g.GID), Members: g.Members})
	}
	return nil
}
