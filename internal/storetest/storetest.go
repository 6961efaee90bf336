// Package storetest opens fresh stores for tests, on SQLite and on PostgreSQL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"parc/internal/asset"
	"parc/internal/store"
)

// TestStores lists the stores every store test runs on: SQLite always, and PostgreSQL
// when PARC_TEST_POSTGRES holds a server URL.
func TestStores() []string {
	out := []string{"sqlite"}
	if os.Getenv("PARC_TEST_POSTGRES") != "" {
		out = append(out, "postgres")
	}
	return out
}

// OpenTest opens a fresh, migrated store of the given kind for one test; PostgreSQL
// tests each get a database of their own, dropped when the test ends.
//
// Running the migrations takes seconds on PostgreSQL (each statement commits) and
// most tests open two stores: each test gets a copy of a store migrated once per
// test process instead (CREATE DATABASE ... TEMPLATE, or a copy of the SQLite
// file). TestConfig still gives an empty store, for the tests of migrating.
func OpenTest(t testing.TB, kind string) *store.DB {
	t.Helper()
	ctx := context.Background()
	cfg := copyConfig(t, kind)
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s store: %v", kind, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConfig makes the configuration of a fresh empty store for one test.
func TestConfig(t testing.TB, kind string) store.Config {
	t.Helper()
	if kind != "postgres" {
		return store.Config{DataDir: t.TempDir(), DataSteps: asset.DataSteps()}
	}
	return postgresDB(t, "")
}

// postgresDB creates a database for one test ("CREATE DATABASE name" and clause),
// dropped when the test ends, and gives its configuration.
func postgresDB(t testing.TB, clause string) store.Config {
	t.Helper()
	base := os.Getenv("PARC_TEST_POSTGRES")
	if base == "" {
		t.Skip("PARC_TEST_POSTGRES not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("PostgreSQL at PARC_TEST_POSTGRES is unreachable: %v", err)
	}
	name := "parc_test_" + randomHex(6)
	// A template being copied must have no session; autovacuum may open one for
	// a moment, so a refused copy is tried again.
	for try := 0; ; try++ {
		_, err = admin.Exec("CREATE DATABASE " + name + clause)
		if err == nil || try == 50 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("PARC_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return store.Config{DatabaseURL: testURL(u), DataSteps: asset.DataSteps()}
}

// testURL is a test database's address: its commits do not wait for the disk (a
// test store is thrown away, and the suite opens hundreds).
func testURL(u *url.URL) string {
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}

// EachStore runs fn as a subtest on every test store.
func EachStore(t *testing.T, fn func(t *testing.T, kind string)) {
	for _, kind := range TestStores() {
		t.Run(kind, func(t *testing.T) { fn(t, kind) })
	}
}
