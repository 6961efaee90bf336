package agent

import (
	"context"
	"encoding/binary"
	"testing"
	"time"
	"unicode/utf16"

	"parc/internal/inventory"
)

// A Windows 11 laptop as the cimScript prints it with Windows PowerShell 5.1 (single
// instances unwrapped, 64-bit values as numbers), on a Windows Server without
// Security Center (av: null).
const cimSample = `{"cs":{"Manufacturer":"LENOVO","Model":"20XW0055FR","Domain":"corp.example.org","PartOfDomain":true,"Workgroup":null,"TotalPhysicalMemory":16853463040,"UserName":"CORP\\jdoe","SystemSKUNumber":"LENOVO_MT_20XW"},
"csp":[{"UUID":"5D3A1B2C-1234-11B2-A85C-DE1234567890","IdentifyingNumber":"PF3ABCDE"}],
"bios":{"Manufacturer":"LENOVO","SMBIOSBIOSVersion":"N32ET86W (1.62 )","SerialNumber":"PF3ABCDE","ReleaseDate":"2023-10-09"},
"board":{"Manufacturer":"LENOVO","Product":"20XW0055FR","SerialNumber":"L1HF1AB012C"},
"enclosure":{"ChassisTypes":[10],"SMBIOSAssetTag":"No Asset Information"},
"os":{"Caption":"Microsoft Windows 11 Professionnel","Version":"10.0.22631","BuildNumber":"22631","SerialNumber":"00330-80000-00000-AA123","CSDVersion":null,"InstallDate":"2023-02-14","LastBootUpTime":"2026-01-05 08:01:02"},
"cpu":{"Name":"11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz","Manufacturer":"GenuineIntel","NumberOfCores":4,"NumberOfLogicalProcessors":8,"MaxClockSpeed":2611},
"memory":[{"Capacity":8589934592,"Speed":3200,"ConfiguredClockSpeed":3200,"Manufacturer":"Samsung","SerialNumber":"00000000","PartNumber":"M471A1K43DB1-CWE","DeviceLocator":"ChannelA-DIMM0","BankLabel":"BANK 0","SMBIOSMemoryType":26,"FormFactor":12},
 {"Capacity":"8589934592","Speed":3200,"ConfiguredClockSpeed":0,"Manufacturer":"Samsung","SerialNumber":"4A2B3C4D","PartNumber":"M471A1K43DB1-CWE","DeviceLocator":"ChannelB-DIMM0","BankLabel":"BANK 2","SMBIOSMemoryType":26,"FormFactor":12}],
"disks":{"Index":0,"Model":"SAMSUNG MZVLB512HBJQ-000L7","SerialNumber":"0025_3881_01AB_CDEF.","Size":512105932800,"InterfaceType":"SCSI","FirmwareRevision":"5M2QEXF7","MediaType":"Fixed hard disk media"},
"volumes":[{"DeviceID":"C:","DriveType":3,"FileSystem":"NTFS","Size":510954827776,"FreeSpace":201234567168,"VolumeName":"Windows","VolumeSerialNumber":"A1B2C3D4","ProviderName":null},
 {"DeviceID":"Z:","DriveType":4,"FileSystem":"NTFS","Size":1099511627776,"FreeSpace":549755813888,"VolumeName":"Partage","VolumeSerialNumber":"11112222","ProviderName":"\\\\filer\\partage"}],
"nics":[{"MACAddress":"8C:EC:4B:AA:BB:CC","Description":"Intel(R) Ethernet Connection (13) I219-V","DefaultIPGateway":["10.0.0.1","fe80::1"],"DHCPServer":"10.0.0.2","DNSServerSearchOrder":["10.0.0.53","10.0.0.54"]}],
"video":{"Name":"Intel(R) Iris(R) Xe Graphics","AdapterRAM":1073741824,"VideoProcessor":"Intel(R) Iris(R) Xe Graphics Family","CurrentHorizontalResolution":1920,"CurrentVerticalResolution":1080},
"users":[{"Name":"Administrateur","FullName":"","SID":"S-1-5-21-1-2-3-500","Disabled":true},{"Name":"jdoe","FullName":"John Doe","SID":"S-1-5-21-1-2-3-1001","Disabled":false}],
"battery":[{"Name":"5B10W51867","DeviceID":"1234LGC5B10W51867","Chemistry":6,"DesignCapacity":null,"FullChargeCapacity":null,"DesignVoltage":11520}],
"monitors":[{"Maker":"LEN","Product":"40BA","Serial":"0","Name":null,"InstanceName":"DISPLAY\\LEN40BA\\4&1&UID8388688_0"},{"Maker":"DEL","Product":"a0f0","Serial":"7MT01923ABCL","Name":"DELL U2419H","InstanceName":"x"}],
"av":null}`

