package helpdesk

import (
	"context"

	"parc/internal/helpdesk/priority"
	"parc/internal/record"
	"parc/internal/store"
)

// MatrixKey is the setting holding the priority matrix; unset means GLPI's default.
const MatrixKey = "helpdesk.priority_matrix"

// LoadMatrix reads the priority matrix in force.
func LoadMatrix(ctx context.Context, s *record.Service, q store.Querier) (priority.Matrix, error) {
	v, err := s.Setting(ctx, q, MatrixKey)
	if err != nil || v == "" {
		return priority.Default(), err
	}
	return priority.Parse(v)
}

// SaveMatrix stores a new matrix; it applies to tickets written from now on, whose
// impact or urgency is then recomputed.
func SaveMatrix(ctx context.Context, s *record.Service, m priority.Matrix) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.SetSetting(ctx, MatrixKey, m.String())
}
