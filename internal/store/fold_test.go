package store_test

import (
	"context"
	"strings"
	"testing"

	"parc/internal/store"
	"parc/internal/storetest"
)

// Both stores fold names alike (accents, ligatures, case), and a list ordered by
// the folded name reads the live-row index instead of sorting the table.
func TestFoldedNameSortUsesItsIndex(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		for in, want := range map[string]string{"Éditeur": "editeur", "ŒUVRE": "oeuvre", "Zoom": "zoom", "Straße": "strasse", "ÀÇÑ": "acn"} {
			if got := store.Fold(in); got != want {
				t.Errorf("Fold(%q) = %q, want %q", in, got, want)
			}
			var got string
			if err := db.QueryRowContext(ctx, "SELECT "+store.FoldFunc+"(?)", in).Scan(&got); err != nil || got != want {
				t.Errorf("%s(%q) in SQL = %q, %v; want %q", store.FoldFunc, in, got, err, want)
			}
		}
		q := "SELECT id FROM software WHERE deleted_at IS NULL AND (parc_fold(name), id) > (parc_fold(?), ?) ORDER BY parc_fold(name), id LIMIT 50"
		conn, err := db.W.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		plan := "EXPLAIN QUERY PLAN " + q
		if db.Dialect == store.Postgres {
			// A planner that sees an empty table scans it: say it is large.
			if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
			plan = "EXPLAIN " + store.Rebind(store.Postgres, q)
		}
		rows, err := conn.QueryContext(ctx, plan, "m", 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var text []string
		for rows.Next() {
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				switch x := v.(type) {
				case string:
					text = append(text, x)
				case []byte:
					text = append(text, string(x))
				}
			}
		}
		all := strings.Join(text, "\n")
		if !strings.Contains(all, "software_live_fold_name") || strings.Contains(all, "TEMP B-TREE") || strings.Contains(all, "Sort") {
			t.Errorf("plan does not read the folded index in order:\n%s", all)
		}
	})
}
