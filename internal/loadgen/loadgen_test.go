package loadgen_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"parc/internal/agentserver"
	"parc/internal/app"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/loadgen"
	"parc/internal/storetest"
	"parc/internal/web"
)

func TestLoadGeneratorFillsTheStore(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a := app.New(storetest.OpenTest(t, kind), slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx := context.Background()
		if _, err := a.Bootstrap(ctx, "en"); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(web.New(a, i18n.MustLoad(), agentserver.New(a, ingest.New(a), agentserver.Options{Token: "s3cret"})))
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
