// Package app wires parc together: store, registry and services. Commands and tests
// start from here.
package app

import (
	"context"
	"log/slog"

	"parc/internal/asset"
	"parc/internal/auth"
	"parc/internal/helpdesk"
	"parc/internal/kb"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/store"
)

// App is one running parc: its store and services.
type App struct {
	DB      *store.DB
	Reg     *record.Registry
	Records *record.Service
	Auth    *auth.Service
	Log     *slog.Logger
}

// NewRegistry builds the registry of every record type.
func NewRegistry() *record.Registry {
	var reg *record.Registry
	get := func() *record.Registry { return reg }
	types := append(auth.Types(get), asset.Types()...)
	types = append(types, helpdesk.Types()...)
	types = append(types, helpdesk.EscalationTypes()...)
	types = append(types, kb.Types()...)
	search.Attach(types)
	reg = record.MustRegistry(types...)
	return reg
}

// Open opens the store (migrating it) and builds the services.
func Open(ctx context.Context, cfg store.Config, log *slog.Logger) (*App, error) {
	if cfg.DataSteps == nil {
		cfg.DataSteps = asset.DataSteps()
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := New(db, log)
	if err := search.Backfill(ctx, a.Records); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// New builds the services over an open store.
func New(db *store.DB, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	reg := NewRegistry()
	rec := record.NewService(db, reg)
	return &App{DB: db, Reg: reg, Records: rec, Auth: auth.NewService(rec), Log: log}
}

// Close releases the store.
func (a *App) Close() error { return a.DB.Close() }

// Bootstrap seeds an empty store with its root organisation, profiles and default
// states. It reports whether the store was new.
func (a *App) Bootstrap(ctx context.Context, lang string) (bool, error) {
	fresh, err := a.Auth.Bootstrap(ctx, "Root")
	if err != nil || !fresh {
		return fresh, err
	}
	tree, err := record.LoadOrgTree(ctx, a.DB)
	if err != nil {
		return true, err
	}
	sys := record.SystemActor(tree, record.OriginCLI)
	for _, st := range asset.DefaultStates {
		name := st.EN
		if lang == "fr" {
			name = st.FR
		}
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("states"), record.Input{"name": name, "code": st.Code}); err != nil {
			return true, err
		}
	}
	return true, nil
}

// System is an actor with every right, for the CLI and seeding.
func (a *App) System(ctx context.Context, origin string) (*record.Actor, error) {
	tree, err := record.LoadOrgTree(ctx, a.DB)
	if err != nil {
		return nil, err
	}
	return record.SystemActor(tree, origin), nil
}
