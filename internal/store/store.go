// Package store opens parc's database (SQLite by default, PostgreSQL on request),
// applies the embedded migrations and hides the few differences between the two dialects.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names the SQL flavour of the store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config says where the data lives.
type Config struct {
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or postgresql://.
	DatabaseURL string
	// DataDir holds parc.db when SQLite is used.
	DataDir string
	// DataSteps are the Go data steps of migrations, by migration number, which
	// the callers that own the data supply (see DataStep).
	DataSteps map[int]DataStep
}

// DB is the open store. Writes go through Tx (Exec and Insert for a lone
// statement; Maintain for the few a transaction cannot hold); reads through
// QueryContext and QueryRowContext, or through the Tx of the transaction they
// belong to. All take '?' placeholders.
type DB struct {
	Dialect Dialect
	// W and R are the raw pools, for the store itself and for tests: W is the
	// writer (one connection with SQLite, so that writers queue in Go instead of
	// failing with "database is locked"), R the readers (the same pool on
	// PostgreSQL). Their queries are not rebound.
	W *sql.DB
	R *sql.DB
	// Path is the SQLite file (empty for PostgreSQL).
	Path string
	// steps are the migrations' data steps (Config.DataSteps).
	steps map[int]DataStep
	// group commits concurrent SQLite transactions together (nil on PostgreSQL).
	group *groupCommit
	ckpt  *checkpointer
	cpu   cpuBound // see Busy
}

// IsPostgresURL reports whether u names a PostgreSQL server.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// Open connects to the store and brings its schema up to date.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db, err := open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenNoMigrate connects without touching the schema.
func OpenNoMigrate(ctx context.Context, cfg Config) (*DB, error) { return open(ctx, cfg) }

func open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.DatabaseURL != "" {
		if !IsPostgresURL(cfg.DatabaseURL) {
			return nil, fmt.Errorf("PARC_DATABASE_URL must start with postgres:// (got %q)", redact(cfg.DatabaseURL))
		}
		pcfg, err := pgx.ParseConfig(cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL URL %s: %w", redact(cfg.DatabaseURL), err)
		}
		// pgx prepares and caches statements; after five runs PostgreSQL may switch a
		// statement to a generic plan, blind to its parameters: a technician's free
		// text then scanned the organisation (80 ms) instead of using the trigram
		// indexes (3 ms). Planning each run costs a fraction of a millisecond.
		if _, set := pcfg.RuntimeParams["plan_cache_mode"]; !set {
			pcfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
		}
		pool := stdlib.OpenDB(*pcfg)
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(20)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := pool.PingContext(pctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", redact(cfg.DatabaseURL), err)
		}
		return &DB{Dialect: Postgres, W: pool, R: pool, steps: cfg.DataSteps}, nil
	}
	dir := cfg.DataDir
	if dir == "" {
		dir = "parc-data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, "parc.db")
	db, err := openSQLite(ctx, path)
	if err != nil {
		return nil, err
	}
	db.steps = cfg.DataSteps
	return db, nil
}

// readConns is the size of the SQLite reader pool.
const readConns = 8

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// Pragmas are given in the DSN so that every new connection gets them.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	drv := sqliteDriver()
	// The checkpointer copies the log beside the writer; the writer checkpoints
	// itself only past 10,000 pages (40 MB), which happens under bulk writes, when the
	// checkpointer never catches up with the end of the log and the log could never
	// start over.
	//
	// The writer's page cache is 32 MiB instead of SQLite's 2 MiB, and its temporary
	// files (the sub-journals of the savepoints that grouped commits put around each
	// transaction, statement journals) are kept in memory: writing the original of
	// every page a group of new machines' inventories touched (a thousand
	// installations each, spread over the software index) to a temporary file was a
	// fifth of that group's time. A cached page costs twice its size in resident
	// memory (its 4 KiB and header are one allocation, rounded up by the C allocator):
	// 64 MiB took the server to 176 MiB after the creation bench on an inventoried
	// store, 32 MiB to 114 MiB, and 16 or 64 MiB received new machines at the same rate.
	w := sql.OpenDB(cachingConnector{dsn: dsn + "&_txlock=immediate&_pragma=wal_autocheckpoint(10000)&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)", drv: drv})
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r := sql.OpenDB(cachingConnector{dsn: dsn + "&_pragma=query_only(1)", drv: drv})
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open SQLite file %s: %w", path, err)
	}
	db := &DB{Dialect: SQLite, W: w, R: r, Path: path}
	db.group = newGroupCommit(db)
	db.ckpt = newCheckpointer(sql.OpenDB(cachingConnector{dsn: dsn, drv: drv}), func() bool { return db.group.idleFor(20 * time.Millisecond) })
	return db, nil
}

