package agent

import (
	"context"
	"encoding/hex"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"parc/internal/inventory"
)

// fakeTree writes files (and symbolic links, for values starting with "->") under root.
func fakeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// laptopTree is a Debian laptop: two Xeon sockets (never mind), an SSD on SATA, an NVMe
// disk, Ethernet and Wi-Fi, a battery, a monitor on DisplayPort, root's SMBIOS table.
func laptopTree(t *testing.T) string {
	root := t.TempDir()
	edid, _ := hex.DecodeString(dellEDID)
	bios := make([]byte, 0x12)
	bios[0], bios[4], bios[5], bios[8] = 0, 1, 2, 3
	array := make([]byte, 0x17)
	array[0] = 16
	table := smbiosTable(
		smbiosEntry{bios, []string{"Dell Inc.", "1.18.0", "03/15/2024"}},
		smbiosEntry{array, nil},
		memDevice(16384, 3200, 0x1a, "DIMM A", "BANK 0", "SK Hynix", "12345678", "HMA82GS6DJR8N-XN"),
		memDevice(0, 0, 0x02, "DIMM B", "BANK 1", "", "", ""),
		smbiosEntry{[]byte{127, 4, 0, 0}, nil},
	)
	dev := "devices/pci0000:00/"
	fakeTree(t, root, map[string]string{
		"proc/cpuinfo":                    cpuinfoX86,
		"proc/meminfo":                    "MemTotal:       16231580 kB\nSwapTotal:       1000444 kB\n",
		"proc/stat":                       "cpu 1 2 3\nbtime 1700000000\n",
		"proc/net/route":                  "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n",
		"proc/net/ipv6_route":             "",
		"proc/sys/kernel/hostname":        "pc42",
		"proc/sys/kernel/osrelease":       "6.1.0-18-amd64",
		"proc/sys/kernel/arch":            "x86_64",
		"proc/1/cgroup":                   "0::/init.scope\n",
		"proc/1/comm":                     "systemd\n",
		"proc/812/comm":                   "clamd\n",
		"proc/self/mounts":                "/dev/sda2 / ext4 rw 0 0\n/dev/sda2 /home ext4 rw 0 0\n/dev/nvme0n1p1 /boot/efi vfat rw 0 0\ntmpfs /tmp tmpfs rw 0 0\nproc /proc proc rw 0 0\nfiler:/export /mnt/share nfs4 rw 0 0\noverlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0\n",
		"boot/efi/":                       "",
		"home/":                           "",
		"mnt/share/":                      "",
		"dev/sda2":                        "",
		"dev/nvme0n1p1":                   "",
		"dev/disk/by-label/rootfs":        "->../../sda2",
		"dev/disk/by-uuid/0b1c2d3e":       "->../../sda2",
		"etc/os-release":                  "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n",
		"etc/debian_version":              "12.5\n",
		"etc/hosts":                       "127.0.0.1 localhost\n127.0.1.1 pc42.corp.example.org pc42\n",
		"etc/resolv.conf":                 "nameserver 10.0.0.53\nnameserver 10.0.0.54\n",
		"etc/timezone":                    "Europe/Paris\n",
		"etc/passwd":                      "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\njdoe:x:1000:1000:John Doe,,,:/home/jdoe:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
		"etc/group":                       "root:x:0:\nsudo:x:27:jdoe\njdoe:x:1000:\nnogroup:x:65534:\n",
		"var/lib/dpkg/status":             dpkgStatus,
		"var/lib/dpkg/info/":              "",
		"usr/bin/clamscan":                "",
		"usr/share/misc/pci.ids":          "8086  Intel Corporation\n\t15fc  Ethernet Connection (13) I219-V\n\t9a49  TigerLake-LP GT2 [Iris Xe Graphics]\n10de  NVIDIA Corporation\nC 02  Network controller\n\t00  Ethernet controller\nC 03  Display controller\n\t00  VGA compatible controller\n",
		"sys/class/dmi/id/sys_vendor":     "Dell Inc.\n",
		"sys/class/dmi/id/product_name":   "Latitude 5440\n",
		"sys/class/dmi/id/product_serial": "8C554721F\n",
		"sys/class/dmi/id/product_uuid":   "4C4C4544-0034-3010-8048-B6C04F503732\n",
		"sys/class/dmi/id/bios_vendor":    "Dell Inc.\n",
		"sys/class/dmi/id/bios_version":   "1.18.0\n",
		"sys/class/dmi/id/bios_date":      "03/15/2024\n",
		"sys/class/dmi/id/board_name":     "0WKG5T\n",
		"sys/class/dmi/id/board_serial/":  "", // unreadable: a directory here
		"sys/class/dmi/id/chassis_type":   "10\n",
		"sys/firmware/dmi/tables/DMI":     string(table),
		"sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "3000000\n",
		// disks
		"sys/block/sda":     "->../" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda",
		"sys/block/nvme0n1": "->../" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/nvme0n1",
		"sys/block/loop0":   "->../devices/virtual/block/loop0",
		"sys/block/sr0":     "->../" + dev + "0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0/block/sr0",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/size":             "976773168\n",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/removable":        "0\n",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/queue/rotational": "0\n",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/device":           "->../../../0:0:0:0",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/model":                      "Samsung SSD 860 EVO 500GB\n",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/vendor":                     "ATA     \n",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/rev":                        "4B6Q\n",
		"sys/" + dev + "0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/vpd_pg80":                   "\x00\x80\x00\x0fS3Z1NB0K123456A",
		"sys/" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/nvme0n1/size":                      "2000409264\n",
		"sys/" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/nvme0n1/queue/rotational":          "0\n",
		"sys/" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/nvme0n1/device":                    "->..",
		"sys/" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/model":                             "KXG80ZNV1T02 KIOXIA                     \n",
		"sys/" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/serial":                            "  X1RS10ABCDEF  \n",
		"sys/" + dev + "0000:00:1d.0/0000:03:00.0/nvme/nvme0/firmware_rev":                      "10604107\n",
		"sys/" + dev + "0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0/block/sr0/size":             "0\n",
		"sys/" + dev + "0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0/block/sr0/removable":        "1\n",
		// network
		"sys/class/net/eth0":                              "->../../" + dev + "0000:00:1f.6/net/eth0",
		"sys/class/net/wlan0":                             "->../../" + dev + "0000:00:14.3/net/wlan0",
		"sys/class/net/lo":                                "->../../devices/virtual/net/lo",
		"sys/class/net/docker0":                           "->../../devices/virtual/net/docker0",
		"sys/class/net/veth1a2b":                          "->../../devices/virtual/net/veth1a2b",
		"sys/" + dev + "0000:00:1f.6/net/eth0/address":    "8C:EC:4B:AA:BB:CC\n",
		"sys/" + dev + "0000:00:1f.6/net/eth0/type":       "1\n",
		"sys/" + dev + "0000:00:1f.6/net/eth0/operstate":  "up\n",
		"sys/" + dev + "0000:00:1f.6/net/eth0/mtu":        "1500\n",
		"sys/" + dev + "0000:00:1f.6/net/eth0/speed":      "1000\n",
		"sys/" + dev + "0000:00:1f.6/net/eth0/device":     "->../../../0000:00:1f.6",
		"sys/" + dev + "0000:00:1f.6/driver":              "->../../../bus/pci/drivers/e1000e",
		"sys/" + dev + "0000:00:14.3/net/wlan0/address":   "f4:26:79:11:22:33\n",
		"sys/" + dev + "0000:00:14.3/net/wlan0/type":      "1\n",
		"sys/" + dev + "0000:00:14.3/net/wlan0/operstate": "down\n",
		"sys/" + dev + "0000:00:14.3/net/wlan0/speed":     "-1\n",
		"sys/" + dev + "0000:00:14.3/net/wlan0/phy80211/": "",
		"sys/devices/virtual/net/lo/address":              "00:00:00:00:00:00\n",
		"sys/devices/virtual/net/lo/type":                 "772\n",
		"sys/devices/virtual/net/lo/operstate":            "unknown\n",
		"sys/devices/virtual/net/lo/flags":                "0x9\n",
		"sys/devices/virtual/net/docker0/address":         "02:42:ac:11:00:01\n",
		"sys/devices/virtual/net/docker0/type":            "1\n",
		"sys/devices/virtual/net/docker0/operstate":       "down\n",
		"sys/devices/virtual/net/docker0/bridge/":         "",
		"sys/devices/virtual/net/veth1a2b/address":        "9e:00:00:00:00:01\n",
		// PCI
		"sys/bus/pci/devices/0000:00:02.0":             "->../../../" + dev + "0000:00:02.0",
		"sys/bus/pci/devices/0000:00:1f.6":             "->../../../" + dev + "0000:00:1f.6",
		"sys/" + dev + "0000:00:02.0/vendor":           "0x8086\n",
		"sys/" + dev + "0000:00:02.0/device":           "0x9a49\n",
		"sys/" + dev + "0000:00:02.0/class":            "0x030000\n",
		"sys/" + dev + "0000:00:02.0/revision":         "0x01\n",
		"sys/" + dev + "0000:00:1f.6/vendor":           "0x8086\n",
		"sys/" + dev + "0000:00:1f.6/device":           "0x15fc\n",
		"sys/" + dev + "0000:00:1f.6/class":            "0x020000\n",
		"sys/" + dev + "0000:00:1f.6/subsystem_vendor": "0x1028\n",
		"sys/" + dev + "0000:00:1f.6/subsystem_device": "0x0b14\n",
		// power supplies
		"sys/class/power_supply/BAT0/type":               "Battery\n",
		"sys/class/power_supply/BAT0/model_name":         "DELL 9JRV01\n",
		"sys/class/power_supply/BAT0/manufacturer":       "SMP\n",
		"sys/class/power_supply/BAT0/serial_number":      "4521\n",
		"sys/class/power_supply/BAT0/technology":         "Li-poly\n",
		"sys/class/power_supply/BAT0/energy_full_design": "54000000\n",
		"sys/class/power_supply/BAT0/energy_full":        "49123000\n",
		"sys/class/power_supply/BAT0/voltage_min_design": "11400000\n",
		"sys/class/power_supply/AC/type":                 "Mains\n",
		"sys/class/power_supply/hidpp_battery_0/type":    "Battery\n",
		"sys/class/power_supply/hidpp_battery_0/scope":   "Device\n",
		// displays
		"sys/class/drm/card0/dev":           "226:0\n",
		"sys/class/drm/card0-DP-1/edid":     string(edid),
		"sys/class/drm/card0-HDMI-A-1/edid": "",
		"sys/class/drm/card0-eDP-1/status":  "connected\n",
	})
	return root
}

