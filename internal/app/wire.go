package app

import (
	"context"
	"log/slog"
	"time"

	"parc/internal/agentserver"
	"parc/internal/api"
	"parc/internal/contract"
	"parc/internal/core"
	"parc/internal/cost"
	"parc/internal/dashboard"
	"parc/internal/demo"
	"parc/internal/document"
	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/jobs"
	"parc/internal/kb"
	"parc/internal/lifecycle"
	"parc/internal/loan"
	"parc/internal/mail"
	"parc/internal/mailgate"
	"parc/internal/notify"
	"parc/internal/purchase"
	"parc/internal/remote"
	"parc/internal/search"
	"parc/internal/stock"
	"parc/internal/store"
	"parc/internal/ui"
	"parc/internal/web"
)

// Build makes every service over an open store, subscribes the listeners to the
// events they follow and registers the background jobs (started by StartJobs).
// This is the one place where parc is assembled: a new domain is built, subscribed
// and given its jobs here.
func Build(db *store.DB, opt Options) (*App, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Catalog == nil {
		opt.Catalog = i18n.MustLoad()
	}
	c := core.New(db, opt.Log)
	reg, rec := c.Reg, c.Records
	a := &App{Core: c, Cat: opt.Catalog, opt: opt,
		Helpdesk:  helpdesk.NewService(rec),
		KB:        kb.NewService(rec),
		Search:    search.NewService(rec),
		Inventory: ingest.New(c),
		Jobs:      jobs.New(db, opt.Log),
		Dashboard: dashboard.New(rec),
		Notify:    notify.New(rec),
		Lifecycle: lifecycle.NewService(rec),
	}
	a.Remote = remote.NewService(rec, a.Inventory)
	a.Stock = stock.NewService(rec)
	a.Loans = loan.NewService(rec)
	a.Costs = cost.NewService(rec)
	a.Documents = document.NewService(rec)
	a.Purchase = purchase.NewService(rec, a.Stock, a.Helpdesk, a.Cat)
	a.Lifecycle.Commitments = a.Purchase
	// Records other than tickets whose notifications the bell shows (notify.Note).
	a.Notify.Recordable("contracts", "licenses", "reservations")
	a.Loans.Notify = a.Notify

	// Event subscriptions: helpdesk events (ticket created, follow-up added, SLA
	// at risk...) record in-app notifications and queue notification mails, in
	// the writing transaction.
	listeners := []helpdesk.Listener{a.Notify.Listen}
	if m := opt.Mail; m.SMTP != nil {
		n, err := mail.NewNotifier(db, a.Cat, m.From)
		if err != nil {
			return nil, err
		}
		n.BaseURL = m.BaseURL
		a.Notifier = n
		listeners = append(listeners, n.Notify)
		a.Loans.Reminders = append(a.Loans.Reminders, n.LoanDue)
		a.Sender = mail.NewSender(db, m.SMTP, opt.Log)
	}
	events := helpdesk.Listeners(listeners...)
	helpdesk.Listen(reg, events)
	if g := opt.Mail.Gateway; g != nil {
		a.Gateway = mailgate.New(c, a.Helpdesk, a.Cat, *g)
	}

	// Background jobs. Each has a row in the jobs table (schedule kept across
	// restarts) and a lease, so two servers on one PostgreSQL never run one together.
	a.HelpdeskJobs = helpdesk.NewJobs(rec, events)
	a.HelpdeskJobs.Register(a.Jobs)
	a.Contracts = contract.NewService(rec)
	a.ContractAlerts = &contract.Alerts{S: a.Contracts, Cat: a.Cat, Inbox: a.Notify.ContractNotice}
	if a.Notifier != nil {
		a.ContractAlerts.Mail = a.Notifier
	}
	a.Jobs.Add(a.ContractAlerts.Job())
	a.Jobs.Add(a.Inventory.CountsJob())
	a.Jobs.Add(a.Inventory.RefileJob())
	a.Jobs.Add(a.Loans.RemindJob())
	a.buildLicenses()
	a.buildDirectories()
	if a.Sender != nil {
		a.Jobs.Add(jobs.Job{Name: "mail.outbox", Every: 5 * time.Second, Jitter: time.Second, Lease: 15 * time.Minute, Run: func(ctx context.Context) error {
			_, err := a.Sender.SendDue(ctx)
			return err
		}})
	}
	if a.Gateway != nil {
		a.Jobs.Add(a.GatewayJob())
	}
	return a, nil
}

