package store

import (
	"context"
	"runtime"
	"sync"
)

// cpuBound limits CPU-heavy work done before writes (see DB.Busy).
type cpuBound struct {
	mu    sync.Mutex
	cond  *sync.Cond
	inUse int
}

// Busy runs fn, CPU-heavy work that comes before a write (decompressing, parsing
// and hashing a received inventory, say), with at most as many such calls running
// as Go has processors, one fewer while SQLite's writer runs a transaction. Go's
// scheduler shares the processors evenly among runnable goroutines: with dozens of
// documents being parsed at once, the one goroutine that writes got a sliver of a
// core, and on two cores new machines came in at 40 a second while the writer was
// idle a third of the time. Bounding everything to one core fewer would halve the
// parsing of unchanged re-inventories, which hardly write; hence a bound that
// follows the writer. A call already waiting for its turn is not interrupted by ctx.
func (db *DB) Busy(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := &db.cpu
	b.mu.Lock()
	if b.cond == nil {
		b.cond = sync.NewCond(&b.mu)
	}
	for b.inUse >= db.cpuLimit() {
		b.cond.Wait()
	}
	b.inUse++
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.inUse--
		b.mu.Unlock()
		b.cond.Signal()
	}()
	return fn()
}

func (db *DB) cpuLimit() int {
	n := runtime.GOMAXPROCS(0)
	if db.group != nil && db.group.writing.Load() {
		n--
	}
	return max(1, n)
}

// writerIdle lets waiting CPU work start once the writer has finished a transaction.
func (db *DB) writerIdle() {
	b := &db.cpu
	b.mu.Lock()
	if b.cond != nil {
		b.cond.Broadcast()
	}
	b.mu.Unlock()
}
