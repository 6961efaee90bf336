package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// maxGroup bounds the transactions committed together.
const maxGroup = 64

// errClosed answers a transaction asked of a closed store.
var errClosed = errors.New("store: closed")

// groupCommit runs SQLite write transactions through one goroutine and commits the
// ones that queued up meanwhile together, in one shared transaction (see group for
// how a failing one is kept from affecting the others); all are answered only
// after the commit. SQLite has a single writer anyway; what grouping saves is the
// per-commit work (writing the changed pages to the WAL, the lock round trips),
// which was most of the cost of small writes such as an API create. A lone
// transaction runs as before, on its caller's context.
type groupCommit struct {
	db   *DB
	reqs chan *txReq // unbuffered: a send succeeds only while the loop runs
	stop chan struct{}
	done chan struct{}
	once sync.Once
	// writing and lastWrite tell the checkpointer when the writer is idle.
	writing   atomic.Bool
	lastWrite atomic.Int64
}

type txReq struct {
	ctx    context.Context
	fn     func(*Tx) error
	result chan txResult
}

type txResult struct {
	err   error
	panic any
}

func newGroupCommit(db *DB) *groupCommit {
	g := &groupCommit{db: db, reqs: make(chan *txReq), stop: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

func (g *groupCommit) run(ctx context.Context, fn func(*Tx) error) error {
	req := &txReq{ctx: ctx, fn: fn, result: make(chan txResult, 1)}
	select {
	case g.reqs <- req:
	case <-g.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	res := <-req.result
	if res.panic != nil {
		panic(res.panic) // on the caller's goroutine, as without grouping
	}
	return res.err
}

func (g *groupCommit) close() {
	g.once.Do(func() { close(g.stop) })
	<-g.done
}

func (g *groupCommit) loop() {
	defer close(g.done)
	for {
		var first *txReq
		select {
		case first = <-g.reqs:
		case <-g.stop:
			return
		}
		batch := []*txReq{first}
	more:
		for len(batch) < maxGroup {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		g.writing.Store(true)
		g.runGroup(batch)
		g.lastWrite.Store(time.Now().UnixNano())
		g.writing.Store(false)
		g.db.writerIdle()
	}
}

// idleFor reports whether no transaction ran for at least d.
func (g *groupCommit) idleFor(d time.Duration) bool {
	return !g.writing.Load() && time.Since(time.Unix(0, g.lastWrite.Load())) >= d
}

// runGroup runs the transactions one after the other in one transaction and
// answers them after its commit. A transaction that fails without having written
// anything (the common failure: a refused input) is answered and the group goes
// on. One that fails after writing, or panics, cannot be undone alone: the group
// is rolled back, that one answered with its failure, and the others run again
// as a new group. (Savepoints around each would isolate them too, but SQLite then
// copies every page each one touches into a sub-journal: a fifth of the time of a
// group of new machines' inventories.) If the group cannot begin or commit, each
// runs again on its own.
func (g *groupCommit) runGroup(batch []*txReq) {
	for i, res := range g.group(batch) {
		batch[i].result <- res
	}
}

func (g *groupCommit) group(batch []*txReq) []txResult {
	out := make([]txResult, len(batch))
	alone := func(idx []int) []txResult {
		for _, i := range idx {
			r := batch[i]
			out[i] = protect(func() error { return g.db.txRetry(r.ctx, r.fn) })
		}
		return out
	}
	all := make([]int, len(batch))
	for i := range all {
		all[i] = i
	}
	if len(batch) == 1 {
		return alone(all)
	}
	ctx := context.Background()
	tx, err := g.db.W.BeginTx(ctx, nil)
	if err != nil {
		return alone(all)
	}
	shared := &Tx{tx: tx, d: g.db.Dialect}
	changes := func() (int64, error) {
		var n int64
		err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&n)
		return n, err
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			out[i] = txResult{err: err}
			continue
		}
		before, err := changes()
		if err != nil {
			tx.Rollback()
			return alone(all)
		}
		res := protect(func() error { return r.fn(shared) })
		out[i] = res
		if res.err == nil && res.panic == nil {
			continue
		}
		if after, err := changes(); err == nil && after == before && res.panic == nil {
			continue // it wrote nothing: nothing to undo
		}
		// Undo the group; run the others again, as a group.
		tx.Rollback()
		var rest []*txReq
		var at []int
		for j := range batch {
			if j != i && (j > i || out[j].err == nil && out[j].panic == nil) {
				rest = append(rest, batch[j])
				at = append(at, j)
			}
		}
		for k, res := range g.group(rest) {
			out[at[k]] = res
		}
		return out
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		var again []int
		for i := range out {
			if out[i].err == nil && out[i].panic == nil {
				again = append(again, i)
			}
		}
		return alone(again)
	}
	return out
}

// protect turns a panic in fn into a result, to be raised again by its caller.
func protect(fn func() error) (res txResult) {
	defer func() {
		if p := recover(); p != nil {
			res = txResult{panic: p}
			if e, ok := p.(error); ok {
				res.err = fmt.Errorf("panic: %w", e)
			}
		}
	}()
	return txResult{err: fn()}
}