// GatewayJob is the mail gateway as a job. parc serve and parc mailgate run it
// under one name, hence one lease and lock: a mailbox is never polled by two
// processes at once (both would fetch the same unseen mail and open two tickets).
func (a *App) GatewayJob() jobs.Job {
	every := a.opt.Mail.PollEvery
	if every <= 0 {
		every = time.Minute
	}
	return jobs.Job{Name: mailgate.JobName, Every: every, Jitter: every / 10, Lease: max(10*every, 15*time.Minute), Run: a.Gateway.RunOnce}
}

// RunGateway runs the mail gateway alone, as `parc mailgate` does: one pass with
// once (a *jobs.BusyError while another process holds the gateway), else on the
// job's schedule until ctx ends.
func (a *App) RunGateway(ctx context.Context, once bool) error {
	runner := jobs.New(a.DB, a.Log)
	if once {
		return runner.RunNow(ctx, a.GatewayJob())
	}
	runner.Add(a.GatewayJob())
	runner.Start(ctx)
	runner.Wait()
	return nil
}

// StartJobs runs the background jobs until ctx ends; the returned function waits
// for them to stop (call it before closing the store).
func (a *App) StartJobs(ctx context.Context) (wait func()) {
	a.Jobs.Start(ctx)
	return a.Jobs.Wait
}

// HTTP builds parc's HTTP front: the REST API, the HTML pages and the agents'
// endpoints on one server. Tests may adjust the pages (say, a smaller RefLimit).
func (a *App) HTTP(adjust ...func(*ui.UI)) *web.Server {
	h := api.New(a.Core, a.Cat, api.Services{
		Helpdesk:  a.Helpdesk,
		KB:        a.KB,
		Search:    a.Search,
		Inventory: a.Inventory,
		Stock:     a.Stock,
		Loans:     a.Loans,
		Licenses:  a.Licenses,
		Contracts: a.Contracts,
		Lifecycle: a.Lifecycle,
		Costs:     a.Costs,
		Documents: a.Documents,
		Purchase:  a.Purchase,
		Directory: a.Directories,
	})
	pages := ui.New(a.Core, a.Cat, ui.Services{
		Helpdesk:  a.Helpdesk,
		KB:        a.KB,
		Search:    a.Search,
		Inventory: a.Inventory,
		Remote:    a.Remote,
		Dashboard: a.Dashboard,
		Notify:    a.Notify,
		Stock:     a.Stock,
		Loans:     a.Loans,
		Licenses:  a.Licenses,
		Contracts: a.Contracts,
		Lifecycle: a.Lifecycle,
		Costs:     a.Costs,
		Documents: a.Documents,
		Purchase:  a.Purchase,
		Directory: a.Directories,
	})
	for _, f := range adjust {
		f(pages)
	}
	return web.New(a.Core, a.Cat, h, pages, a.Agents(agentserver.Options{Token: a.opt.AgentToken}))
}

// Agents builds the agents' endpoints alone (tests and benchmarks mount them on
// their own server).
func (a *App) Agents(opt agentserver.Options) *agentserver.Server {
	if opt.Catalog == nil {
		opt.Catalog = a.Cat
	}
	return agentserver.New(a.Core, a.Inventory, opt)
}

// LoadDemo fills a new store with the demo data set, through the same services as
// users' writes.
func (a *App) LoadDemo(ctx context.Context) error {
	return demo.Load(ctx, &demo.Services{
		Core:         a.Core,
		Helpdesk:     a.Helpdesk,
		HelpdeskJobs: a.HelpdeskJobs,
		KB:           a.KB,
		Inventory:    a.Inventory,
		Stock:        a.Stock,
		Loans:        a.Loans,
		Licenses:     a.Licenses,
		Documents:    a.Documents,
		Purchase:     a.Purchase,
	})
}
