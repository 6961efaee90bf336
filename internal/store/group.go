package store

import (
	"context"
	"database/sql"
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
// ones that queued up meanwhile together: each runs inside a savepoint of a shared
// transaction, so one that fails is rolled back alone, and all are answered only
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
	fn     func(*sql.Tx) error
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

func (g *groupCommit) run(ctx context.Context, fn func(*sql.Tx) error) error {
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
		if len(batch) == 1 {
			first.result <- protect(func() error { return g.db.txRetry(first.ctx, first.fn) })
		} else {
			g.runGroup(batch)
		}
		g.lastWrite.Store(time.Now().UnixNano())
		g.writing.Store(false)
	}
}

// idleFor reports whether no transaction ran for at least d.
func (g *groupCommit) idleFor(d time.Duration) bool {
	return !g.writing.Load() && time.Since(time.Unix(0, g.lastWrite.Load())) >= d
}

// runGroup runs each transaction in a savepoint of one transaction. If the group
// cannot begin or commit, each is run again on its own.
func (g *groupCommit) runGroup(batch []*txReq) {
	results := make([]*txResult, len(batch))
	alone := func() {
		for i, r := range batch {
			if results[i] == nil || results[i].err == nil && results[i].panic == nil {
				res := protect(func() error { return g.db.txRetry(r.ctx, r.fn) })
				results[i] = &res
			}
		}
	}
	defer func() {
		for i, r := range batch {
			r.result <- *results[i]
		}
	}()
	ctx := context.Background()
	tx, err := g.db.W.BeginTx(ctx, nil)
	if err != nil {
		alone()
		return
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = &txResult{err: err}
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT grp"); err != nil {
			tx.Rollback()
			results = make([]*txResult, len(batch))
			alone()
			return
		}
		res := protect(func() error { return r.fn(tx) })
		if res.err != nil || res.panic != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO grp"); err != nil {
				// The transaction is in an unknown state: start over, one by one.
				tx.Rollback()
				results = make([]*txResult, len(batch))
				alone()
				return
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE grp"); err != nil {
			tx.Rollback()
			results = make([]*txResult, len(batch))
			alone()
			return
		}
		results[i] = &res
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		for i := range results {
			if results[i].err == nil && results[i].panic == nil {
				results[i] = nil
			}
		}
		alone()
	}
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
