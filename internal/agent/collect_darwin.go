//go:build darwin

package agent

import (
	"errors"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"parc/internal/inventory"
)

// collectPlatform is the macOS collector: names and network interfaces from the
// standard library; system identity from ioreg; processors, memory, kernel and boot
// time from sysctl; the release from sw_vers; mounted volumes from getfsstat.
// Software, disks, monitors and batteries are not collected (see docs/agent.md).
func collectPlatform(c *collector) {
	inv := c.inv
	c.genericNames()
	arch, _ := unix.Sysctl("hw.machine")
	c.section(inventory.SectionOS, func() error {
		out, err := c.run("sw_vers")
		if err != nil {
			return err
		}
		name, version, build := parseSwVers(out)
		if name == "" {
			return errors.New("sw_vers gave no ProductName")
		}
		o := &inv.OS
		o.Name, o.Version, o.KernelName, o.Arch = name, version, "darwin", arch
		o.FullName = strings.TrimSpace(name + " " + version)
		if build != "" {
			o.FullName += " (" + build + ")"
		}
		o.Kernel, _ = unix.Sysctl("kern.osrelease")
		if tv, err := unix.SysctlTimeval("kern.boottime"); err == nil && tv.Sec > 0 {
			o.BootTime = dateTime(time.Unix(tv.Sec, 0))
		}
		o.TimezoneName, _ = c.now().Zone()
		o.TimezoneOffset = c.now().Format("-0700")
		return nil
	})
	c.section(inventory.SectionBIOS, func() error {
		out, err := c.run("ioreg", "-rd1", "-c", "IOPlatformExpertDevice")
		if err != nil {
			return err
		}
		p := parseIOReg(out)
		if p["IOPlatformSerialNumber"] == "" && p["IOPlatformUUID"] == "" {
			return errors.New("ioreg gave no serial number nor UUID")
		}
		inv.BIOS.SystemManufacturer = p["manufacturer"]
		inv.BIOS.SystemModel = p["model"]
		if inv.BIOS.SystemModel == "" {
			inv.BIOS.SystemModel, _ = unix.Sysctl("hw.model")
		}
		inv.BIOS.SystemSerial = p["IOPlatformSerialNumber"]
		inv.Hardware.UUID = strings.ToLower(p["IOPlatformUUID"])
		return nil
	})
	c.section(inventory.SectionCPUs, func() error {
		model, err := unix.Sysctl("machdep.cpu.brand_string")
		if err != nil {
			return err
		}
		cores, _ := unix.SysctlUint32("hw.physicalcpu")
		cpu := genericCPU(cleanString(model), int(cores))
		if threads, err := unix.SysctlUint32("hw.logicalcpu"); err == nil {
			cpu.Threads = int(threads)
		}
		if hz, err := unix.SysctlUint64("hw.cpufrequency"); err == nil {
			cpu.SpeedMHz = int(hz / 1_000_000)
		}
		cpu.Arch = arch
		switch {
		case strings.HasPrefix(cpu.Model, "Apple"):
			cpu.Manufacturer = "Apple"
		case strings.Contains(cpu.Model, "Intel"):
			cpu.Manufacturer = "Intel"
		}
		inv.CPUs = []inventory.CPU{cpu}
		return nil
	})
	c.section(inventory.SectionVolumes, func() error {
		n, err := unix.Getfsstat(nil, unix.MNT_NOWAIT)
		if err != nil {
			return err
		}
		buf := make([]unix.Statfs_t, n)
		if n, err = unix.Getfsstat(buf, unix.MNT_NOWAIT); err != nil {
			return err
		}
		for _, st := range buf[:n] {
			point, fstype := unix.ByteSliceToString(st.Mntonname[:]), unix.ByteSliceToString(st.Fstypename[:])
			if darwinSkipMount(point, fstype) {
				continue
			}
			bs := uint64(st.Bsize)
			v := inventory.Volume{
				Device: unix.ByteSliceToString(st.Mntfromname[:]), Mount: point, FSType: fstype,
				TotalMB: int(st.Blocks * bs >> 20), FreeMB: int(st.Bavail * bs >> 20), System: point == "/",
			}
			if networkFS[fstype] || fstype == "smbfs" || fstype == "afpfs" || fstype == "webdav" {
				v.Kind = "Network Drive"
			}
			inv.Volumes = append(inv.Volumes, v)
		}
		return nil
	})
	c.section(inventory.SectionNetworks, c.genericNetworks)
	c.section(inventory.SectionHardware, func() error {
		if inv.Hardware.Name == "" {
			return errors.New("no hostname")
		}
		if mem, err := unix.SysctlUint64("hw.memsize"); err == nil {
			inv.Hardware.MemoryMB = int(mem >> 20)
		}
		vmm, _ := unix.SysctlUint32("kern.hv_vmm_present") // 1 under a hypervisor
		inv.Hardware.VMSystem = virtualization(inv, "", vmm == 1)
		return nil
	})
	c.sortWarnings()
}
