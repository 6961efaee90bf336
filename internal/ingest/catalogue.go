package ingest

import (
	"context"
	"sync"

	"parc/internal/store"
)

// maxCached bounds the catalogue keys kept in memory (a few MB).
const maxCached = 200_000

// catalogueCache keeps the software ids of catalogue keys between inventories: a new
// machine's thousand packages are nearly all known, and looking them up was half of
// the work done before its transaction (profile of 300 new machines: 0.98 of 1.83 s). The store's catalogue version moves when
// an entry changes its key or is deleted (migration 0014); the cache is then dropped.
// Ids are only ever taken from the cache before a transaction: one deleted meanwhile
// makes the transaction fail on its foreign key, and ingest runs again without them.
type catalogueCache struct {
	mu      sync.Mutex
	version int64
	ids     map[swKey]int64
}

// fill sets the ids the cache knows in keys, and reads the others on q, keeping what
// it finds.
func (c *catalogueCache) fill(ctx context.Context, q store.Querier, db *store.DB, keys map[swKey]int64) error {
	var version int64
	if err := q.QueryRowContext(ctx, "SELECT version FROM software_catalogue_version WHERE id = 1").Scan(&version); err != nil {
		return err
	}
	missing := map[swKey]int64{}
	c.mu.Lock()
	if c.ids == nil || c.version != version || len(c.ids) > maxCached {
		c.ids, c.version = map[swKey]int64{}, version
	}
	for k := range keys {
		if id, ok := c.ids[k]; ok {
			keys[k] = id
		} else {
			missing[k] = 0
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	if err := lookupSoftware(ctx, q, db, missing); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, id := range missing {
		if id != 0 {
			keys[k] = id
			if c.version == version {
				c.ids[k] = id
			}
		}
	}
	return nil
}

// forget drops every cached id.
func (c *catalogueCache) forget() {
	c.mu.Lock()
	c.ids = nil
	c.mu.Unlock()
}
