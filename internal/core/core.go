// Package core holds the services every domain builds on: the store, the registry of
// every domain's record types, the record service, accounts with their audit trail,
// and the logger. The composition root (internal/app) builds one Core and hands it,
// with the domain services each needs, to the domains and the HTTP layers; nothing
// below app sees the app itself.
//
// Domains that only declare record types (asset, auth, helpdesk, kb, search) sit
// below core; domains that work across types (ingest, mailgate, demo) take a Core.
package core

import (
	"context"
	"log/slog"

	"parc/internal/asset"
	"parc/internal/auth"
	"parc/internal/contract"
	"parc/internal/cost"
	"parc/internal/directory"
	"parc/internal/helpdesk"
	"parc/internal/kb"
	"parc/internal/license"
	"parc/internal/lifecycle"
	"parc/internal/loan"
	"parc/internal/purchase"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/stock"
	"parc/internal/store"
)

// Core is the base every domain service and HTTP layer takes.
type Core struct {
	DB      *store.DB
	Reg     *record.Registry
	Records *record.Service
	Auth    *auth.Service
	Log     *slog.Logger
}

// System is an actor with every right, for the CLI, jobs and seeding; the
// organisation tree is read now, so call it again after adding organisations.
func (c *Core) System(ctx context.Context, origin string) (*record.Actor, error) {
	tree, err := record.LoadOrgTree(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	return record.SystemActor(tree, origin), nil
}

// New builds the core services over an open store.
func New(db *store.DB, log *slog.Logger) *Core {
	if log == nil {
		log = slog.Default()
	}
	reg := NewRegistry()
	rec := record.NewService(db, reg)
	return &Core{DB: db, Reg: reg, Records: rec, Auth: auth.NewService(rec), Log: log}
}

// NewRegistry builds the registry of every record type. A new domain's types are
// added here.
func NewRegistry() *record.Registry {
	var reg *record.Registry
	get := func() *record.Registry { return reg }
	types := append(auth.Types(get), asset.Types()...)
	types = append(types, helpdesk.Types()...)
	types = append(types, helpdesk.EscalationTypes()...)
	types = append(types, kb.Types()...)
	types = append(types, stock.Types()...)
	types = append(types, loan.Types()...)
	types = append(types, license.Types()...)
	types = append(types, contract.Types()...)
	types = append(types, lifecycle.Types(get)...)
	types = append(types, cost.Types()...)
	types = append(types, purchase.Types()...)
	types = append(types, directory.Types()...)
	search.Attach(types)
	reg = record.MustRegistry(types...)
	return reg
}

// Bootstrap seeds an empty store with its root organisation, profiles and default
// states. It reports whether the store was new.
func (c *Core) Bootstrap(ctx context.Context, lang string) (bool, error) {
	fresh, err := c.Auth.Bootstrap(ctx, "Root")
	if err != nil || !fresh {
		return fresh, err
	}
	sys, err := c.System(ctx, record.OriginCLI)
	if err != nil {
		return true, err
	}
	for _, st := range asset.DefaultStates {
		name := st.EN
		if lang == "fr" {
			name = st.FR
		}
		if _, err := c.Records.Create(ctx, sys, c.Reg.MustType("states"), record.Input{"name": name, "code": st.Code}); err != nil {
			return true, err
		}
	}
	return true, nil
}
