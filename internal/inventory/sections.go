package inventory

import "slices"

// Section names one part of the model. The names are those of the GLPI JSON format.
type Section string

const (
	SectionHardware        Section = "hardware"
	SectionBIOS            Section = "bios"
	SectionOS              Section = "operatingsystem"
	SectionCPUs            Section = "cpus"
	SectionMemories        Section = "memories"
	SectionStorages        Section = "storages"
	SectionVolumes         Section = "drives"
	SectionNetworks        Section = "networks"
	SectionSoftwares       Section = "softwares"
	SectionUsers           Section = "users"
	SectionLocalUsers      Section = "local_users"
	SectionLocalGroups     Section = "local_groups"
	SectionMonitors        Section = "monitors"
	SectionBatteries       Section = "batteries"
	SectionVirtualMachines Section = "virtualmachines"
	SectionAntivirus       Section = "antivirus"
	SectionControllers     Section = "controllers"
	SectionVideos          Section = "videos"
	SectionFirmwares       Section = "firmwares"
	SectionRemoteMgmt      Section = "remote_mgmt"
	SectionPowerSupplies   Section = "powersupplies"
	SectionNetworkDevice   Section = "network_device"
	SectionPorts           Section = "network_ports"
)

// AllSections returns every section of the model, sorted by name.
func AllSections() []Section {
	s := []Section{
		SectionHardware, SectionBIOS, SectionOS, SectionCPUs, SectionMemories,
		SectionStorages, SectionVolumes, SectionNetworks, SectionSoftwares, SectionUsers,
		SectionLocalUsers, SectionLocalGroups, SectionMonitors, SectionBatteries,
		SectionVirtualMachines, SectionAntivirus, SectionControllers, SectionVideos,
		SectionFirmwares, SectionNetworkDevice, SectionPorts, SectionRemoteMgmt, SectionPowerSupplies,
	}
	slices.Sort(s)
	return s
}

// Has reports whether the document carried the section. A section it did not carry is
// "not reported": its data must be left as it is, never cleared.
func (inv *Inventory) Has(s Section) bool {
	_, found := slices.BinarySearch(inv.Sections, s)
	return found
}

// MarkPresent records that the document carried the section.
func (inv *Inventory) MarkPresent(s Section) {
	i, found := slices.BinarySearch(inv.Sections, s)
	if !found {
		inv.Sections = slices.Insert(inv.Sections, i, s)
	}
}
