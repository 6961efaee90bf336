package bench_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"parc/internal/bench"
	"parc/internal/storetest"
)

// TestPagesRun runs `parc bench pages` at a small size: every page answers 200
// to the signed-in technician and administrator, and the table lists them.
func TestPagesRun(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		res, err := bench.RunPages(context.Background(), storetest.TestConfig(t, kind), bench.PagesOptions{Assets: 200, Tickets: 300, Requests: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Assets < 200 || res.Tickets != 300 || len(res.Pages) < 11 {
			t.Fatalf("%d computers, %d tickets, %d pages", res.Assets, res.Tickets, len(res.Pages))
		}
		var out bytes.Buffer
		res.Print(&out)
		for _, want := range []string{"home page (technician)", "home page (administrator, whole store)", "notifications", "search: 4521", "search: imprimante bourrage", "median <= 50.0 ms"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, out.String())
			}
		}
	})
}
