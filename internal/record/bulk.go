package record

import (
	"context"

	"parc/internal/store"
)

// MaxBulk is the most records one bulk update may touch.
const MaxBulk = 1000

// BulkUpdate applies the same values to every listed record in one transaction:
// either all change or none does. The error names the first record refused.
func (s *Service) BulkUpdate(ctx context.Context, a *Actor, t *Type, ids []int64, in Input) (int, error) {
	if len(ids) == 0 {
		return 0, E(CodeInvalid, "err.bulk_empty")
	}
	if len(ids) > MaxBulk {
		return 0, E(CodeInvalid, "err.bulk_too_many", MaxBulk)
	}
	if len(in) == 0 {
		return 0, E(CodeInvalid, "err.bulk_no_values")
	}
	if _, ok := in["version"]; ok {
		delete(in, "version")
	}
	n := 0
	err := s.DB.Tx(ctx, func(tx *store.Tx) error {
		n = 0
		seen := map[int64]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			if _, err := s.UpdateTx(ctx, tx, a, t, id, in); err != nil {
				if e, ok := AsError(err); ok {
					return &Error{Code: e.Code, Msg: Msg{Key: "err.bulk_failed", Args: []any{id}}, Fields: e.Fields}
				}
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, s.mapDBError(t, err)
	}
	return n, nil
}
