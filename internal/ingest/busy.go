package ingest

import "context"

// Busy runs fn, a CPU-heavy step of receiving an inventory (decompressing, parsing,
// hashing, preparing), within the store's bound on such work (store.DB.Busy), so
// that documents being parsed never starve SQLite's single writer.
func (s *Service) Busy(ctx context.Context, fn func() error) error {
	return s.App.DB.Busy(ctx, fn)
}
