// Package app is parc's composition root: it opens the store, builds every service
// once, registers every background job and event subscription in one visible place
// (wire.go), and hands the services to the HTTP layers. Commands (cmd/parc, the
// benchmarks) start from here; no domain or HTTP package imports it.
package app

import (
	"context"
	"log/slog"
	"time"

	"parc/internal/asset"
	"parc/internal/contract"
	"parc/internal/core"
	"parc/internal/cost"
	"parc/internal/dashboard"
	"parc/internal/directory"
	"parc/internal/document"
	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/jobs"
	"parc/internal/kb"
	"parc/internal/license"
	"parc/internal/lifecycle"
	"parc/internal/loan"
	"parc/internal/mail"
	"parc/internal/mailgate"
	"parc/internal/notify"
	"parc/internal/purchase"
	"parc/internal/remote"
	"parc/internal/search"
	"parc/internal/secret"
	"parc/internal/stock"
	"parc/internal/store"
)

// App is one running parc: the core services and the domain services built on them.
type App struct {
	*core.Core
	Cat *i18n.Catalog

	Helpdesk *helpdesk.Service
	KB       *kb.Service
	Search   *search.Service
	// Dashboard counts the home pages' blocks.
	Dashboard *dashboard.Service
	// Notify records the in-app notifications of helpdesk events (the bell).
	Notify *notify.Service
	// Lifecycle: depreciation, budgets' spending, the renewal plan.
	Lifecycle *lifecycle.Service
	// Costs: total cost of ownership; Documents: files attached to records.
	Costs     *cost.Service
	Documents *document.Service
	// Inventory stores agents' inventories and reads them back; one value, so that
	// its catalogue cache is shared by every path that ingests.
	Inventory *ingest.Service
	// Remote lists and records remote-control launches (computers, tickets).
	Remote *remote.Service
	// Stock keeps the spare parts and consumables: quantities per location, movements.
	Stock *stock.Service
	// Purchase is purchasing: requests, approval, orders, receptions into stock.
	Purchase *purchase.Service
	// Directories are LDAP directories: test, synchronisation, sign-in.
	Directories *directory.Service
	// Loans is hand-overs and loans: check-out, check-in, acknowledgement, reservations.
	Loans *loan.Service
	// Licenses keeps software licences: keys, compliance counts, alerts.
	Licenses *license.Service
	// Contracts: coverage of assets, costs, hours used; ContractAlerts renews
	// tacit contracts and tells their responsible users of notice dates and ends.
	Contracts      *contract.Service
	ContractAlerts *contract.Alerts
	// HelpdeskJobs escalate, close and recalculate tickets in the background.
	HelpdeskJobs *helpdesk.Jobs

	// Mail is set when e-mail is configured (Options.Mail).
	Notifier *mail.Notifier    // helpdesk events -> outbox; nil without SMTP
	Sender   *mail.Sender      // outbox -> SMTP; nil without SMTP
	Gateway  *mailgate.Gateway // mailboxes -> tickets; nil without IMAP

	// Jobs runs the background jobs registered by Build; StartJobs starts them.
	Jobs *jobs.Runner

	opt Options
}

// Options configure what Build wires besides the core.
type Options struct {
	Log *slog.Logger
	// Catalog holds the translations; loaded when nil.
	Catalog *i18n.Catalog
	// Mail turns on notifications and the mail gateway; the zero value turns both off.
	Mail MailConfig
	// AgentToken, when set, is required from every agent (PARC_AGENT_TOKEN).
	AgentToken string
	// SecretDir holds the key file of the secrets parc keeps encrypted (licence
	// keys) unless PARC_SECRET_KEY is set (internal/secret); default: the SQLite
	// file's directory. OpenWith sets it to the data directory.
	SecretDir string
}

// MailConfig is e-mail as the environment configures it (cmd/parc reads it).
type MailConfig struct {
	// SMTP, when set, turns on notifications sent from From; BaseURL is where
	// notifications link to.
	SMTP    *mail.SMTPConfig
	From    string
	BaseURL string
	// Gateway, when set, turns on the mail gateway polling every PollEvery.
	Gateway   *mailgate.Options
	PollEvery time.Duration
}

// Open opens the store (migrating it) and builds every service without e-mail.
func Open(ctx context.Context, cfg store.Config, log *slog.Logger) (*App, error) {
	return OpenWith(ctx, cfg, Options{Log: log})
}

// OpenWith opens the store (migrating it) and builds every service.
func OpenWith(ctx context.Context, cfg store.Config, opt Options) (*App, error) {
	if cfg.DataSteps == nil {
		cfg.DataSteps = asset.DataSteps()
	}
	if opt.SecretDir == "" {
		opt.SecretDir = cfg.DataDir
	}
	// The key is read, or made, on the first start (docs/security.md). The
	// commands always give a data directory; a test store over PostgreSQL has
	// none and seals with a key in memory (buildLicenses).
	if opt.SecretDir != "" {
		if _, err := secret.Load(opt.SecretDir); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a, err := Build(db, opt)
	if err == nil {
		err = search.Backfill(ctx, a.Records)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// New builds every service over an open store, without e-mail: for tests and
// commands that send none.
func New(db *store.DB, log *slog.Logger) *App {
	a, err := Build(db, Options{Log: log})
	if err != nil {
		panic(err) // only e-mail settings can fail, and there are none
	}
	return a
}

// Close releases the store, once the directory synchronisations under way ended.
func (a *App) Close() error {
	if a.Directories != nil {
		a.Directories.Wait()
	}
	return a.DB.Close()
}
