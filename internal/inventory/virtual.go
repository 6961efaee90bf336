package inventory

import "strings"

// Virtualization tells whether the device is a virtual machine (or a container) and
// which system runs it. A VMSYSTEM other than "Physical" is trusted; otherwise the
// BIOS, disks, PCI controllers and network drivers are searched for the signatures of
// hypervisors' virtual hardware, because agents answer "Physical" on guests they do
// not recognise (the OCS agent does on a KVM guest with virtio devices).
func (inv *Inventory) Virtualization() (virtual bool, system string) {
	reported := strings.TrimSpace(inv.Hardware.VMSystem)
	if reported != "" && !strings.EqualFold(reported, "physical") {
		return true, reported
	}
	if s := biosHypervisor(inv.BIOS); s != "" {
		return true, s
	}
	for _, c := range inv.Controllers {
		if s := pciVendorHypervisor[strings.ToLower(c.VendorID)]; s != "" {
			return true, s
		}
	}
	for _, d := range inv.Storages {
		if s := matchSignature(d.Model+" "+d.Manufacturer, diskSignatures); s != "" {
			return true, s
		}
	}
	for _, n := range inv.Networks {
		if s := netDriverHypervisor[strings.ToLower(n.Driver)]; s != "" {
			return true, s
		}
	}
	return false, ""
}

type signature struct{ substr, system string }

// biosSignatures are searched, in order, in the system and board manufacturer, model
// and BIOS vendor and version.
var biosSignatures = []signature{
	{"vmware", "VMware"},
	{"virtualbox", "VirtualBox"},
	{"innotek", "VirtualBox"},
	{"qemu", "QEMU"},
	{"bochs", "QEMU"},
	{"kvm", "KVM"},
	{"openstack", "OpenStack"},
	{"xen", "Xen"},
	{"parallels", "Parallels"},
	{"bhyve", "bhyve"},
	{"amazon ec2", "Amazon EC2"},
	{"google compute engine", "Google Compute Engine"},
}

func biosHypervisor(b BIOS) string {
	facts := strings.Join([]string{b.SystemManufacturer, b.SystemModel, b.Manufacturer,
		b.Version, b.BoardManufacturer, b.BoardModel}, " ")
	if s := matchSignature(facts, biosSignatures); s != "" {
		return s
	}
	if strings.Contains(strings.ToLower(b.SystemManufacturer), "microsoft") &&
		strings.Contains(strings.ToLower(b.SystemModel), "virtual machine") {
		return "Hyper-V"
	}
	return ""
}

var diskSignatures = []signature{
	{"vbox harddisk", "VirtualBox"},
	{"vmware virtual", "VMware"},
	{"qemu harddisk", "QEMU"},
	{"msft virtual disk", "Hyper-V"},
}

func matchSignature(s string, sigs []signature) string {
	s = strings.ToLower(s)
	for _, sig := range sigs {
		if strings.Contains(s, sig.substr) {
			return sig.system
		}
	}
	return ""
}

// pciVendorHypervisor maps the PCI vendor ids of emulated or paravirtual devices.
var pciVendorHypervisor = map[string]string{
	"1af4": "KVM", // Red Hat virtio (KVM, QEMU, Firecracker, cloud-hypervisor)
	"15ad": "VMware",
	"80ee": "VirtualBox",
	"1414": "Hyper-V",
	"5853": "Xen",
}

var netDriverHypervisor = map[string]string{
	"virtio_net":   "KVM",
	"vmxnet3":      "VMware",
	"hv_netvsc":    "Hyper-V",
	"xen-netfront": "Xen",
}
