package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the SQLite store to path while it stays in use.
// PostgreSQL stores are backed up with pg_dump instead.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return errors.New("backup copies the SQLite store; for PostgreSQL use pg_dump (see README)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	if strings.ContainsAny(path, "'\x00") {
		return errors.New("backup path must not contain quotes")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// VACUUM INTO takes a transactionally consistent snapshot.
	_, err = db.R.ExecContext(ctx, "VACUUM INTO '"+abs+"'")
	if err != nil && strings.Contains(err.Error(), "readonly") {
		_, err = db.W.ExecContext(ctx, "VACUUM INTO '"+abs+"'")
	}
	return err
}

// Restore replaces the SQLite store in dataDir with a backup file. The server must be
// stopped. The backup is checked first, and the replaced file is kept aside.
func Restore(ctx context.Context, dataDir, backup string) (string, error) {
	if err := registerFold(); err != nil { // its indexes call parc_fold
		return "", err
	}
	check, err := sql.Open("sqlite", "file:"+backup+"?mode=ro")
	if err != nil {
		return "", err
	}
	var res string
	err = check.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	var n int
	if err == nil {
		err = check.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	}
	check.Close()
	if err != nil || res != "ok" {
		return "", fmt.Errorf("%s is not a parc backup (%v %s)", backup, err, res)
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", err
	}
	target := filepath.Join(dataDir, "parc.db")
	aside := ""
	if _, err := os.Stat(target); err == nil {
		aside = target + ".before-restore"
		if err := os.Rename(target, aside); err != nil {
			return "", err
		}
		os.Remove(target + "-wal")
		os.Remove(target + "-shm")
	}
	in, err := os.Open(backup)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	return aside, out.Close()
}