func TestCollectLinuxFakeTree(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("statfs is Linux only")
	}
	root := laptopTree(t)
	c := newCollector(context.Background(), Options{Root: root})
	if c.live {
		t.Fatal("a fake root is live")
	}
	c.now = func() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }
	c.addrs = func(name string) ([]ifaceAddr, error) {
		if name == "eth0" {
			return []ifaceAddr{{netip.MustParseAddr("10.0.0.42"), 24}, {netip.MustParseAddr("fe80::8eec:4bff:feaa:bbcc"), 64}}, nil
		}
		return nil, nil
	}
	collectLinux(c)
	inv := c.inv

	wantSections := []inventory.Section{"antivirus", "batteries", "bios", "controllers", "cpus", "drives", "hardware",
		"local_groups", "local_users", "memories", "monitors", "networks", "operatingsystem", "softwares", "storages", "videos"}
	if !slices.Equal(inv.Sections, wantSections) {
		t.Errorf("sections %v\nwant %v", inv.Sections, wantSections)
	}
	h := inv.Hardware
	if h.Name != "pc42" || h.UUID != "4c4c4544-0034-3010-8048-b6c04f503732" || h.ChassisType != "Notebook" ||
		h.MemoryMB != 15851 || h.SwapMB != 976 || h.DNS != "10.0.0.53/10.0.0.54" || h.DefaultGateway != "10.0.0.1" ||
		h.VMSystem != "Virtual Machine" {
		t.Errorf("hardware %+v", h)
	}
	b := inv.BIOS
	if b.SystemManufacturer != "Dell Inc." || b.SystemModel != "Latitude 5440" || b.SystemSerial != "8C554721F" ||
		b.Manufacturer != "Dell Inc." || b.Version != "1.18.0" || b.Date != "2024-03-15" || b.BoardModel != "0WKG5T" || b.BoardSerial != "" {
		t.Errorf("bios %+v", b)
	}
	o := inv.OS
	if o.Name != "Debian GNU/Linux" || o.Version != "12.5" || o.FullName != "Debian GNU/Linux 12 (bookworm)" ||
		o.Kernel != "6.1.0-18-amd64" || o.KernelName != "linux" || o.Arch != "x86_64" || o.FQDN != "pc42.corp.example.org" ||
		o.DNSDomain != "corp.example.org" || o.TimezoneName != "Europe/Paris" || o.BootTime != dateTime(time.Unix(1700000000, 0)) {
		t.Errorf("os %+v", o)
	}
	if len(inv.CPUs) != 2 || inv.CPUs[0] != (inventory.CPU{Model: "Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", Manufacturer: "Intel", Cores: 2, Threads: 4, SpeedMHz: 3000, Arch: "x86_64"}) ||
		inv.CPUs[1].SpeedMHz != 2100 || inv.CPUs[1].Threads != 2 {
		t.Errorf("cpus %+v", inv.CPUs)
	}
	if len(inv.Memories) != 1 || inv.Memories[0].CapacityMB != 16384 || inv.Memories[0].Manufacturer != "SK Hynix" {
		t.Errorf("memories %+v", inv.Memories)
	}
	if len(inv.Storages) != 3 {
		t.Fatalf("storages %+v", inv.Storages)
	}
	nv, sda, sr := inv.Storages[0], inv.Storages[1], inv.Storages[2]
	if sda != (inventory.Storage{Name: "sda", Model: "Samsung SSD 860 EVO 500GB", Manufacturer: "Samsung", Serial: "S3Z1NB0K123456A",
		SizeMB: 500107, Interface: "SATA", Type: "SSD", Firmware: "4B6Q"}) {
		t.Errorf("sda %+v", sda)
	}
	if nv.Name != "nvme0n1" || nv.Model != "KXG80ZNV1T02 KIOXIA" || nv.Serial != "X1RS10ABCDEF" || nv.Interface != "NVMe" ||
		nv.Type != "SSD" || nv.SizeMB != 1024209 || nv.Firmware != "10604107" {
		t.Errorf("nvme %+v", nv)
	}
	if sr.Name != "sr0" || sr.Type != "cdrom" {
		t.Errorf("cdrom %+v", sr)
	}
	if len(inv.Volumes) != 3 {
		t.Fatalf("volumes %+v", inv.Volumes)
	}
	v := inv.Volumes[0]
	if v.Device != "/dev/sda2" || v.Mount != "/" || v.FSType != "ext4" || !v.System || v.TotalMB <= 0 || v.Label != "rootfs" || v.Serial != "0b1c2d3e" {
		t.Errorf("root volume %+v", v)
	}
	if inv.Volumes[1].Mount != "/boot/efi" || inv.Volumes[2].Kind != "Network Drive" || inv.Volumes[2].Device != "filer:/export" {
		t.Errorf("volumes %+v", inv.Volumes)
	}
	names := map[string]inventory.Network{}
	for _, n := range inv.Networks {
		names[n.Name] = n
	}
	if len(inv.Networks) != 4 || names["veth1a2b"].Name != "" {
		t.Errorf("networks %+v", inv.Networks)
	}
	eth := names["eth0"]
	if eth.MAC != "8c:ec:4b:aa:bb:cc" || eth.Type != "ethernet" || eth.Status != "up" || eth.Virtual || eth.SpeedMbps != 1000 ||
		eth.MTU != 1500 || eth.Driver != "e1000e" || eth.PCISlot != "00:1f.6" || eth.Gateway != "10.0.0.1" ||
		len(eth.IPv4) != 1 || eth.IPv4[0] != (inventory.IPAddress{Address: "10.0.0.42", Mask: "255.255.255.0", Prefix: 24}) ||
		len(eth.IPv6) != 1 || eth.IPv6[0].Mask != "ffff:ffff:ffff:ffff::" {
		t.Errorf("eth0 %+v", eth)
	}
	if w := names["wlan0"]; w.Type != "wifi" || w.Status != "down" || w.SpeedMbps != 0 {
		t.Errorf("wlan0 %+v", w)
	}
	if lo := names["lo"]; lo.Type != "loopback" || lo.Status != "up" || !lo.Virtual || lo.MAC != "" {
		t.Errorf("lo %+v", lo)
	}
	if d := names["docker0"]; d.Type != "bridge" || !d.Virtual {
		t.Errorf("docker0 %+v", d)
	}
	if len(inv.Softwares) != 3 || inv.Softwares[0].Name != "dpkg" {
		t.Errorf("softwares %+v", inv.Softwares)
	}
	if len(inv.LocalUsers) != 2 || inv.LocalUsers[0].Login != "root" || inv.LocalUsers[1] != (inventory.LocalUser{Login: "jdoe", Name: "John Doe", ID: "1000", Home: "/home/jdoe", Shell: "/bin/bash"}) {
		t.Errorf("local users %+v", inv.LocalUsers)
	}
	if len(inv.LocalGroups) != 2 || inv.LocalGroups[0].Name != "sudo" || inv.LocalGroups[1].Name != "jdoe" {
		t.Errorf("local groups %+v", inv.LocalGroups)
	}
	if len(inv.Monitors) != 1 || inv.Monitors[0].Serial != "7MT01923ABCL" || inv.Monitors[0].Port != "DP-1" {
		t.Errorf("monitors %+v", inv.Monitors)
	}
	if len(inv.Batteries) != 1 || inv.Batteries[0] != (inventory.Battery{Name: "DELL 9JRV01", Manufacturer: "SMP", Serial: "4521",
		Chemistry: "Li-poly", CapacityMWh: 54000, RealCapacityMWh: 49123, VoltageMV: 11400}) {
		t.Errorf("batteries %+v", inv.Batteries)
	}
	if len(inv.Controllers) != 2 || inv.Controllers[1].Name != "Ethernet Connection (13) I219-V" || inv.Controllers[1].Type != "Ethernet controller" ||
		inv.Controllers[1].SubsystemID != "1028:0b14" || inv.Controllers[1].PCIClass != "0200" {
		t.Errorf("controllers %+v", inv.Controllers)
	}
	if len(inv.Videos) != 1 || inv.Videos[0].Name != "Intel Corporation TigerLake-LP GT2 [Iris Xe Graphics]" || inv.Videos[0].PCISlot != "00:02.0" {
		t.Errorf("videos %+v", inv.Videos)
	}
	if len(inv.Antivirus) != 1 || inv.Antivirus[0].Name != "ClamAV" || !inv.Antivirus[0].Enabled {
		t.Errorf("antivirus %+v", inv.Antivirus)
	}
	if len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0], "board_serial") {
		t.Errorf("warnings %q", inv.Warnings)
	}
}

