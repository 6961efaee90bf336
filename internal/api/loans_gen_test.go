package api_test

import (
	"context"

	"parc/internal/record"
)

// loanInput names a new computer of org, made loan equipment when lendable (a
// reservation's asset must be).
// Without an organisation (the one-row CSV of an import, made before the import
// says where) there is no asset to name: a key that is no field keeps the import
// out of the matrix for these types.
func (g *recordGen) loanInput(org int64, lendable bool) record.Input {
	if org == 0 {
		return record.Input{"_needs_an_asset": true}
	}
	id, err := g.create(g.e.App.Reg.MustType("computers"), org, 1)
	if err != nil {
		g.e.T.Fatal(err)
	}
	if lendable {
		if _, err := g.e.App.Records.Create(context.Background(), g.e.Sys, g.e.App.Reg.MustType("loan-items"),
			record.Input{"pool": "gen", "asset_type": "computers", "asset_id": id}); err != nil {
			g.e.T.Fatal(err)
		}
	}
	return record.Input{"asset_type": "computers", "asset_id": id}
}
