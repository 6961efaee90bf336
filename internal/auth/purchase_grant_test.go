package auth_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"parc/internal/storetest"
)

// TestProfilesOfOlderStoresGetPurchasing: migration 0035's grants, run on the
// built-in profiles as a store made before purchasing has them, give the rights
// a new store gives: technicians work on requests, orders and lines;
// administrators and supervisors approve requests. The statements are the
// migration's own, read from its file.
func TestProfilesOfOlderStoresGetPurchasing(t *testing.T) {
	src, err := os.ReadFile("../store/migrations/0035_purchasing.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, grants, ok := strings.Cut(string(src), "-- Profiles of stores created before purchasing")
	if !ok {
		t.Fatal("migration 0035 has no grants section")
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, _ := setup(t, kind)
		ctx := context.Background()
		read := func(name string) map[string][]string {
			var rights string
			if err := a.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = ?", name).Scan(&rights); err != nil {
				t.Fatal(err)
			}
			var m map[string][]string
			if err := json.Unmarshal([]byte(rights), &m); err != nil {
				t.Fatalf("%s: %v: %s", name, err, rights)
			}
			return m
		}
		want := map[string]map[string][]string{}
		for _, name := range []string{"technician", "admin", "super-admin", "supervisor"} {
			m := read(name)
			want[name] = map[string][]string{}
			for _, typ := range []string{"purchase-requests", "purchase-orders", "purchase-order-lines"} {
				if v, ok := m[typ]; ok {
					want[name][typ] = v
				}
				delete(m, typ)
			}
			old, _ := json.Marshal(m)
			if _, err := a.DB.Exec(ctx, "UPDATE profiles SET rights = ? WHERE name = ?", string(old), name); err != nil {
				t.Fatal(err)
			}
		}
		var lines []string
		for _, line := range strings.Split("--"+grants, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
				lines = append(lines, l)
			}
		}
		for _, stmt := range strings.Split(strings.Join(lines, " "), ";") {
			if strings.TrimSpace(stmt) != "" {
				if _, err := a.DB.Exec(ctx, stmt); err != nil {
					t.Fatal(err)
				}
			}
		}
		for name, w := range want {
			m := read(name)
			for typ, acts := range w {
				got := slices.Clone(m[typ])
				slices.Sort(got)
				acts = slices.Clone(acts)
				slices.Sort(acts)
				if !slices.Equal(got, acts) {
					t.Errorf("%s %s: %v after the migration, %v in a new store", name, typ, m[typ], acts)
				}
			}
		}
	})
}