// A bare tree (a container without /sys/class/dmi, no SMBIOS table, no display, no
// package database) reports only what it really read: the sections it could not read
// are absent, not empty.
func TestCollectLinuxMinimalTree(t *testing.T) {
	root := t.TempDir()
	fakeTree(t, root, map[string]string{
		"proc/cpuinfo":             cpuinfoARM,
		"proc/meminfo":             "MemTotal: 1024000 kB\n",
		"proc/sys/kernel/hostname": "tiny",
		"proc/self/mounts":         "",
		"etc/os-release":           "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.1\nPRETTY_NAME=\"Alpine Linux v3.20\"\n",
		"etc/passwd":               "root:x:0:0:root:/root:/bin/sh\n",
		"sys/class/net/":           "",
		"sys/block/":               "",
		".dockerenv":               "",
		"sys/devices/system/cpu/cpu0/topology/physical_package_id": "0\n",
		"sys/devices/system/cpu/cpu0/topology/core_id":             "0\n",
	})
	inv, err := Collect(context.Background(), Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	want := []inventory.Section{"antivirus", "cpus", "drives", "hardware", "local_users", "networks", "operatingsystem", "storages"}
	if !slices.Equal(inv.Sections, want) {
		t.Errorf("sections %v, want %v", inv.Sections, want)
	}
	if inv.Hardware.VMSystem != "Docker" || inv.Hardware.MemoryMB != 1000 || inv.OS.Name != "Alpine Linux" || inv.OS.Version != "3.20.1" {
		t.Errorf("%+v %+v", inv.Hardware, inv.OS)
	}
	if len(inv.CPUs) != 1 || inv.CPUs[0].Model != "ARM Cortex-A72" || inv.CPUs[0].Threads != 4 || inv.CPUs[0].Cores != 4 || inv.CPUs[0].Arch == "" {
		t.Errorf("cpus %+v", inv.CPUs)
	}
	var softwareWarning bool
	for _, w := range inv.Warnings {
		softwareWarning = softwareWarning || strings.HasPrefix(w, "softwares: not reported")
	}
	if !softwareWarning {
		t.Errorf("no warning about software: %q", inv.Warnings)
	}
	if inv.Validate() == nil {
		t.Error("an inventory without a device id validates")
	}
	inv.DeviceID = "tiny-2026-01-05-09-00-00"
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}

	// A failing software database leaves the section out instead of reporting it empty.
	fakeTree(t, root, map[string]string{"var/lib/dpkg/status/": ""})
	inv, err = Collect(context.Background(), Options{Root: root})
	if err != nil || inv.Has(inventory.SectionSoftwares) {
		t.Fatalf("unreadable dpkg status: %v %v", err, inv.Sections)
	}
}

func TestReadDMIIDPermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files of mode 0")
	}
	root := t.TempDir()
	fakeTree(t, root, map[string]string{"sys/class/dmi/id/sys_vendor": "LENOVO\n", "sys/class/dmi/id/product_serial": "PF12345\n"})
	if err := os.Chmod(filepath.Join(root, "sys/class/dmi/id/product_serial"), 0); err != nil {
		t.Fatal(err)
	}
	c := newCollector(context.Background(), Options{Root: root})
	d, err := c.readDMIID()
	if err != nil || d.BIOS.SystemManufacturer != "LENOVO" || d.BIOS.SystemSerial != "" {
		t.Fatalf("%+v %v", d, err)
	}
	if len(c.inv.Warnings) != 1 || !strings.Contains(c.inv.Warnings[0], "product_serial not readable without root") {
		t.Fatalf("warnings %q", c.inv.Warnings)
	}
}
