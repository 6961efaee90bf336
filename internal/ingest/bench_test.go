package ingest_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	"parc/internal/app"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/fusion"
	"parc/internal/inventory/inventorytest"
	"parc/internal/storetest"
)

// benchStore is SQLite, or PostgreSQL when PARC_BENCH_POSTGRES=1 and PARC_TEST_POSTGRES is set.
func benchStore(b *testing.B) *app.App {
	kind := "sqlite"
	if os.Getenv("PARC_BENCH_POSTGRES") == "1" {
		kind = "postgres"
	}
	a := app.New(storetest.OpenTest(b, kind), nil)
	if _, err := a.Bootstrap(context.Background(), "en"); err != nil {
		b.Fatal(err)
	}
	return a
}

// machine returns the fixture made into machine n, with extra packages to reach size.
func machine(b *testing.B, raw []byte, n, packages int) *inventory.Inventory {
	return machineOf(b, fusion.ParseInventory, raw, n, packages)
}

// machineOf is machine for a document of any protocol.
func machineOf(b *testing.B, parse func([]byte) (*inventory.Inventory, error), raw []byte, n, packages int) *inventory.Inventory {
	inv, err := parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	inv.DeviceID = fmt.Sprintf("bench-%d-2026-01-01-00-00-00", n)
	inv.Hardware.Name = fmt.Sprintf("bench-%d", n)
	inv.Hardware.UUID = fmt.Sprintf("00000000-0000-4000-8000-%012d", n+1)
	inv.BIOS.SystemSerial = fmt.Sprintf("BENCH%08d", n)
	for i := range inv.Networks {
		if inv.Networks[i].MAC != "" {
			inv.Networks[i].MAC = fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", i, (n>>16)&0xff, (n>>8)&0xff, n&0xff)
		}
	}
	for i := len(inv.Softwares); i < packages; i++ {
		inv.Softwares = append(inv.Softwares, inventory.Software{Name: fmt.Sprintf("bench-package-%d", i), Version: "1.0." + fmt.Sprint(i%7), Publisher: "bench"})
	}
	return inv
}

// The reference document is the FusionInventory agent's inventory of a
// Debian virtual machine (774 packages); the workstation's (1,231) is the "Large"
// variant, and either can be padded with generated packages.
const (
	fixture      = "fusioninventory-2.6-debian12-vm.xml"
	fixtureLarge = "fusioninventory-2.6-debian12.xml"
)

func benchIngest(b *testing.B, packages int, mode string) { benchIngestOf(b, fixture, packages, mode) }

func benchIngestOf(b *testing.B, file string, packages int, mode string) {
	benchIngestDoc(b, fusion.ParseInventory, inventorytest.Read(b, file), packages, mode)
}

func benchIngestDoc(b *testing.B, parse func([]byte) (*inventory.Inventory, error), raw []byte, packages int, mode string) {
	a := benchStore(b)
	s := a.Inventory
	ctx := context.Background()
	machine := func(b *testing.B, raw []byte, n, packages int) *inventory.Inventory {
		return machineOf(b, parse, raw, n, packages)
	}
	base := machine(b, raw, 0, packages)
	if mode != "new" {
		if _, err := s.Ingest(ctx, base, ingest.Meta{Raw: raw}); err != nil {
			b.Fatal(err)
		}
	}
	invs := make([]*inventory.Inventory, b.N)
	for i := range invs {
		switch mode {
		case "new":
			invs[i] = machine(b, raw, i+1, packages)
		case "unchanged":
			invs[i] = machine(b, raw, 0, packages)
		case "changed":
			// 5% of the packages get a new version, alternating between two states.
			inv := machine(b, raw, 0, packages)
			for j := 0; j < len(inv.Softwares)/20; j++ {
				k := (j*20 + i) % len(inv.Softwares)
				inv.Softwares[k].Version += fmt.Sprintf("+b%d", i%2)
			}
			invs[i] = inv
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuMS()
	for i := 0; i < b.N; i++ {
		if _, err := s.Ingest(ctx, invs[i], ingest.Meta{Raw: raw}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inventories/s")
	b.ReportMetric((cpuMS()-cpu0)/float64(b.N), "cpu-ms/op")
}

// cpuMS is the process's CPU time (user and system) in milliseconds: steadier than
// wall-clock time on a shared machine.
func cpuMS() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func BenchmarkIngestNewMachine(b *testing.B)         { benchIngest(b, 0, "new") }
func BenchmarkIngestUnchanged(b *testing.B)          { benchIngest(b, 0, "unchanged") }
func BenchmarkIngestFivePercentChanged(b *testing.B) { benchIngest(b, 0, "changed") }
func BenchmarkIngestNewMachine3000(b *testing.B)     { benchIngest(b, 3000, "new") }
func BenchmarkIngestUnchanged3000(b *testing.B)      { benchIngest(b, 3000, "unchanged") }
func BenchmarkIngestFivePercent3000(b *testing.B)    { benchIngest(b, 3000, "changed") }
func BenchmarkIngestNewMachineLarge(b *testing.B)    { benchIngestOf(b, fixtureLarge, 0, "new") }
func BenchmarkIngestUnchangedLarge(b *testing.B)     { benchIngestOf(b, fixtureLarge, 0, "unchanged") }

// BenchmarkParseFusion is the bare parse, for comparison with the unchanged re-inventory.
func BenchmarkParseFusion(b *testing.B) {
	raw := inventorytest.Read(b, fixture)
	b.ReportAllocs()
	cpu0 := cpuMS()
	for i := 0; i < b.N; i++ {
		if _, err := fusion.ParseInventory(raw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuMS()-cpu0)/float64(b.N), "cpu-ms/op")
}

// benchParallel sends new machines from 16 goroutines, as many
// agents do at once: concurrent inventories share commits.
func BenchmarkIngestNewMachineParallel(b *testing.B)      { benchParallel(b, fixture) }
func BenchmarkIngestNewMachineParallelLarge(b *testing.B) { benchParallel(b, fixtureLarge) }

func benchParallel(b *testing.B, file string) {
	a := benchStore(b)
	s := a.Inventory
	raw := inventorytest.Read(b, file)
	ctx := context.Background()
	invs := make([]*inventory.Inventory, b.N)
	for i := range invs {
		invs[i] = machine(b, raw, i+1, 0)
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	cpu0 := cpuMS()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if _, err := s.Ingest(ctx, invs[i], ingest.Meta{Raw: raw}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inventories/s")
	b.ReportMetric((cpuMS()-cpu0)/float64(b.N), "cpu-ms/op")
}
