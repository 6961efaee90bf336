package loadgen_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"parc/internal/agentserver"
	"parc/internal/app"
	"parc/internal/inventory/inventorytest"
	"parc/internal/loadgen"
	"parc/internal/storetest"
)

func TestLoadGeneratorFillsTheStore(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, err := app.Build(storetest.OpenTest(t, kind), app.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AgentToken: "s3cret"})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := a.Bootstrap(ctx, "en"); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.HTTP())
		defer srv.Close()
		rep, err := loadgen.Run(ctx, loadgen.Options{Server: srv.URL, Token: "s3cret", Agents: 6, Duration: time.Second, Packages: 40, Changed: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed != 0 || rep.New.Count != 6 || rep.Again.Count == 0 {
			t.Fatalf("report %+v", rep)
		}
		var computers, installs int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM computers").Scan(&computers)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM software_installations").Scan(&installs)
		if computers != 6 || installs != 6*40 {
			t.Fatalf("%d computers and %d installations, want 6 and 240", computers, installs)
		}
		// A wrong token is counted as a failure, not a success.
		bad, _ := loadgen.Run(ctx, loadgen.Options{Server: srv.URL, Token: "wrong", Agents: 1, Duration: 0, Packages: 1})
		if bad == nil || bad.Failed == 0 {
			t.Fatalf("wrong token: %+v", bad)
		}
	})
}

// TestFusionDocumentsAreDistinctMachines: the real agent's document, varied per
// machine, gives one computer per simulated machine with all the agent's packages,
// and changed re-inventories change versions, never the machine count.
func TestFusionDocumentsAreDistinctMachines(t *testing.T) {
	f, err := loadgen.NewFusion(inventorytest.Read(t, "fusioninventory-2.6-debian12.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Packages() < 1000 {
		t.Fatalf("%d packages in the fixture", f.Packages())
	}
	if bytes.Equal(f.Document(1, 0, 0), f.Document(2, 0, 0)) || !bytes.Equal(f.Document(1, 0, 0.05), f.Document(1, 2, 0.05)) ||
		bytes.Equal(f.Document(1, 0, 0.05), f.Document(1, 1, 0.05)) {
		t.Fatal("documents do not vary by machine and by changed re-inventory as they should")
	}
	if _, err := loadgen.NewFusion([]byte("<REQUEST><QUERY>PROLOG</QUERY></REQUEST>")); err == nil {
		t.Fatal("a PROLOG accepted as an inventory template")
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a := app.New(storetest.OpenTest(t, kind), slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx := context.Background()
		if _, err := a.Bootstrap(ctx, "en"); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.HTTP())
		defer srv.Close()
		rep, err := loadgen.Run(ctx, loadgen.Options{Server: srv.URL, Agents: 3, Duration: time.Second, Changed: 0.05, Fusion: f})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed != 0 || rep.New.Count != 3 || rep.Again.Count == 0 {
			t.Fatalf("report %+v", rep)
		}
		var computers, installs, bumped int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM computers").Scan(&computers)
		a.DB.R.QueryRow("SELECT COUNT(*) FROM software_installations").Scan(&installs)
		// A machine's last inventory may be one without the bump: the history keeps it.
		a.DB.R.QueryRow("SELECT COUNT(*) FROM history WHERE field = 'software' AND new_value LIKE '%+u1' AND origin = 'inventory'").Scan(&bumped)
		if computers != 3 || installs < 3*1000 {
			t.Fatalf("%d computers and %d installations", computers, installs)
		}
		if bumped == 0 && rep.Again.Count >= 3 {
			t.Errorf("no version change in the history after %d re-inventories", rep.Again.Count)
		}
	})
}

// BenchmarkFusionNewMachinesHTTP: b.N new machines sent as the real agent's document
// by 64 concurrent simulated agents to a server in this process, load generator
// included (so its profile shows where the whole path spends its time).
func BenchmarkFusionNewMachinesHTTP(b *testing.B) {
	a := app.New(storetest.OpenTest(b, "sqlite"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		b.Fatal(err)
	}
	f, err := loadgen.NewFusion(inventorytest.Read(b, "fusioninventory-2.6-debian12.xml"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.HTTP())
	defer srv.Close()
	b.ResetTimer()
	rep, err := loadgen.Run(ctx, loadgen.Options{Server: srv.URL, Agents: b.N, Fusion: f})
	if err != nil || rep.Failed != 0 {
		b.Fatalf("%v %+v", err, rep)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inventories/s")
}

// BenchmarkHTTPNewMachines and BenchmarkHTTPUnchanged compare the XML and JSON paths
// end to end (decompression, parse, store) on one document: the real agent's
// inventory of the Debian virtual machine (774 packages), as FusionInventory sends it
// (XML) and as GLPI Agent sends it (JSON, see inventorytest.GLPIJSON), zlib-compressed,
// one request at a time. The documents are made before the timer starts.
func BenchmarkHTTPNewMachines(b *testing.B) {
	b.Run("xml", func(b *testing.B) { benchHTTP(b, false, false) })
	b.Run("json", func(b *testing.B) { benchHTTP(b, true, false) })
}

func BenchmarkHTTPUnchanged(b *testing.B) {
	b.Run("xml", func(b *testing.B) { benchHTTP(b, false, true) })
	b.Run("json", func(b *testing.B) { benchHTTP(b, true, true) })
}

func benchHTTP(b *testing.B, json, unchanged bool) {
	a := app.New(storetest.OpenTest(b, "sqlite"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		b.Fatal(err)
	}
	f, err := loadgen.NewFusion(inventorytest.Read(b, "fusioninventory-2.6-debian12-vm.xml"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.HTTP())
	defer srv.Close()
	doc := func(n int) []byte {
		d := f.Document(n, 0, 0)
		if json {
			d = inventorytest.GLPIJSON(b, d)
		}
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(d)
		w.Close()
		return z.Bytes()
	}
	send := func(n int, body []byte) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+agentserver.PathGLPI, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-compress-zlib")
		if json { // each machine's agent has its own id
			req.Header.Set("GLPI-Agent-ID", fmt.Sprintf("3a609a2e-947f-4e6a-9af9-%012d", n))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	docs := make([][]byte, b.N)
	for i := range docs {
		if unchanged {
			if i == 0 {
				docs[0] = doc(1)
				send(1, docs[0])
			} else {
				docs[i] = docs[0]
			}
			continue
		}
		docs[i] = doc(i + 1)
	}
	b.ResetTimer()
	cpu0 := cpuMS()
	for i := range docs {
		n := i + 1
		if unchanged {
			n = 1
		}
		send(n, docs[i])
	}
	if want := b.N; !unchanged {
		var got int
		if err := a.DB.R.QueryRow("SELECT COUNT(*) FROM computers").Scan(&got); err != nil || got != want {
			b.Fatalf("%d computers stored for %d new machines (%v)", got, want, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inventories/s")
	b.ReportMetric((cpuMS()-cpu0)/float64(b.N), "cpu-ms/op")
}

// cpuMS is the process's CPU time in milliseconds: steadier than wall-clock time on a
// shared machine.
func cpuMS() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}
