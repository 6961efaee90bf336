package helpdesk

import (
	"context"

	"parc/internal/helpdesk/priority"
	"parc/internal/record"
	"parc/internal/store"
)

// MatrixKey is the setting holding the priority matrix; unset means GLPI's default.
// An organisation may have its own (record.OrgSettingKey), which its
// sub-organisations inherit.
const MatrixKey = "helpdesk.priority_matrix"

// Matrix is the priority matrix in force for an organisation and where it comes from.
type Matrix struct {
	priority.Matrix
	record.OrgValue
}

// LoadMatrix reads the priority matrix in force for the tickets of an organisation:
// its own, the nearest ancestor's, or the instance-wide one (0: the instance-wide).
func LoadMatrix(ctx context.Context, s *record.Service, q store.Querier, org int64) (Matrix, error) {
	v, err := s.OrgSetting(ctx, q, MatrixKey, org)
	if err != nil {
		return Matrix{}, err
	}
	if v.Value == "" {
		return Matrix{priority.Default(), v}, nil
	}
	m, err := priority.Parse(v.Value)
	return Matrix{m, v}, err
}

// SaveMatrix stores an organisation's own matrix (the root's is the instance-wide
// one); it applies to the tickets of the organisation and of the sub-organisations
// without their own, written from now on, whose impact or urgency is then recomputed.
func SaveMatrix(ctx context.Context, s *record.Service, org, root int64, m priority.Matrix) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.SetSetting(ctx, record.OrgSettingKey(MatrixKey, org, root), m.String())
}

// DeleteMatrix removes an organisation's own matrix: it inherits again.
func DeleteMatrix(ctx context.Context, s *record.Service, org, root int64) error {
	return s.DeleteSetting(ctx, record.OrgSettingKey(MatrixKey, org, root))
}
