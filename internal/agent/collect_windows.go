//go:build windows

package agent

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"parc/internal/inventory"
)

// collectPlatform is the Windows collector: names and network interfaces from the
// standard library; hardware, OS, disks, volumes, users, monitors, batteries and the
// Security Center's antivirus from WMI through one PowerShell run (see cimScript);
// the OS release and the installed programs from the registry.
func collectPlatform(c *collector) {
	inv := c.inv
	c.genericNames()
	inv.OS.Arch = windowsArch()
	c.section(inventory.SectionNetworks, c.genericNetworks)

	// PowerShell starts slowly and WMI can take tens of seconds on a busy machine.
	out, err := c.runCommandTimeout(max(2*time.Minute, c.opts.CommandTimeout), "powershell.exe",
		"-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
		"-EncodedCommand", base64.StdEncoding.EncodeToString(encodePowerShell(cimScript)))
	if err == nil {
		var d *cimData
		if d, err = parseCIM(out); err == nil {
			applyCIM(c, d, os.Getenv("SystemDrive"))
		}
	}
	if err != nil {
		c.warn("wmi: %v: hardware, disks and OS details not reported", err)
	}
	c.windowsRelease()
	if !c.opts.NoSoftware {
		c.section(inventory.SectionSoftwares, c.windowsSoftware)
	}
	c.section(inventory.SectionHardware, func() error {
		if inv.Hardware.Name == "" {
			return errors.New("no hostname")
		}
		inv.Hardware.VMSystem = virtualization(inv, "", false)
		return nil
	})
	c.sortWarnings()
}

// windowsArch reads the processor architecture of the OS (not of this process, which
// may run under WOW64 emulation).
func windowsArch() string {
	a := os.Getenv("PROCESSOR_ARCHITEW6432")
	if a == "" {
		a = os.Getenv("PROCESSOR_ARCHITECTURE")
	}
	switch strings.ToUpper(a) {
	case "AMD64":
		return "x86_64"
	case "ARM64":
		return "aarch64"
	case "X86":
		return "i686"
	}
	return goarchToUname(a)
}

// windowsRelease completes the OS from HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion:
// the release ("23H2") and the build with its update revision; it also gives the OS
// section when WMI could not be read.
func (c *collector) windowsRelease() {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err != nil {
		c.warn("operatingsystem: registry: %v", err)
		return
	}
	defer k.Close()
	str := func(name string) string { s, _, _ := k.GetStringValue(name); return s }
	num := func(name string) uint64 { n, _, _ := k.GetIntegerValue(name); return n }
	o := &c.inv.OS
	if v := str("DisplayVersion"); v != "" {
		o.Version = v
	} else if v := str("ReleaseId"); v != "" {
		o.Version = v
	}
	build := str("CurrentBuild")
	if major := num("CurrentMajorVersionNumber"); major > 0 && build != "" {
		o.Kernel = fmt.Sprintf("%d.%d.%s", major, num("CurrentMinorVersionNumber"), build)
		if ubr := num("UBR"); ubr > 0 {
			o.Kernel += "." + strconv.FormatUint(ubr, 10)
		}
	}
	if o.FullName == "" {
		// The registry still says "Windows 10" on Windows 11 (build 22000 and later).
		name := str("ProductName")
		if b, _ := strconv.Atoi(build); b >= 22000 {
			name = strings.Replace(name, "Windows 10", "Windows 11", 1)
		}
		o.Name, o.FullName, o.KernelName = "Windows", "Microsoft "+strings.TrimPrefix(name, "Microsoft "), "MSWin32"
		if t := num("InstallDate"); t > 0 {
			o.InstallDate = date(time.Unix(int64(t), 0))
		}
		boot := c.now().Add(-windows.DurationSinceBoot())
		o.BootTime = dateTime(boot.Truncate(time.Second))
		c.inv.MarkPresent(inventory.SectionOS)
	}
	o.TimezoneOffset = c.now().Format("-0700")
	o.TimezoneName, _ = c.now().Zone()
}

var guidKey = regexp.MustCompile(`^\{[0-9A-Fa-f-]{36}\}$`)

// windowsSoftware lists the programs of the Uninstall keys of HKLM, in the 64-bit and
// the 32-bit views, as Programs and Features shows them: system components and updates
// (entries with a parent) are left out.
func (c *collector) windowsSoftware() error {
	views := []struct {
		access uint32
		arch   string
	}{{registry.WOW64_64KEY, "x86_64"}, {registry.WOW64_32KEY, "i686"}}
	if windowsArch() != "x86_64" && windowsArch() != "aarch64" {
		views = views[1:]
	}
	seen := map[string]bool{}
	read := 0
	for _, v := range views {
		root, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`, registry.ENUMERATE_SUB_KEYS|v.access)
		if err != nil {
			continue
		}
		names, err := root.ReadSubKeyNames(-1)
		root.Close()
		if err != nil {
			return fmt.Errorf("registry: %w", err)
		}
		read++
		for _, name := range names {
			k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\`+name, registry.QUERY_VALUE|v.access)
			if err != nil {
				continue
			}
			str := func(n string) string { s, _, _ := k.GetStringValue(n); return strings.TrimSpace(s) }
			sys, _, _ := k.GetIntegerValue("SystemComponent")
			s := inventory.Software{
				Name: str("DisplayName"), Version: str("DisplayVersion"), Publisher: str("Publisher"),
				URL: str("URLInfoAbout"), Arch: v.arch, Source: "registry",
			}
			if guidKey.MatchString(name) {
				s.GUID = name
				s.Source = "msi"
			}
			if d := str("InstallDate"); len(d) == 8 {
				if t, err := time.Parse("20060102", d); err == nil {
					s.InstallDate = date(t)
				}
			}
			if kb, _, err := k.GetIntegerValue("EstimatedSize"); err == nil {
				s.SizeBytes = int64(kb) * 1024
			}
			parent := str("ParentKeyName")
			k.Close()
			key := s.Name + "\x00" + s.Version + "\x00" + s.Arch
			if s.Name == "" || sys == 1 || parent != "" || seen[key] {
				continue
			}
			seen[key] = true
			c.inv.Softwares = append(c.inv.Softwares, s)
		}
	}
	if read == 0 {
		return errors.New("the Uninstall registry keys could not be opened")
	}
	return nil
}
