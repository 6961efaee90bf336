package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"parc/internal/app"
)

// directoryCmd is `parc directory sync --name X`: one synchronisation of a
// directory, its report printed (docs/directory.md).
func directoryCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sync" {
		return errors.New("usage: parc directory sync --name X")
	}
	fs := flag.NewFlagSet("directory sync", flag.ContinueOnError)
	name := fs.String("name", "", "the directory's name")
	cfg := storeFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return errors.New("give the directory's name: parc directory sync --name X")
	}
	a, err := app.OpenWith(ctx, cfg(), app.Options{Log: logger(stderr)})
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Directories.SyncByName(ctx, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d found, %d created, %d updated, %d unchanged, %d disabled; %d groups created, %d memberships added, %d removed\n",
		rep.Status, rep.Found, rep.Created, rep.Updated, rep.Unchanged, rep.Disabled, rep.GroupsCreated, rep.MembersAdded, rep.MembersRemoved)
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, "  not synchronised:", e)
	}
	if rep.Problem != nil {
		return fmt.Errorf("synchronisation failed: %s: %s", a.Cat.T("en", rep.Problem.Key), rep.Problem.Detail)
	}
	return nil
}
