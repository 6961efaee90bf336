//go:build linux

package agent

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
)

// TestCollectThisMachine runs the collector on the machine the tests run on.
func TestCollectThisMachine(t *testing.T) {
	start := time.Now()
	inv, err := Collect(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("collected in %s: sections %v, %d packages, warnings %q", time.Since(start), inv.Sections, len(inv.Softwares), inv.Warnings)

	host, _ := os.Hostname()
	if short, _, _ := strings.Cut(host, "."); inv.Hardware.Name != short {
		t.Errorf("hostname %q, want %q", inv.Hardware.Name, short)
	}
	if len(inv.CPUs) == 0 || inv.CPUs[0].Cores <= 0 || inv.CPUs[0].Model == "" {
		t.Errorf("cpus %+v", inv.CPUs)
	}
	if inv.Hardware.MemoryMB <= 0 {
		t.Errorf("memory %d MB", inv.Hardware.MemoryMB)
	}
	if len(inv.Volumes) == 0 || inv.Volumes[0].TotalMB <= 0 {
		t.Errorf("volumes %+v", inv.Volumes)
	}
	var nic *inventory.Network
	for i, n := range inv.Networks {
		if n.Type != "loopback" && n.MAC != "" {
			nic = &inv.Networks[i]
			break
		}
	}
	if nic == nil {
		t.Errorf("no interface with a MAC: %+v", inv.Networks)
	}
	rel, err := os.ReadFile("/etc/os-release")
	if err != nil {
		t.Fatal(err)
	}
	if name := keyValues(rel)["NAME"]; inv.OS.Name != name || name == "" {
		t.Errorf("OS name %q, /etc/os-release says %q", inv.OS.Name, name)
	}
	if inv.OS.Kernel == "" || inv.OS.Arch == "" || inv.OS.BootTime == "" {
		t.Errorf("os %+v", inv.OS)
	}
	for _, s := range []inventory.Section{inventory.SectionHardware, inventory.SectionOS, inventory.SectionCPUs,
		inventory.SectionVolumes, inventory.SectionNetworks, inventory.SectionLocalUsers} {
		if !inv.Has(s) {
			t.Errorf("section %s not reported", s)
		}
	}
	if _, err := os.Stat("/var/lib/dpkg/status"); err == nil {
		i := slices.IndexFunc(inv.Softwares, func(s inventory.Software) bool { return s.Name == "dpkg" })
		if len(inv.Softwares) <= 100 || i < 0 || inv.Softwares[i].Version == "" || inv.Softwares[i].Source != "deb" {
			t.Errorf("%d packages, dpkg at %d", len(inv.Softwares), i)
		}
	}
	inv.DeviceID = NewDeviceID(inv.Hardware.Name, time.Now())
	if err := inv.Validate(); err != nil {
		t.Error(err)
	}
}

// TestAgreesWithFusionInventory compares the collector with what FusionInventory's
// agent reports on this machine right now, when it is installed.
func TestAgreesWithFusionInventory(t *testing.T) {
	bin, err := exec.LookPath("fusioninventory-agent")
	if err != nil {
		t.Skip("fusioninventory-agent is not installed")
	}
	if testing.Short() {
		t.Skip("runs fusioninventory-agent (a few seconds)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "empty.conf") // the agent refuses /dev/null as --conf-file
	if err := os.WriteFile(conf, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--conf-file="+conf, "--local", dir, "--tasks=inventory",
		"--no-category=process,environment,software")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fusioninventory-agent: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.ocs"))
	if len(files) != 1 {
		t.Fatalf("fusioninventory-agent wrote %v", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	fi, err := fusion.ParseInventory(data)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Collect(context.Background(), Options{NoSoftware: true})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Hardware.Name != fi.Hardware.Name {
		t.Errorf("hostname: parc %q, fusion %q", inv.Hardware.Name, fi.Hardware.Name)
	}
	if inv.Processor() != fi.Processor() {
		t.Errorf("processor: parc %q, fusion %q", inv.Processor(), fi.Processor())
	}
	if a, b := float64(inv.Hardware.MemoryMB), float64(fi.Hardware.MemoryMB); a < b*0.95 || a > b*1.05 {
		t.Errorf("memory: parc %v MB, fusion %v MB", a, b)
	}
	if a, b := inv.MACs(), fi.MACs(); !slices.Equal(a, b) {
		t.Errorf("MACs: parc %v, fusion %v", a, b)
	}
	if inv.OS.Name != fi.OS.Name || inv.OSName() != fi.OSName() {
		t.Errorf("OS: parc %q / %q, fusion %q / %q", inv.OS.Name, inv.OSName(), fi.OS.Name, fi.OSName())
	}
	if inv.OS.Kernel != fi.OS.Kernel || inv.OS.Version != fi.OS.Version {
		t.Errorf("kernel, version: parc %q %q, fusion %q %q", inv.OS.Kernel, inv.OS.Version, fi.OS.Kernel, fi.OS.Version)
	}
	if inv.PrimaryIP() != fi.PrimaryIP() || inv.Hardware.DefaultGateway != fi.Hardware.DefaultGateway {
		t.Errorf("primary IP, gateway: parc %q %q, fusion %q %q", inv.PrimaryIP(), inv.Hardware.DefaultGateway, fi.PrimaryIP(), fi.Hardware.DefaultGateway)
	}
	if inv.Serial() != fi.Serial() || !strings.EqualFold(inv.Hardware.UUID, fi.Hardware.UUID) {
		t.Errorf("serial, uuid: parc %q %q, fusion %q %q", inv.Serial(), inv.Hardware.UUID, fi.Serial(), fi.Hardware.UUID)
	}
	if iv, fv := inv.Summary().IsVirtual, fi.Summary().IsVirtual; iv != fv {
		t.Errorf("virtual: parc %v (%s), fusion %v (%s)", iv, inv.Hardware.VMSystem, fv, fi.Hardware.VMSystem)
	}
	t.Logf("fusion %s: %s, %s, %d MB, %v; parc: %s, %d MB, %s", fi.Agent.Version, fi.Hardware.Name, fi.Processor(),
		fi.Hardware.MemoryMB, fi.MACs(), inv.Processor(), inv.Hardware.MemoryMB, inv.Hardware.VMSystem)
}

// BenchmarkCollect measures one collection of this machine.
func BenchmarkCollect(b *testing.B) {
	for _, opts := range []struct {
		name string
		o    Options
	}{{"full", Options{}}, {"no-software", Options{NoSoftware: true}}} {
		b.Run(opts.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Collect(context.Background(), opts.o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
