package bench_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"parc/internal/bench"
	"parc/internal/storetest"
)

// TestRenewalRun runs `parc bench renewal` at a small size: every case answers
// 200 and the table lists them against the target.
func TestRenewalRun(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		res, err := bench.RunRenewal(context.Background(), storetest.TestConfig(t, kind), bench.RenewalOptions{Assets: 300, Requests: 2})
		if err != nil {
			t.Fatal(err)
		}
		if res.Assets < 300 || len(res.Cases) != 4 {
			t.Fatalf("%d computers, %d cases", res.Assets, len(res.Cases))
		}
		var out bytes.Buffer
		res.Print(&out)
		for _, want := range []string{"renewal API (whole store)", "renewal page (technician's organisation)", "median <= 1000.0 ms"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, out.String())
			}
		}
	})
}
