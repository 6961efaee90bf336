package dashboard

import (
	"context"
	"time"

	"parc/internal/record"
)

// ContractDays is how far ahead contracts' notice deadlines and ends are counted.
const ContractDays = 60

// Contracts counts the live contracts the actor reads whose notice deadline, and
// those whose end, falls within ContractDays from today (nil when the actor reads
// no contract).
func (s *Service) Contracts(ctx context.Context, a *record.Actor, now time.Time, loc *time.Location) ([]Block, error) {
	t, ok := s.Rec.Reg.Type("contracts")
	if !ok || !a.Can(t, record.Read) {
		return nil, nil
	}
	today := dayStart(now, loc)
	from, to := today.Format("2006-01-02"), today.AddDate(0, 0, ContractDays).Format("2006-01-02")
	var out []Block
	for _, c := range []struct{ key, col string }{{"contracts_notice", "notice_date"}, {"contracts_ending", "end_date"}} {
		b, err := s.block(ctx, a, Block{Key: c.key, Type: "contracts", Filters: []string{c.col + ":gte:" + from, c.col + ":lte:" + to}, Sort: c.col},
			"contracts", "deleted_at IS NULL AND "+c.col+" >= ? AND "+c.col+" <= ?", from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
