package cost_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"parc/internal/core"
	"parc/internal/cost"
	"parc/internal/store"
	"parc/internal/storetest"
)

// BenchmarkAssetTCO works out the total cost of ownership of one computer, as
// GET /api/v1/computers/{id}/costs does, in a store of PARC_TCO_ASSETS
// computers (default 20,000), each with two tickets of three tasks, covered by
// contracts of 50 computers each, with a part issued to it and one to each of
// its tickets, and 40 technicians with rates of their own or of their group.
func BenchmarkAssetTCO(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("PARC_TCO_ASSETS")); err == nil && v > 0 {
		n = v
	}
	for _, kind := range storetest.TestStores() {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.OpenTest(b, kind)
			c := core.New(db, nil)
			if _, err := c.Bootstrap(ctx, "fr"); err != nil {
				b.Fatal(err)
			}
			sys, err := c.System(ctx, "cli")
			if err != nil {
				b.Fatal(err)
			}
			org := sys.Tree.Root
			now := time.Date(2025, 7, 2, 12, 0, 0, 0, time.UTC)
			c.Records.Now = func() time.Time { return now }
			insert := func(table, cols string, ncols, rows int, row func(i int) []any) {
				const batch = 500
				for done := 0; done < rows; done += batch {
					k := min(batch, rows-done)
					args := make([]any, 0, k*ncols)
					for i := 0; i < k; i++ {
						args = append(args, row(done+i)...)
					}
					if err := db.Tx(ctx, func(tx *store.Tx) error {
						_, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+cols+") VALUES "+store.Rows(k, ncols), args...)
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
			}
			meta := []any{1, now, now}
			insert("computers", "organization_id, name, purchase_price, purchase_date, version, created_at, updated_at", 7, n, func(i int) []any {
				return append([]any{org, fmt.Sprintf("PC-%06d", i), 800, "2023-03-01"}, meta...)
			})
			const techs = 40
			insert("users", "organization_id, login, version, created_at, updated_at", 5, techs, func(i int) []any {
				return append([]any{org, fmt.Sprintf("tech%02d", i)}, meta...)
			})
			insert("groups", "organization_id, name, version, created_at, updated_at", 5, 4, func(i int) []any {
				return append([]any{org, fmt.Sprintf("N%d", i)}, meta...)
			})
			var firstUser, firstGroup, firstPC int64
			db.QueryRowContext(ctx, "SELECT MIN(id) FROM users WHERE login LIKE 'tech%'").Scan(&firstUser)
			db.QueryRowContext(ctx, "SELECT MIN(id) FROM groups").Scan(&firstGroup)
			db.QueryRowContext(ctx, "SELECT MIN(id) FROM computers").Scan(&firstPC)
			insert("group_members", "organization_id, group_id, user_id, version, created_at, updated_at", 6, techs, func(i int) []any {
				return append([]any{org, firstGroup + int64(i%4), firstUser + int64(i)}, meta...)
			})
			insert("hourly_rates", "organization_id, name, user_id, group_id, rate, version, created_at, updated_at", 8, 24, func(i int) []any {
				if i < 20 {
					return append([]any{org, fmt.Sprintf("R%d", i), firstUser + int64(i), nil, 40 + i}, meta...)
				}
				return append([]any{org, fmt.Sprintf("G%d", i), nil, firstGroup + int64(i-20), 45}, meta...)
			})
			contracts := n / 50
			insert("contracts", "organization_id, number, name, kind, start_date, duration_months, end_date, renewal, cost, cost_period, version, created_at, updated_at", 13, contracts, func(i int) []any {
				return append([]any{org, fmt.Sprintf("C-%05d", i), "Maintenance", "maintenance", "2024-01-01", 24, "2025-12-31", "explicit", 1200, "yearly"}, meta...)
			})
			var firstContract int64
			db.QueryRowContext(ctx, "SELECT MIN(id) FROM contracts").Scan(&firstContract)
			insert("contract_assets", "organization_id, contract_id, item_type, item_id, version, created_at, updated_at", 7, n, func(i int) []any {
				return append([]any{org, firstContract + int64(i/50), "computers", firstPC + int64(i)}, meta...)
			})
			insert("tickets", "organization_id, title, version, created_at, updated_at", 5, 2*n, func(i int) []any {
				return append([]any{org, fmt.Sprintf("Ticket %d", i)}, meta...)
			})
			var firstTicket int64
			db.QueryRowContext(ctx, "SELECT MIN(id) FROM tickets").Scan(&firstTicket)
			insert("ticket_items", "organization_id, ticket_id, item_type, item_id, version, created_at, updated_at", 7, 2*n, func(i int) []any {
				return append([]any{org, firstTicket + int64(i), "computers", firstPC + int64(i/2)}, meta...)
			})
			insert("ticket_tasks", "organization_id, ticket_id, content, user_id, duration_minutes, planned_start, version, created_at, updated_at", 9, 6*n, func(i int) []any {
				return append([]any{org, firstTicket + int64(i/3), "work", firstUser + int64(i%techs), 30 + i%90, now.AddDate(0, -i%18, 0)}, meta...)
			})
			insert("stock_items", "organization_id, name, category, unit_cost, version, created_at, updated_at", 7, 10, func(i int) []any {
				return append([]any{org, fmt.Sprintf("Part %d", i), "other", 10 + i}, meta...)
			})
			var firstItem int64
			db.QueryRowContext(ctx, "SELECT MIN(id) FROM stock_items").Scan(&firstItem)
			insert("stock_movements", "organization_id, stock_item_id, kind, quantity, asset_type, asset_id, ticket_id, unit_cost, version, created_at, updated_at", 11, 3*n, func(i int) []any {
				if i < n {
					return append([]any{org, firstItem + int64(i%10), "issued", 1, "computers", firstPC + int64(i), nil, 15}, meta...)
				}
				return append([]any{org, firstItem + int64(i%10), "issued", 1, nil, nil, firstTicket + int64(i-n), 12}, meta...)
			})
			if kind == "postgres" {
				db.Maintain(ctx, "ANALYZE")
			}
			s := cost.NewService(c.Records)
			pc := firstPC + int64(n/2)
			tc, err := s.Asset(ctx, sys, "computers", pc)
			if err != nil {
				b.Fatal(err)
			}
			if tc.Labour == 0 || tc.Contracts == 0 || tc.Parts == 0 || tc.Purchase != 800 {
				b.Fatalf("unexpected costs: %+v", tc)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Asset(ctx, sys, "computers", firstPC+int64(i%n)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
