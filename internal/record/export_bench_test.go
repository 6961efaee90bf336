package record_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/storetest"
)

// BenchmarkExport times the export of every computer of a store, as a workbook
// and as a CSV file, and reports the memory it takes: peak-MiB is how far the
// process's resident memory peaked (VmHWM, reset before the export) above what
// it held before, alloc-MiB what the export allocated. PARC_EXPORT_ROWS sets the
// number of computers (100,000; docs/exports.md).
//
//	go test -run XXX -bench Export -benchtime 1x ./internal/record/
func BenchmarkExport(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("PARC_EXPORT_ROWS")); err == nil && v > 0 {
		n = v
	}
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) { benchExport(b, kind, n) })
	}
}

func benchExport(b *testing.B, kind string, n int) {
	{
		a, sys := newApp(b, kind)
		ctx := context.Background()
		seedComputers(b, a.DB, sys.Tree.Root, n)
		comp := a.Reg.MustType("computers")
		st := record.Style{Lang: "fr", Tr: a.Cat, Dates: "02/01/2006", DateTimes: "02/01/2006 15:04", DecimalComma: true, Cents: true, Sep: ';'}
		for _, format := range []string{"xlsx", "csv"} {
			b.Run(format, func(b *testing.B) {
				var size int64
				var peak, allocs float64
				for b.Loop() {
					runtime.GC()
					debug.FreeOSMemory()
					before := resetPeak(b)
					var ms0, ms1 runtime.MemStats
					runtime.ReadMemStats(&ms0)
					w := &countingWriter{}
					var err error
					if format == "xlsx" {
						err = a.Records.ExportXLSX(ctx, sys, comp, record.ListQuery{}, w, st)
					} else {
						err = a.Records.ExportCSV(ctx, sys, comp, record.ListQuery{}, w, st)
					}
					if err != nil {
						b.Fatal(err)
					}
					runtime.ReadMemStats(&ms1)
					size = w.n
					peak = max(peak, float64(procStatus(b, "VmHWM")-before)/(1<<20))
					allocs = float64(ms1.TotalAlloc-ms0.TotalAlloc) / (1 << 20)
				}
				b.ReportMetric(peak, "peak-MiB")
				b.ReportMetric(allocs, "alloc-MiB")
				b.ReportMetric(float64(size)/(1<<20), "file-MiB")
			})
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// resetPeak resets the process's peak resident memory to its current one
// (Linux: clear_refs 5) and returns the current one, in bytes.
func resetPeak(b *testing.B) int64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak resident memory: %v", err)
	}
	return procStatus(b, "VmRSS")
}

func procStatus(b *testing.B, key string) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	b.Skipf("no %s", key)
	return 0
}

// seedComputers inserts n computers with the fields a fleet fills, in batches.
func seedComputers(b *testing.B, db *store.DB, org int64, n int) {
	ctx := context.Background()
	now := time.Now().UTC()
	const cols = 12
	for from := 0; from < n; from += 1000 {
		k := min(1000, n-from)
		args := make([]any, 0, k*cols)
		for i := from; i < from+k; i++ {
			s := strconv.Itoa(i)
			args = append(args, org, "PC-BENCH-"+s, "INV-"+s, "SN-"+s, "2024-03-31", 999.99, 16384, "10.0."+strconv.Itoa(i%250)+"."+strconv.Itoa(i/250%250),
				"Windows 11 Professionnel", 1, now, now)
		}
		err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO computers (organization_id, name, inventory_number, serial, purchase_date, purchase_price, memory_mb, primary_ip, os_name, version, created_at, updated_at) VALUES "+
				store.Rows(k, cols), args...)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