// Close releases the connections.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	if db.ckpt != nil {
		db.ckpt.close()
	}
	err := db.W.Close()
	if db.R != db.W {
		if e := db.R.Close(); err == nil {
			err = e
		}
	}
	return err
}

// ILike returns the case-insensitive LIKE operator of the dialect.
func (db *DB) ILike() string {
	if db.Dialect == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// IDs runs a query whose one column is an id and returns the ids in order. The
// query uses '?' placeholders.
func (db *DB) IDs(ctx context.Context, q Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// IsForeignKeyViolation reports whether err is a refused reference, in either dialect.
func IsForeignKeyViolation(err error) bool {
	m := err.Error()
	return strings.Contains(m, "FOREIGN KEY constraint failed") || strings.Contains(m, "SQLSTATE 23503")
}

// Tx runs fn in a write transaction and commits when fn returns nil; an error
// from fn rolls its writes back and is returned. fn's contract:
//
//   - fn may run more than once. A serialisation failure or deadlock on
//     PostgreSQL, or SQLITE_BUSY, runs it again; on SQLite, a grouped member
//     that failed after writing, or a group that could not commit, makes the
//     others of its group run again.
//   - On SQLite, concurrent calls are grouped into one transaction (see
//     group.go): fn may see, and build on, the uncommitted writes of the
//     members that ran before it in its group, which are committed or undone
//     together with its own.
//   - So fn must have no effect outside the transaction: no mail sent, no cache
//     or shared variable updated, no channel or goroutine fed, no file written.
//     Results it hands back through captured variables must be set afresh on
//     each run (not appended to), and only used once Tx returned nil. Work with
//     outside effects belongs after Tx returns. (A log line written inside may
//     repeat, or tell of writes that were then undone.)
//   - fn must not keep tx after it returns.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.group != nil {
		return db.group.run(ctx, fn)
	}
	return db.txRetry(ctx, fn)
}

func (db *DB) txRetry(ctx context.Context, fn func(tx *Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.tx(ctx, fn)
		if err != nil && attempt < 4 && db.IsRetryable(err) {
			time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
			continue
		}
		return err
	}
}

func (db *DB) tx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		// A panicking fn must not keep the transaction, and with it SQLite's only
		// writer connection, forever.
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&Tx{tx: tx, d: db.Dialect}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// InsertID runs an INSERT ... RETURNING id in the transaction and gives the new id.
func (db *DB) InsertID(ctx context.Context, q *Tx, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// IsUnique reports whether err is a unique-constraint violation.
func (db *DB) IsUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsRetryable reports serialisation failures and deadlocks worth one more try.
func (db *DB) IsRetryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return false
}

// Ping checks the store answers.
func (db *DB) Ping(ctx context.Context) error { return db.R.PingContext(ctx) }

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// Optimize refreshes the query planner's statistics where the store needs it.
// SQLite plans without statistics pick partial list indexes badly (a count walking
// the warranty index for a maker filter): PRAGMA optimize analyses the tables that
// never were or changed much. Reader connections load statistics with the schema, so
// they are replaced afterwards. PostgreSQL's autovacuum does this by itself.
func (db *DB) Optimize(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	if _, err := db.W.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		return err
	}
	db.R.SetMaxIdleConns(0)
	db.R.SetMaxIdleConns(readConns)
	return nil
}
