package search

import (
	"context"

	"parc/internal/record"
	"parc/internal/store"
)

// backfilledKey is the setting that records that every existing record was indexed.
const backfilledKey = "search.backfilled"

// Backfill indexes the records written before the index existed (a store upgraded
// to migration 0007), once: later writes index themselves.
func Backfill(ctx context.Context, rec *record.Service) error {
	done, err := rec.Setting(ctx, rec.DB, backfilledKey)
	if err != nil || done != "" {
		return err
	}
	for _, kind := range Kinds {
		// Trashed records too: a restore does not write, so it would not index them.
		for _, trash := range []bool{false, true} {
			if err := backfillKind(ctx, rec, kind, trash); err != nil {
				return err
			}
		}
	}
	return rec.SetSetting(ctx, backfilledKey, "1")
}

// backfillKind indexes one type by batches of ids, each in its own transaction.
func backfillKind(ctx context.Context, rec *record.Service, kind string, trash bool) error {
	src := sources[kind]
	t := rec.Reg.MustType(kind)
	sys := record.SystemActor(&record.OrgTree{}, record.OriginJob)
	var last int64
	for {
		page, err := rec.List(ctx, sys, t, record.ListQuery{Sort: "id", Limit: record.MaxLimit, Trash: trash,
			Filters: []record.Filter{{Field: "id", Op: record.OpGt, Value: record.Format(last)}}})
		if err != nil {
			return err
		}
		if len(page.Records) == 0 {
			return nil
		}
		err = rec.DB.Tx(ctx, func(tx *store.Tx) error {
			for _, r := range page.Records {
				if err := upsert(ctx, tx, rec.DB, kind, src, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		last = page.Records[len(page.Records)-1].ID
	}
}
