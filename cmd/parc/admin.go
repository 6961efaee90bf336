package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"parc/internal/store"
)

func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "file to write the backup to")
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup needs --out FILE")
	}
	db, err := store.Open(ctx, cfg())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(stdout, "backup written to %s (%d bytes)\n", *out, st.Size())
	return nil
}

func restore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	in := fs.String("in", "", "backup file to restore")
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("restore needs --in FILE")
	}
	c := cfg()
	if c.DatabaseURL != "" {
		return errors.New("restore replaces the SQLite store; for PostgreSQL use pg_restore or psql (see README)")
	}
	aside, err := store.Restore(ctx, c.DataDir, *in)
	if err != nil {
		return err
	}
	if aside != "" {
		fmt.Fprintf(stdout, "previous store kept as %s\n", aside)
	}
	db, err := store.Open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	v, _ := db.SchemaVersion(ctx)
	fmt.Fprintf(stdout, "store restored from %s (schema version %d)\n", *in, v)
	return nil
}
