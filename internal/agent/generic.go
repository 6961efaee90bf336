package agent

import (
	"errors"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"

	"parc/internal/inventory"
)

// Collectors built on the Go standard library alone, used by the Windows, macOS and
// other non-Linux collectors.

// genericNames sets the host name (short), the FQDN and the DNS domain from
// os.Hostname.
func (c *collector) genericNames() {
	host, _ := os.Hostname()
	short, domain, _ := strings.Cut(host, ".")
	if strings.EqualFold(domain, "local") {
		domain = "" // macOS's Bonjour name "name.local"
	}
	c.inv.Hardware.Name = short
	c.inv.OS.FQDN = host
	c.inv.OS.DNSDomain = domain
}

// genericNetworks lists the network interfaces the standard library sees, with their
// MAC, flags, MTU and addresses (no speed, driver or gateway).
func (c *collector) genericNetworks() error {
	ifaces, err := net.Interfaces()
	if err != nil {
		return err
	}
	for _, ifc := range ifaces {
		n := inventory.Network{
			Name: ifc.Name,
			MAC:  normalMAC(ifc.HardwareAddr.String()),
			MTU:  ifc.MTU,
		}
		if ifc.MTU < 0 {
			n.MTU = 0
		}
		if ifc.Flags&net.FlagUp != 0 {
			n.Status = "up"
		} else {
			n.Status = "down"
		}
		if ifc.Flags&net.FlagLoopback != 0 {
			n.Type = "loopback"
			n.Virtual = true
		}
		if addrs, err := c.addrs(ifc.Name); err == nil {
			addAddrs(&n, addrs)
		}
		c.inv.Networks = append(c.inv.Networks, n)
	}
	return nil
}

// genericCPU describes the processors as one package of runtime.NumCPU logical
// processors, when nothing better is known (cores 0: unknown).
func genericCPU(model string, cores int) inventory.CPU {
	return inventory.CPU{Model: model, Cores: cores, Threads: runtime.NumCPU(), Arch: goarchToUname(runtime.GOARCH)}
}

// collectGeneric is the collector of the platforms parc has no dedicated one for
// (the BSDs, Solaris...): names, OS name and architecture, processors count and
// network interfaces.
func collectGeneric(c *collector) {
	c.genericNames()
	c.section(inventory.SectionOS, func() error {
		c.inv.OS = inventory.OS{
			Name:       runtime.GOOS,
			KernelName: runtime.GOOS,
			Arch:       goarchToUname(runtime.GOARCH),
			FQDN:       c.inv.OS.FQDN,
			DNSDomain:  c.inv.OS.DNSDomain,
		}
		return nil
	})
	c.section(inventory.SectionNetworks, c.genericNetworks)
	c.section(inventory.SectionHardware, func() error {
		if c.inv.Hardware.Name == "" {
			return errors.New("no hostname")
		}
		return nil
	})
	c.inv.CPUs = []inventory.CPU{genericCPU("", 0)}
	c.inv.MarkPresent(inventory.SectionCPUs)
	slices.Sort(c.inv.Warnings)
}
