package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"parc/internal/store"
	"parc/internal/storetest"
)

// The names migration 0028 sorts folded are read in order from its indexes, the
// plain list and a technician's (one organisation), on both stores.
func TestMoreFoldedSortsUseTheirIndexes(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		db := storetest.OpenTest(t, kind)
		ctx := context.Background()
		conn, err := db.W.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if db.Dialect == store.Postgres {
			// A planner that sees an empty table scans it: say it is large.
			if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			table, column string
			org           bool
		}{
			{"canned_responses", "name", false}, {"sla_levels", "name", false}, {"ticket_templates", "name", false},
			{"inventory_rules", "name", false}, {"software_rules", "name", false}, {"kb_articles", "title", false},
			{"kb_articles", "title", true}, {"users", "lastname", false}, {"users", "lastname", true}, {"users", "firstname", false},
		} {
			if !store.FoldedSort(c.table, c.column) {
				t.Errorf("%s.%s does not sort folded", c.table, c.column)
			}
			where, args, index := "", []any{"m", 1}, c.table+"_live_fold_"+c.column
			if c.org {
				where, args, index = " AND organization_id = ?", []any{1, "m", 1}, c.table+"_live_org_fold_"+c.column
			}
			key := "parc_fold(" + c.column + ")"
			q := "SELECT id FROM " + c.table + " WHERE deleted_at IS NULL" + where + " AND (" + key + ", id) > (parc_fold(?), ?) ORDER BY " + key + ", id LIMIT 50"
			plan := "EXPLAIN QUERY PLAN " + q
			if db.Dialect == store.Postgres {
				plan = "EXPLAIN " + store.Rebind(store.Postgres, q)
			}
			all := planText(t, conn, plan, args)
			if !strings.Contains(all, index) || strings.Contains(all, "TEMP B-TREE") || strings.Contains(all, "Sort") {
				t.Errorf("%s.%s (org %v): the plan does not read %s in order:\n%s", c.table, c.column, c.org, index, all)
			}
		}
	})
}

func planText(t *testing.T, conn interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, args []any) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q, args...)
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
	return strings.Join(text, "\n")
}
