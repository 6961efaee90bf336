package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"parc/internal/store"
)

// TempPostgres creates a new empty database on the server of base (a postgres://
// URL) and returns its URL and a function that drops it.
func TempPostgres(ctx context.Context, base string) (string, func() error, error) {
	if !store.IsPostgresURL(base) {
		return "", nil, fmt.Errorf("not a PostgreSQL URL")
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	var b [5]byte
	rand.Read(b[:])
	name := "parc_bench_" + strings.ToLower(hex.EncodeToString(b[:]))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("create a bench database next to PARC_DATABASE_URL (or use --in-place): %w", err)
	}
	u.Path = "/" + name
	drop := func() error {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer a.Close()
		_, err = a.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return u.String(), drop, nil
}
