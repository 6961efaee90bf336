package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"parc/internal/asset"
	"parc/internal/store"
)

// templates are the migrated stores of this test process, by kind: a SQLite
// data directory or a PostgreSQL database name.
var templates struct {
	sync.Mutex
	made map[string]string
}

// copyConfig makes the configuration of a copy of this process's migrated
// template store of the kind.
func copyConfig(t testing.TB, kind string) store.Config {
	t.Helper()
	tmpl, err := template(kind)
	if err != nil {
		t.Fatalf("migrated %s template store: %v", kind, err)
	}
	if kind != "postgres" {
		dir := t.TempDir()
		if err := copyDir(tmpl, dir); err != nil {
			t.Fatalf("copy the template store: %v", err)
		}
		return store.Config{DataDir: dir, DataSteps: asset.DataSteps()}
	}
	return postgresDB(t, " TEMPLATE "+tmpl)
}

// template makes, once per process and kind, a store with every migration run.
func template(kind string) (string, error) {
	templates.Lock()
	defer templates.Unlock()
	if tmpl, ok := templates.made[kind]; ok {
		return tmpl, nil
	}
	var tmpl string
	var err error
	if kind == "postgres" {
		tmpl, err = postgresTemplate()
	} else {
		tmpl, err = sqliteTemplate()
	}
	if err != nil {
		return "", err
	}
	if templates.made == nil {
		templates.made = map[string]string{}
	}
	templates.made[kind] = tmpl
	return tmpl, nil
}

// The templates are named after the host and process that made them, so that
// the next process removes those whose process has ended (a test binary has no
// hook at its exit).
var (
	hostTag = func() string {
		h, _ := os.Hostname()
		f := fnv.New32a()
		f.Write([]byte(h))
		return fmt.Sprintf("%08x", f.Sum32())
	}()
	tmplPrefix = "parc_tmpl_" + hostTag + "_"
)

func sqliteTemplate() (string, error) {
	root := os.TempDir()
	if old, err := filepath.Glob(filepath.Join(root, tmplPrefix+"*")); err == nil {
		for _, dir := range old {
			if !processAlive(pidOf(filepath.Base(dir))) {
				os.RemoveAll(dir)
			}
		}
	}
	dir, err := os.MkdirTemp(root, tmplPrefix+strconv.Itoa(os.Getpid())+"_")
	if err != nil {
		return "", err
	}
	db, err := store.Open(context.Background(), store.Config{DataDir: dir, DataSteps: asset.DataSteps()})
	if err != nil {
		return "", err
	}
	return dir, db.Close()
}

func postgresTemplate() (string, error) {
	base := os.Getenv("PARC_TEST_POSTGRES")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		return "", fmt.Errorf("PostgreSQL at PARC_TEST_POSTGRES is unreachable: %w", err)
	}
	rows, err := admin.Query("SELECT datname FROM pg_database WHERE datname LIKE $1", tmplPrefix+"%")
	if err != nil {
		return "", err
	}
	var stale []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return "", err
		}
		if !processAlive(pidOf(name)) {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		admin.Exec("ALTER DATABASE " + name + " WITH IS_TEMPLATE false")
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
	name := tmplPrefix + strconv.Itoa(os.Getpid()) + "_" + randomHex(3)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	db, err := store.Open(context.Background(), store.Config{DatabaseURL: testURL(u), DataSteps: asset.DataSteps()})
	if err != nil {
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	// No one connects to it again (autovacuum leaves it too): it is only copied.
	if _, err := admin.Exec("ALTER DATABASE " + name + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return "", err
	}
	return name, nil
}

// pidOf reads the process number in a template's name, 0 if none.
func pidOf(name string) int {
	rest := strings.TrimPrefix(name, tmplPrefix)
	pid, _ := strconv.Atoi(strings.SplitN(rest, "_", 2)[0])
	return pid
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// copyDir copies the files of a SQLite data directory (the store closed, its
// write-ahead log checkpointed).
func copyDir(from, to string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := copyFile(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
