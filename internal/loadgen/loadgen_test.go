package loadgen_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

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