func TestApplyCIM(t *testing.T) {
	d, err := parseCIM([]byte("\xef\xbb\xbf" + cimSample + "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(context.Background(), Options{Root: t.TempDir()})
	c.inv.Hardware.Name = "PC42"
	c.inv.Networks = []inventory.Network{{Name: "Ethernet", MAC: "8c:ec:4b:aa:bb:cc"}}
	applyCIM(c, d, "C:")
	inv := c.inv
	want := []inventory.Section{"batteries", "bios", "cpus", "drives", "local_users", "memories", "monitors", "operatingsystem", "storages", "users", "videos"}
	if len(inv.Sections) != len(want) {
		t.Fatalf("sections %v, want %v", inv.Sections, want)
	}
	for i := range want {
		if inv.Sections[i] != want[i] {
			t.Fatalf("sections %v, want %v", inv.Sections, want)
		}
	}
	if inv.Has(inventory.SectionAntivirus) {
		t.Error("antivirus reported though Security Center could not be read")
	}
	h, b, o := inv.Hardware, inv.BIOS, inv.OS
	if h.UUID != "5d3a1b2c-1234-11b2-a85c-de1234567890" || h.MemoryMB != 16072 || h.Workgroup != "corp.example.org" ||
		h.ChassisType != "Notebook" || h.LastLoggedUser != "jdoe" || h.DNS != "10.0.0.53/10.0.0.54" || h.DefaultGateway != "10.0.0.1" ||
		h.WinProductID != "00330-80000-00000-AA123" {
		t.Errorf("hardware %+v", h)
	}
	if b.SystemManufacturer != "LENOVO" || b.SystemModel != "20XW0055FR" || b.SystemSerial != "PF3ABCDE" || b.Version != "N32ET86W (1.62 )" ||
		b.Date != "2023-10-09" || b.BoardSerial != "L1HF1AB012C" || b.SKU != "LENOVO_MT_20XW" {
		t.Errorf("bios %+v", b)
	}
	if o.Name != "Windows" || o.FullName != "Microsoft Windows 11 Professionnel" || o.Kernel != "10.0.22631" || o.Version != "22631" ||
		o.InstallDate != "2023-02-14" || o.BootTime != "2026-01-05 08:01:02" {
		t.Errorf("os %+v", o)
	}
	if len(inv.Users) != 1 || inv.Users[0] != (inventory.User{Login: "jdoe", Domain: "CORP"}) {
		t.Errorf("users %+v", inv.Users)
	}
	if len(inv.CPUs) != 1 || inv.CPUs[0].Cores != 4 || inv.CPUs[0].Threads != 8 || inv.CPUs[0].Manufacturer != "Intel" || inv.CPUs[0].SpeedMHz != 2611 {
		t.Errorf("cpus %+v", inv.CPUs)
	}
	if len(inv.Memories) != 2 || inv.Memories[0].CapacityMB != 8192 || inv.Memories[0].Type != "DDR4" || inv.Memories[0].Serial != "" ||
		inv.Memories[0].Description != "SODIMM" || inv.Memories[1].SpeedMHz != 3200 || inv.Memories[1].Slot != 2 || inv.Memories[1].CapacityMB != 8192 {
		t.Errorf("memories %+v", inv.Memories)
	}
	if len(inv.Storages) != 1 || inv.Storages[0].Name != "PhysicalDrive0" || inv.Storages[0].SizeMB != 512105 || inv.Storages[0].Manufacturer != "Samsung" {
		t.Errorf("storages %+v", inv.Storages)
	}
	if len(inv.Volumes) != 2 || !inv.Volumes[0].System || inv.Volumes[0].TotalMB != 487284 || inv.Volumes[0].Kind != "Local Disk" ||
		inv.Volumes[1].Kind != "Network Drive" || inv.Volumes[1].Device != `\\filer\partage` || inv.Volumes[1].System {
		t.Errorf("volumes %+v", inv.Volumes)
	}
	if n := inv.Networks[0]; n.Gateway != "10.0.0.1" || n.Gateway6 != "fe80::1" || n.DHCPServer != "10.0.0.2" {
		t.Errorf("network %+v", n)
	}
	if len(inv.Videos) != 1 || inv.Videos[0].MemoryMB != 1024 || inv.Videos[0].Resolution != "1920x1080" {
		t.Errorf("videos %+v", inv.Videos)
	}
	if len(inv.LocalUsers) != 2 || inv.LocalUsers[1].ID != "S-1-5-21-1-2-3-1001" {
		t.Errorf("local users %+v", inv.LocalUsers)
	}
	if len(inv.Batteries) != 1 || inv.Batteries[0].Chemistry != "Lithium-ion" || inv.Batteries[0].VoltageMV != 11520 {
		t.Errorf("batteries %+v", inv.Batteries)
	}
	if len(inv.Monitors) != 2 || inv.Monitors[0].Manufacturer != "Lenovo" || inv.Monitors[0].Serial != "" ||
		inv.Monitors[1].Description != "DELA0F0" || inv.Monitors[1].Serial != "7MT01923ABCL" {
		t.Errorf("monitors %+v", inv.Monitors)
	}

	d, err = parseCIM([]byte(`{"av":[{"displayName":"Windows Defender","productState":397568,"instanceGuid":"{D68DDC3A-831F-4fae-9E44-DA132C1ACF46}"},{"displayName":"Other AV","productState":"393488"}],"cs":null}`))
	if err != nil {
		t.Fatal(err)
	}
	c = newCollector(context.Background(), Options{Root: t.TempDir()})
	applyCIM(c, d, "C:")
	av := c.inv.Antivirus
	if !c.inv.Has(inventory.SectionAntivirus) || len(av) != 2 || !av[0].Enabled || !av[0].UpToDate || av[1].Enabled || av[1].UpToDate {
		t.Errorf("antivirus %+v", av)
	}
	if _, err := parseCIM([]byte("Get-CimInstance : access denied")); err == nil {
		t.Error("garbage accepted")
	}
}

func TestEncodePowerShell(t *testing.T) {
	b := encodePowerShell("é$x")
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	if string(utf16.Decode(u)) != "é$x" {
		t.Fatal("not UTF-16LE")
	}
}

func TestDarwinParsers(t *testing.T) {
	ioreg := `+-o J316sAP  <class IOPlatformExpertDevice, id 0x100000206, registered, matched, active, busy 0 (92813 ms), retain 36>
    {
      "IOPolledInterface" = "AppleARMWatchdogTimerHibernateHandler is not serializable"
      "manufacturer" = <"Apple Inc.">
      "IOPlatformSerialNumber" = "C02FXXXXQ6L4"
      "model" = <"MacBookPro18,1">
      "IOPlatformUUID" = "8E3F1A2B-1C2D-4E5F-8A9B-0C1D2E3F4A5B"
      "target-type" = <"J316s">
      "IOBusyInterest" = "IOCommand is not serializable"
    }
`
	p := parseIOReg([]byte(ioreg))
	if p["manufacturer"] != "Apple Inc." || p["model"] != "MacBookPro18,1" || p["IOPlatformSerialNumber"] != "C02FXXXXQ6L4" ||
		p["IOPlatformUUID"] != "8E3F1A2B-1C2D-4E5F-8A9B-0C1D2E3F4A5B" {
		t.Fatalf("%v", p)
	}
	name, version, build := parseSwVers([]byte("ProductName:\t\tmacOS\nProductVersion:\t\t14.5\nBuildVersion:\t\t23F79\n"))
	if name != "macOS" || version != "14.5" || build != "23F79" {
		t.Fatalf("%q %q %q", name, version, build)
	}
	if !darwinSkipMount("/System/Volumes/VM", "apfs") || darwinSkipMount("/System/Volumes/Data", "apfs") || !darwinSkipMount("/dev", "devfs") || darwinSkipMount("/", "apfs") {
		t.Fatal("darwinSkipMount")
	}
}

func TestParseClamVersion(t *testing.T) {
	now := time.Date(2024, 11, 28, 12, 0, 0, 0, time.UTC)
	v, base, ok := parseClamVersion("ClamAV 1.0.7/27470/Tue Nov 26 09:33:01 2024\n", now)
	if v != "1.0.7" || base != "27470" || !ok {
		t.Fatalf("%q %q %v", v, base, ok)
	}
	if _, _, ok := parseClamVersion("ClamAV 1.0.7/27000/Mon Jul  1 09:33:01 2024", now); ok {
		t.Fatal("an old database is up to date")
	}
	if v, _, _ := parseClamVersion("ClamAV 0.103.8", now); v != "0.103.8" {
		t.Fatalf("%q", v)
	}
}
