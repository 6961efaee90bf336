package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Querier reads: a *Tx (inside a write transaction) or the *DB (committed data,
// from the read pool). Queries take portable '?' placeholders; both rebind them
// for the dialect, so callers never do. Only the store's types are Queriers: a raw
// *sql.DB or *sql.Tx, which would not rebind, is refused by the compiler.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	rebinds()
}

func (*Tx) rebinds() {}
func (*DB) rebinds() {}

// Tx is the write transaction DB.Tx hands to its function. Its queries take '?'
// placeholders. On SQLite it may be shared with other callers' functions of the
// same group (see DB.Tx): it must not be kept after the function returns.
type Tx struct {
	tx *sql.Tx
	d  Dialect
}

// Dialect is the SQL flavour of the store the transaction writes to.
func (t *Tx) Dialect() Dialect { return t.d }

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, rebind(t.d, query), args...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(t.d, query), args...)
}

// QueryRowContext runs a query of at most one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(t.d, query), args...)
}

// QueryContext reads committed data through the read pool (SQLite's read-only
// connections, which never wait for the writer). A read that must see the writes
// of a transaction goes through its Tx instead.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.R.QueryContext(ctx, rebind(db.Dialect, query), args...)
}

// QueryRowContext reads at most one row of committed data through the read pool.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.R.QueryRowContext(ctx, rebind(db.Dialect, query), args...)
}

// Exec runs one statement in a transaction of its own (see Tx): a write that
// stands alone, grouped with others' on SQLite and run again on a retryable failure.
// Inside a Tx function, use its Tx: on SQLite, Exec would wait for that very
// transaction to end.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.Tx(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// Insert runs an INSERT in a transaction of its own and gives the new id (see
// InsertID and Exec).
func (db *DB) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, query, args...)
		return err
	})
	return id, err
}

// TryLock takes the session lock named key on PostgreSQL, if no other session
// holds it, until release is called; servers sharing a database use it to run
// something once at a time. SQLite has a single server: the lock is always got.
func (db *DB) TryLock(ctx context.Context, key int64) (release func(), got bool, err error) {
	if db.Dialect != Postgres {
		return func() {}, true, nil
	}
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil || !got {
		conn.Close()
		return nil, false, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		conn.Close()
	}, true, nil
}

// Maintain runs one statement on the writer outside any transaction, for the
// statements a transaction refuses or should not hold (VACUUM, building or
// dropping an index on a large table, resetting a sequence). Data changes go
// through Tx.
func (db *DB) Maintain(ctx context.Context, stmt string) error {
	_, err := db.W.ExecContext(ctx, stmt)
	return err
}

// Placeholders is n '?' placeholders separated by commas: the inside of an IN
// list, or of one row of VALUES.
func Placeholders(n int) string { return Repeat("?", n) }

// Rows is n rows of cols placeholders each, for a multi-row VALUES.
func Rows(n, cols int) string { return Repeat("("+Placeholders(cols)+")", n) }

// Repeat is n copies of item separated by ", ".
func Repeat(item string, n int) string {
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n * (len(item) + 2))
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(item)
	}
	return b.String()
}

// rebind turns '?' placeholders into $1, $2... for PostgreSQL, leaving quoted text
// alone. SQLite takes '?' as they are, at no cost; for PostgreSQL it is one pass
// over the text and one allocation, the same text always giving the same result,
// so that pgx's statement cache still recognises it.
func rebind(d Dialect, q string) string {
	if d != Postgres || strings.IndexByte(q, '?') < 0 {
		return q
	}
	b := make([]byte, 0, len(q)+16)
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inStr = !inStr
		}
		if c == '?' && !inStr {
			n++
			b = append(b, '$')
			b = strconv.AppendInt(b, int64(n), 10)
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// ReadTx runs fn in a read-only transaction of the read pool: its queries see one
// snapshot, and on PostgreSQL a SET LOCAL planner setting holds for them only.
func (db *DB) ReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	t, err := db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer t.Rollback()
	return fn(&Tx{tx: t, d: db.Dialect})
}
