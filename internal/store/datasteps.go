package store

import (
	"context"
	"fmt"
)

// DataStep is a migration step written in Go, for data SQL cannot compute alike on
// both dialects, or that follows a rule of the domain (how software versions are
// keyed, say): it runs after the SQL of the migration of its number, in its
// transaction. The packages that own the rule supply their steps through
// Config.DataSteps, so that the store imports no domain package.
type DataStep func(ctx context.Context, tx *Tx) error

// dataStepsExpected names the migrations that must be followed by a data step.
// Migrating without it is refused (instead of leaving the data stale), so that an
// opener that forgot Config.DataSteps fails on a store that needs the step.
var dataStepsExpected = map[int]string{
	13: "recompute the software version keys",
}

// dataStep returns the data step of migration version, if it has one, or the
// error of one expected but not supplied.
func (db *DB) dataStep(version int) (DataStep, error) {
	step := db.steps[version]
	if what, ok := dataStepsExpected[version]; ok && step == nil {
		return nil, fmt.Errorf("needs its data step (%s), which the store was opened without (store.Config.DataSteps)", what)
	}
	return step, nil
}
