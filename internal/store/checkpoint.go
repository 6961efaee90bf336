package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// checkpointInterval is how often the checkpointer copies the WAL into the database.
const checkpointInterval = 200 * time.Millisecond

// checkpointer copies committed pages from SQLite's write-ahead log into the
// database file on its own connection. By default the connection that commits
// does it once the log passes 1,000 pages, inside the commit, with an fsync: that
// was 8% of the single writer's time under a stream of creates. A PASSIVE
// checkpoint never blocks the writer or readers; the log restarts from its
// beginning once everything in it is copied and no reader still needs it. It runs
// when the writer has paused; under a long run of transactions the writer's own
// checkpoint at 10,000 pages keeps the log bounded.
type checkpointer struct {
	db *sql.DB
	// idle reports whether the writer has been idle long enough: a checkpoint
	// running beside a stream of large transactions never reaches the end of the
	// log, and would only keep the writer's own checkpoint from running.
	idle func() bool
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newCheckpointer(db *sql.DB, idle func() bool) *checkpointer {
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, idle: idle, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer close(c.done)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			if c.idle() {
				c.checkpoint()
			}
		}
	}
}

// checkpoint runs one PASSIVE checkpoint; errors (a busy database) wait for the next tick.
func (c *checkpointer) checkpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var busy, logFrames, copied int
	_ = c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &copied)
}

func (c *checkpointer) close() {
	c.once.Do(func() { close(c.stop) })
	<-c.done
	c.checkpoint()
	c.db.Close()
}
