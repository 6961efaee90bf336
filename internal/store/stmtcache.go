package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// stmtCacheSize bounds the statements kept per SQLite connection. parc's record
// service issues a few hundred distinct statements; lists with ad-hoc filters add
// more, which push out arbitrary idle ones.
const stmtCacheSize = 256

// cachingConnector opens SQLite connections that keep their prepared statements.
// database/sql prepares and finalizes every query run outside an explicit Stmt;
// with modernc SQLite, parsing and planning was a fifth of the CPU of an API create
// (about twenty statements in one transaction). pgx caches statements itself.
type cachingConnector struct {
	dsn string
	drv driver.Driver
}

// sqliteDriver is the driver modernc registers as "sqlite".
func sqliteDriver() driver.Driver {
	registerFold() // before any connection: indexes call parc_fold
	db, _ := sql.Open("sqlite", "")
	defer db.Close()
	return db.Driver()
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

// The modernc connection implements these; cachingConn relies on them.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type cachedStmt struct {
	stmt interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool // its rows are open: a second use must not reset it under them
}

// cachingConn is used by one goroutine at a time (database/sql's contract), so its
// map needs no lock.
type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

func (c *cachingConn) inner() sqliteConn { return c.Conn.(sqliteConn) }

// get returns the cached statement for query, preparing it if needed; nil when the
// cached one is in use, so that the caller falls back to a one-off statement.
func (c *cachingConn) get(ctx context.Context, query string) (*cachedStmt, error) {
	if cs, ok := c.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	st, err := c.inner().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	typed, ok := st.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		st.Close()
		return nil, nil
	}
	if len(c.stmts) >= stmtCacheSize {
		for q, old := range c.stmts {
			if !old.busy {
				old.stmt.Close()
				delete(c.stmts, q)
				break
			}
		}
	}
	cs := &cachedStmt{stmt: typed}
	c.stmts[query] = cs
	return cs, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.inner().ExecContext(ctx, query, args)
	}
	res, err := cs.stmt.ExecContext(ctx, args)
	c.dropOnError(query, err)
	return res, err
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.inner().QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		c.dropOnError(query, err)
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

// dropOnError forgets a statement after an interrupted or failed run, so that a
// statement left in an odd state is never reused.
func (c *cachingConn) dropOnError(query string, err error) {
	if err == nil {
		return
	}
	if cs, ok := c.stmts[query]; ok && !cs.busy {
		cs.stmt.Close()
		delete(c.stmts, query)
	}
}

func (c *cachingConn) Close() error {
	for q, cs := range c.stmts {
		cs.stmt.Close()
		delete(c.stmts, q)
	}
	return c.Conn.Close()
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner().PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner().BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.inner().Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error { return c.inner().ResetSession(ctx) }

func (c *cachingConn) IsValid() bool { return c.inner().IsValid() }

// cachedRows gives its statement back to the cache when closed.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	if r.cs == nil {
		return nil
	}
	err := r.Rows.Close()
	r.cs.busy = false
	r.cs = nil
	return err
}
