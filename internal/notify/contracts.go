package notify

import (
	"context"

	"parc/internal/record"
	"parc/internal/store"
)

// ContractNotice records an in-app notification of a contract's alert
// (contract_notice, contract_end) for each user, in the caller's transaction.
func (s *Service) ContractNotice(ctx context.Context, tx *store.Tx, users []int64, contractID int64, event string) error {
	now := s.Rec.Now()
	for _, id := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, organization_id, contract_id, event, created_at)
			SELECT ?, organization_id, id, ?, ? FROM contracts WHERE id = ?`, id, event, now, contractID); err != nil {
			return err
		}
	}
	return nil
}

// contractVisible is the condition for a notification about a contract: the
// contract is live and within the actor's read scope.
func (s *Service) contractVisible(a *record.Actor) (string, []any, bool) {
	t, ok := s.Rec.Reg.Type("contracts")
	if !ok {
		return "", nil, false
	}
	sc, args, ok := s.Rec.ScopeSQL(a, t, record.Read)
	if !ok {
		return "", nil, false
	}
	return "EXISTS (SELECT 1 FROM contracts WHERE id = n.contract_id AND deleted_at IS NULL AND " + sc + ")", args, true
}
